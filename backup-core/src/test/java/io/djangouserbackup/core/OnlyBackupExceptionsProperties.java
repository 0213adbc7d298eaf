package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.djangouserbackup.core.internal.SafeFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Issue 14: whatever a backup holds, the library answers with success or a {@link BackupException} (a bad file, a
 * target that cannot hold it, a database failure), never with another exception escaping from a value it did not
 * expect. Valid backups get one field of one row replaced by a hostile value (wrong kinds, numbers beyond every
 * range, impossible dates, NUL characters, nested values) and are sealed again, so the value, not the digest, is
 * what is judged; then they are planned and imported into SQLite, PostgreSQL and MariaDB.
 */
class OnlyBackupExceptionsProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private Path dir;
    private int counter;
    private ServerDatabase postgres;
    private ServerDatabase mariaDb;

    @BeforeProperty
    void prepare() throws IOException {
        dir = Files.createTempDirectory("dub-only-backup-exceptions");
        PostgresServer.SERVER.require();
        MariaDbServer.SERVER.require();
        postgres = PostgresServer.SERVER.create("default");
        mariaDb = MariaDbServer.SERVER.create("default");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        SafeFiles.deleteTree(dir);
        postgres.drop();
        mariaDb.drop();
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData().filter(data -> !data.users().isEmpty());
    }

    @Provide
    Arbitrary<JsonNode> hostileValues() {
        return Arbitraries.of(List.<JsonNode>of(
                NODES.nullNode(), NODES.booleanNode(true), NODES.textNode(""), NODES.textNode("x".repeat(300)),
                NODES.textNode("a\u0000b"), NODES.textNode("2022-02-30 10:00:00"), NODES.textNode("2022-13-01"),
                NODES.textNode("24:00:00"), NODES.textNode("yesterday"), NODES.textNode("not base64!"), NODES.textNode("NaN"),
                NODES.textNode("Infinity"), NODES.numberNode(-1), NODES.numberNode(0), NODES.numberNode(Long.MIN_VALUE),
                NODES.numberNode(new BigInteger("18446744073709551616")), NODES.numberNode(new BigDecimal("1E+400")),
                NODES.numberNode(new BigDecimal("-1E-400")), NODES.numberNode(new BigDecimal("0.5")),
                NODES.numberNode(new BigDecimal("12345678901234567890.1234567890")), NODES.arrayNode(), NODES.objectNode(),
                NODES.arrayNode().add("editors").add(7), NODES.objectNode().put("app_label", "x")));
    }

    @Provide
    Arbitrary<String> sections() {
        return Arbitraries.of("users", "groups", "openai_models", "permissions");
    }

    @Property(tries = 25)
    void anyValueGivesSuccessOrABackupException(@ForAll("userData") UserData data, @ForAll("sections") String section,
                                                @ForAll("hostileValues") JsonNode value, @ForAll long choice) throws IOException {
        Path source = TestDatabases.create(dir, "source" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        data.insertInto(source);
        String hostile = replaceOneField(ExportImportProperties.export(source), section, value, choice);
        if (hostile == null) {
            return;
        }
        byte[] bytes = hostile.getBytes(StandardCharsets.UTF_8);
        Path target = TestDatabases.create(dir, "target" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
        for (DjangoDatabase db : List.of(DjangoDatabase.sqlite(target), postgres.django(), mariaDb.django())) {
            for (ImportMode mode : ImportMode.values()) {
                // An import runs the whole check pass first, which is also all a plan does.
                Importer importer = Importer.of(db).withMode(mode);
                assertOnlyBackupException(() -> importer.importFrom(BackupSource.of(bytes)), db, value);
            }
        }
        assertOnlyBackupException(() -> Verifier.standard().verify(BackupSource.of(bytes)), null, value);
    }

    private static void assertOnlyBackupException(Runnable call, DjangoDatabase db, JsonNode value) {
        try {
            call.run();
        } catch (RuntimeException e) {
            assertThat(e).as("%s with %s", db == null ? "verify" : db.description(), value).isInstanceOf(BackupException.class);
        }
    }

    /** The document with one field of one row of the section replaced (or added), sealed again; null when empty. */
    private static String replaceOneField(String document, String section, JsonNode value, long choice) throws IOException {
        ObjectNode doc = (ObjectNode) JSON.readTree(document);
        ArrayNode rows = (ArrayNode) doc.get(section);
        if (rows.isEmpty()) {
            return null;
        }
        ObjectNode row = (ObjectNode) rows.get((int) Math.floorMod(choice, rows.size()));
        List<String> names = new java.util.ArrayList<>();
        row.fieldNames().forEachRemaining(names::add);
        names.add("shoe_size");
        row.set(names.get((int) Math.floorMod(choice / 7, names.size())), value);
        doc.remove("sha256");
        return BackupDigest.seal(JSON.writeValueAsString(doc));
    }
}
