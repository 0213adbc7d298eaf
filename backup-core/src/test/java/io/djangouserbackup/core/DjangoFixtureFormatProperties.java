package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.internal.SafeFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Issue 13: Django's fixture format both ways loses nothing, over generated user data in real Django databases
 * (SQLite): what {@code export --format django} writes, {@code import} reads back to the very same data.
 */
class DjangoFixtureFormatProperties {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-fixture-properties");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    @Provide
    Arbitrary<UserData> userData() {
        return UserDataArbitraries.userData();
    }

    private Path freshDatabase() {
        return TestDatabases.create(dir, "db" + (counter++) + ".sqlite3", TestDatabases.AUTH_USER);
    }

    private static byte[] export(Path db, ExportFormat format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(DjangoDatabase.sqlite(db)).withClock(CLOCK).withFormat(format).exportTo(out);
        return out.toByteArray();
    }

    private static void importInto(Path db, byte[] document) {
        Importer.of(DjangoDatabase.sqlite(db)).importFrom(BackupSource.of(document));
    }

    /**
     * Backup, then Django fixture, then import into a freshly migrated database: the target's backup is the
     * source's (every microsecond, every digit, links and password hashes), but for the ids of users and groups,
     * which a fixture written with natural primary keys does not carry: they are 1, 2, ... in the source's order.
     */
    @Property(tries = 40)
    void backupToDjangoFixtureToImportIsIdentity(@ForAll("userData") UserData data) throws IOException {
        Path source = freshDatabase();
        data.insertInto(source);
        JsonNode backup = JSON.readTree(export(source, ExportFormat.BACKUP));
        Path target = freshDatabase();

        importInto(target, export(source, ExportFormat.DJANGO_FIXTURE));

        // Compared as text: the same values, the same order of fields and rows.
        assertThat(JSON.writeValueAsString(withoutDigest(JSON.readTree(export(target, ExportFormat.BACKUP)))))
                .isEqualTo(JSON.writeValueAsString(renumbered(backup)));
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static ObjectNode withoutDigest(JsonNode document) {
        ObjectNode copy = (ObjectNode) document.deepCopy();
        copy.remove("sha256");
        return copy;
    }

    /** The backup with users and groups numbered 1, 2, ... in its order, every reference to them too. */
    private static ObjectNode renumbered(JsonNode backup) {
        ObjectNode copy = withoutDigest(backup);
        Map<Long, Long> users = new HashMap<>();
        for (JsonNode user : copy.get("users")) {
            users.put(user.get("id").asLong(), (long) users.size() + 1);
            ((ObjectNode) user).put("id", users.size());
        }
        long group = 0;
        for (JsonNode row : copy.get("groups")) {
            ((ObjectNode) row).put("id", ++group);
        }
        for (JsonNode model : copy.get("openai_models")) {
            ArrayNode assigned = (ArrayNode) model.get("assigned_users");
            List<Long> ids = new ArrayList<>();
            assigned.forEach(id -> ids.add(users.get(id.asLong())));
            ids.sort(null);
            assigned.removeAll();
            ids.forEach(assigned::add);
        }
        return copy;
    }

    /** Fixture, import into a freshly migrated database, {@code export --format django}: the same fixture. */
    @Property(tries = 40)
    void fixtureToImportToDjangoFixtureRoundTrips(@ForAll("userData") UserData data) {
        Path source = freshDatabase();
        data.insertInto(source);
        String fixture = new String(export(source, ExportFormat.DJANGO_FIXTURE), StandardCharsets.UTF_8);
        Path target = freshDatabase();

        importInto(target, fixture.getBytes(StandardCharsets.UTF_8));

        assertThat(new String(export(target, ExportFormat.DJANGO_FIXTURE), StandardCharsets.UTF_8)).isEqualTo(fixture);
    }
}
