package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ExportFormat#DJANGO_FIXTURE} from outside the package: what the fixture holds, in the shape Django's
 * {@code dumpdata --natural-foreign --natural-primary} writes (real Django loads it in the interop suite's
 * {@code DjangoFixtureExportInteropIT}).
 */
class DjangoFixtureExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private DjangoDatabase database() {
        DjangoDatabase db = DjangoSchema.authAndOpenAiModels().createSqlite(dir.resolve("db.sqlite3"));
        DjangoFixture.builder()
                .passwordHasher(DjangoPasswordHasher.newest().withIterations(1000))
                .group("editors", "chat.openaimodel.change_openaimodel", "auth.user.view_user")
                .user("alice", "s3cret", user -> user.staff().email("alice@example.com").groups("editors")
                        .permissions("chat.openaimodel.add_openaimodel"))
                .user("bob", null, user -> user.inactive())
                .openAiModel("gpt-4o", model -> model.maxTokens(4096).temperature("0.70").users("alice", "bob"))
                .build()
                .restoreInto(db);
        return db;
    }

    private static List<JsonNode> objects(JsonNode fixture, String model) {
        List<JsonNode> found = new ArrayList<>();
        fixture.forEach(o -> {
            if (o.get("model").asText().equals(model)) {
                found.add(o);
            }
        });
        return found;
    }

    @Test
    void writesTheBackupsDataAsDjangoFixtureObjectsWithNaturalKeys() throws IOException {
        DjangoDatabase db = database();
        Path file = dir.resolve("fixture.json");

        ExportResult result = Exporter.of(db).withFormat(ExportFormat.DJANGO_FIXTURE).exportTo(file);

        assertThat(result.rows()).containsEntry("users", 2L).containsEntry("groups", 1L).containsEntry("openai_models", 1L);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        JsonNode fixture = JSON.readTree(file.toFile());
        assertThat(fixture.isArray()).isTrue();
        JsonNode alice = objects(fixture, "auth.user").get(0);
        assertThat(alice.has("pk")).as("users are found by username, as with --natural-primary").isFalse();
        assertThat(alice.at("/fields/username").asText()).isEqualTo("alice");
        assertThat(alice.at("/fields/password").asText()).startsWith("pbkdf2_sha256$");
        assertThat(alice.at("/fields/is_staff").booleanValue()).isTrue();
        assertThat(alice.at("/fields/date_joined").asText()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(alice.at("/fields/groups").toString()).isEqualTo("[[\"editors\"]]");
        assertThat(alice.at("/fields/user_permissions").toString()).isEqualTo("[[\"add_openaimodel\",\"chat\",\"openaimodel\"]]");
        JsonNode editors = objects(fixture, "auth.group").get(0);
        assertThat(editors.has("pk")).isFalse();
        assertThat(editors.at("/fields/permissions").toString())
                .isEqualTo("[[\"view_user\",\"auth\",\"user\"],[\"change_openaimodel\",\"chat\",\"openaimodel\"]]");
        JsonNode model = objects(fixture, "chat.openaimodel").get(0);
        assertThat(model.get("pk").asLong()).isEqualTo(1);
        assertThat(model.at("/fields/temperature").asText()).as("a decimal is a string, as Django writes it").isEqualTo("0.7");
        assertThat(model.at("/fields/users").toString()).isEqualTo("[[\"alice\"],[\"bob\"]]");
        assertThat(objects(fixture, "auth.permission")).isNotEmpty().allSatisfy(p -> assertThat(p.at("/fields/content_type").isArray()).isTrue());
        // Django needs the content types before the permissions that name them, and both before groups and users.
        List<String> order = new ArrayList<>();
        fixture.forEach(o -> {
            if (order.isEmpty() || !order.get(order.size() - 1).equals(o.get("model").asText())) {
                order.add(o.get("model").asText());
            }
        });
        assertThat(order).containsExactly("contenttypes.contenttype", "auth.permission", "auth.group", "auth.user", "chat.openaimodel");
    }

    @Test
    void aCompressedFixtureAndAStreamHoldTheSameObjects() throws IOException {
        DjangoDatabase db = database();
        Exporter exporter = Exporter.of(db).withFormat(ExportFormat.DJANGO_FIXTURE);
        Path file = dir.resolve("fixture.json.gz");
        exporter.exportTo(file);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.exportTo(out);

        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(file))) {
            assertThat(JSON.readTree(in)).isEqualTo(JSON.readTree(out.toByteArray()));
        }
    }

    @Test
    void aPartialExportHoldsTheUserAndWhatTheyReferTo() throws IOException {
        DjangoDatabase db = database();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        Exporter.of(db).withFormat(ExportFormat.DJANGO_FIXTURE).withUsers(List.of("bob")).exportTo(out);

        JsonNode fixture = JSON.readTree(out.toByteArray());
        assertThat(objects(fixture, "auth.user")).extracting(u -> u.at("/fields/username").asText()).containsExactly("bob");
        assertThat(objects(fixture, "chat.openaimodel").get(0).at("/fields/users").toString()).isEqualTo("[[\"bob\"]]");
    }

    @Test
    void aTableNoDjangoModelIsNamedForIsRefusedAndNothingIsWritten() {
        Path file = dir.resolve("db.sqlite3");
        DjangoDatabase db = DjangoSchema.authAndOpenAiModels()
                .withSql("CREATE TABLE \"legacy_notes\" (\"id\" integer NOT NULL PRIMARY KEY AUTOINCREMENT, \"text\" text NOT NULL,"
                        + " \"user_id\" integer NOT NULL REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED);")
                .createSqlite(file);
        Path fixture = dir.resolve("fixture.json");

        assertThatThrownBy(() -> Exporter.of(db.withTables(List.of("legacy_notes"))).withFormat(ExportFormat.DJANGO_FIXTURE)
                .exportTo(fixture))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("table legacy_notes: no Django model in django_content_type is named for it");
        assertThat(fixture).doesNotExist();
    }

    @Test
    void aFixtureIsNeverEncrypted() {
        DjangoDatabase db = DjangoSchema.auth().createSqlite(dir.resolve("db.sqlite3"));
        try (Encryption encryption = Encryption.withPassphrase("correct horse battery".toCharArray())) {
            assertThatThrownBy(() -> Exporter.of(db).withFormat(ExportFormat.DJANGO_FIXTURE).withEncryption(encryption)
                    .exportTo(dir.resolve("fixture.json")))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("loaddata");
        }
    }
}
