package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export from and import into a real database server whose schema Django migrated, and moves between SQLite and the
 * server, with Django on the server as the judge of what it reads back. One subclass per engine adds what only that
 * engine stores or guarantees.
 */
abstract class ServerRoundTripTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05.123456Z"), ZoneOffset.UTC);
    /** Made by Django's PBKDF2PasswordHasher for the password {@code s3cret-ünï} (1000 iterations, salt fixed). */
    static final String ALICE_HASH = "pbkdf2_sha256$1000$fixedsalt123$QeNHSr0Jesw/SE6s2IsB2/kzL9YfShjVezsdK0zbong=";

    @TempDir
    Path dir;

    /** The server under test. */
    abstract DatabaseServer server();

    @BeforeEach
    void serverIsUp() {
        server().require();
    }

    static String export(DjangoDatabase db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(db).withClock(CLOCK).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ImportResult importInto(DjangoDatabase db, String document, ImportMode mode) {
        return Importer.of(db).withMode(mode).importFrom(BackupSource.of(document.getBytes(StandardCharsets.UTF_8)));
    }

    /** A SQLite source with the values that differ most between the engines' storage forms. */
    Path source() {
        Path source = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "alice", ALICE_HASH);
        TestDatabases.insertUser(source, 7, "zoë.李 \"quoted\" \\ 🦄", "!unusable");
        TestDatabases.insertUser(source, 12, "bob", "pbkdf2_sha256$260000$salt$hash=");
        // last_login: with microseconds, without a fraction, NULL (insertUser leaves it NULL).
        TestDatabases.execute(source, "UPDATE auth_user SET last_login = '2023-01-02 03:04:05.000001', first_name = 'Zoë 李'"
                + " WHERE id = 1");
        TestDatabases.execute(source, "UPDATE auth_user SET last_login = '2023-01-02 03:04:05', date_joined = '1999-12-31 23:59:59',"
                + " is_staff = 1 WHERE id = 7");
        TestDatabases.execute(source, "UPDATE auth_user SET is_superuser = 1 WHERE id = 12");
        TestDatabases.addToGroup(source, 1, "editors");
        TestDatabases.addToGroup(source, 7, "editors");
        TestDatabases.addToGroup(source, 12, "readers ✓");
        TestDatabases.grantGroup(source, "editors", "view_user");
        TestDatabases.grant(source, 7, "change_user");
        TestDatabases.insertModel(source, 3, "gpt-4o", 0.7, 1, 7);
        TestDatabases.insertModel(source, 5, "o1", 1.0, 12);
        TestDatabases.insertModel(source, 9, "tiny", 0.05);
        TestDatabases.execute(source, "UPDATE chat_openaimodel SET created = '2024-05-01 09:30:15', is_enabled = 0 WHERE id = 9");
        return source;
    }

    /**
     * The same JSON value: every section, row and value equal. Only the order of the keys inside a row may differ,
     * since it follows the table's column order and Django's SQLite migrations rebuild tables (auth_user's
     * {@code first_name} comes last there, after {@code username} in PostgreSQL).
     */
    static void assertSameDocument(String actual, String expected) {
        try {
            ObjectMapper mapper = new ObjectMapper();
            JsonNode actualTree = mapper.readTree(actual);
            JsonNode expectedTree = mapper.readTree(expected);
            // The digest is of the file's bytes, and key order within a row follows each engine's column order:
            // the same JSON value, other bytes, another digest. Each file's own digest is checked when it is read.
            // The header's engine and sections describe the source (its engine, its declared column types), which
            // differ by engine by design.
            for (String field : List.of("sha256", "engine", "sections")) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) actualTree).remove(field);
                ((com.fasterxml.jackson.databind.node.ObjectNode) expectedTree).remove(field);
            }
            assertThat(actualTree).as("the same JSON document").isEqualTo(expectedTree);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * SQLite → server → SQLite is the identity: the server exports the same JSON value (but for the digest of its
     * bytes) as the SQLite source, and the SQLite database filled from the server's backup exports the source's
     * document byte for byte.
     */
    @Test
    void sqliteToServerToSqliteIsIdentity() {
        String fromSqlite = export(DjangoDatabase.sqlite(source()));
        ServerDatabase server = server().create("default");

        ImportResult imported = importInto(server.django(), fromSqlite, ImportMode.MERGE);
        String fromServer = export(server.django());
        Path back = TestDatabases.create(dir, "back.sqlite3", TestDatabases.AUTH_USER);
        importInto(DjangoDatabase.sqlite(back), fromServer, ImportMode.MERGE);

        assertThat(imported.section(Sections.USERS).created()).isEqualTo(3);
        assertSameDocument(fromServer, fromSqlite);
        assertThat(export(DjangoDatabase.sqlite(back))).isEqualTo(fromSqlite);
        assertThat(fromSqlite)
                .contains("\"last_login\":\"2023-01-02 03:04:05.000001\"")
                .contains("\"last_login\":\"2023-01-02 03:04:05\"")
                .contains("\"last_login\":null")
                .contains("\"temperature\":0.7")
                .contains("\"temperature\":1,")
                .contains("\"is_enabled\":false");
    }

    /**
     * After the import Django on the server reads the same instants, verifies the old password, and creates a
     * user, a group and a model row without a duplicate key: the sequences were moved past the imported ids.
     */
    @Test
    void djangoOnServerAgreesAfterImport() {
        ServerDatabase server = server().create("default");
        importInto(server.django(), export(DjangoDatabase.sqlite(source())), ImportMode.REPLACE);

        String out = server.djangoSnippet(String.join("\n",
                "from django.contrib.auth import get_user_model",
                "from django.contrib.auth.models import Group",
                "from chat.models import OpenAIModel",
                "User = get_user_model()",
                "alice = User.objects.get(username='alice')",
                "print('alice_password', alice.check_password('s3cret-ünï'))",
                "print('alice_wrong_password', alice.check_password('wrong'))",
                "print('alice_last_login', alice.last_login.isoformat())",
                "print('zoe_unusable', User.objects.get(id=7).has_usable_password())",
                "print('zoe_perms', sorted(User.objects.get(id=7).get_all_permissions()))",
                "print('zoe_date_joined', User.objects.get(id=7).date_joined.isoformat())",
                "print('new_user', User.objects.create_user('newcomer', password='pw').id)",
                "print('new_group', Group.objects.create(name='new group').id)",
                "print('new_model', OpenAIModel.objects.create(name='new', max_tokens=1, temperature='0.10').id)"));

        assertThat(out.lines()).contains(
                "alice_password True",
                "alice_wrong_password False",
                "alice_last_login 2023-01-02T03:04:05.000001+00:00",
                "zoe_unusable False",
                "zoe_perms ['auth.change_user', 'auth.view_user']",
                "zoe_date_joined 1999-12-31T23:59:59+00:00",
                "new_user 13",
                "new_model 10");
        long maxGroupId = server.queryLong("SELECT MAX(id) FROM auth_group WHERE name <> 'new group'");
        assertThat(out.lines()).contains("new_group " + (maxGroupId + 1));
    }

    /** Importing the same backup twice changes nothing the second time, and the database exports it unchanged. */
    @Test
    void importingTwiceIsStable() {
        String fromSqlite = export(DjangoDatabase.sqlite(source()));
        ServerDatabase server = server().create("default");
        importInto(server.django(), fromSqlite, ImportMode.MERGE);
        ImportResult again = importInto(server.django(), fromSqlite, ImportMode.REPLACE);

        assertThat(again.section(Sections.USERS).created()).isZero();
        assertSameDocument(export(server.django()), fromSqlite);
    }

    /**
     * Issue 14: on the server too, the plan counts exactly what the import changes, as the dry run and the import's
     * summary do: after a restore everything is unchanged; a changed e-mail, a lost group membership and a lost model
     * assignment are updates of their owner rows, and the rest stays unchanged.
     */
    @Test
    void thePlanCountsExactlyWhatChanges14() {
        String backup = export(DjangoDatabase.sqlite(source()));
        ServerDatabase server = server().create("default");
        importInto(server.django(), backup, ImportMode.MERGE);
        BackupSource source = BackupSource.of(backup.getBytes(StandardCharsets.UTF_8));

        for (ImportMode mode : ImportMode.values()) {
            ImportPlan plan = Importer.of(server.django()).withMode(mode).plan(source);
            assertThat(plan.section(Sections.USERS)).isEqualTo(new SectionCounts(3, 0, 0, 3, 0));
            assertThat(plan.section(Sections.GROUPS)).isEqualTo(new SectionCounts(2, 0, 0, 2, 0));
            assertThat(plan.section(Sections.OPENAI_MODELS)).isEqualTo(new SectionCounts(3, 0, 0, 3, 0));
        }
        server.execute("UPDATE auth_user SET email = 'changed@example.com' WHERE id = 7");
        server.execute("DELETE FROM auth_user_groups WHERE user_id = 12");
        server.execute("DELETE FROM chat_openaimodel_users WHERE openaimodel_id = 3 AND user_id = 1");
        Importer importer = Importer.of(server.django()).withMode(ImportMode.REPLACE);

        ImportPlan plan = importer.plan(source);
        ImportReport report = importer.report(source);
        ImportResult result = importer.importFrom(source);

        assertThat(plan.section(Sections.USERS)).isEqualTo(new SectionCounts(3, 0, 2, 1, 0));
        assertThat(plan.section(Sections.GROUPS)).isEqualTo(new SectionCounts(2, 0, 0, 2, 0));
        assertThat(plan.section(Sections.OPENAI_MODELS)).isEqualTo(new SectionCounts(3, 0, 1, 2, 0));
        assertThat(report.plan().sections()).isEqualTo(plan.sections());
        assertThat(result.sections()).isEqualTo(plan.sections());
        assertThat(report.rows()).filteredOn(r -> r.change() == RowChange.Change.UPDATED)
                .extracting(RowChange::section, RowChange::key, RowChange::changedFields).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(Sections.USERS, 7L, List.of("email")),
                        org.assertj.core.groups.Tuple.tuple(Sections.USERS, 12L, List.of("groups")),
                        org.assertj.core.groups.Tuple.tuple(Sections.OPENAI_MODELS, 3L, List.of("assigned_users")));
        assertThat(Importer.of(server.django()).plan(source).section(Sections.USERS)).isEqualTo(new SectionCounts(3, 0, 0, 3, 0));
        assertSameDocument(export(server.django()), backup);
    }

    /** A replace that would leave Django's admin log pointing at a removed user is refused, nothing written. */
    @Test
    void replaceRefusesToOrphanOtherTablesRows() {
        ServerDatabase server = server().create("default");
        importInto(server.django(), export(DjangoDatabase.sqlite(source())), ImportMode.MERGE);
        server.execute("INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, change_message, user_id)"
                + " VALUES (now(), '1', 'x', 1, '', 12)");
        String before = export(server.django());
        Path other = TestDatabases.create(dir, "other.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(other, 1, "alice", ALICE_HASH);

        String backup = export(DjangoDatabase.sqlite(other));

        // The check pass finds them (issue 19): a plan, and so a dry run and the prompt, name the row before anyone decides.
        assertThatThrownBy(() -> Importer.of(server.django()).withMode(ImportMode.REPLACE)
                .plan(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("django_admin_log id ")
                .hasMessageContaining("(user_id) points at auth_user id 12 'bob'");
        assertThatThrownBy(() -> importInto(server.django(), backup, ImportMode.REPLACE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("django_admin_log");
        assertThat(export(server.django())).isEqualTo(before);
    }

    /** The Django URL form reaches the same database, and a wrong password is a database error naming no secret. */
    @Test
    void djangoUrlConnectsAndWrongPasswordIsRefused() {
        ServerDatabase server = server().create("default");
        assertThat(export(DatabaseUrls.parse(server.djangoUrl()))).contains("\"format_version\"");

        DjangoDatabase wrong = DatabaseUrls.parse(server.djangoUrl()).withCredentials(server().user(), "not-the-password");
        assertThatThrownBy(() -> export(wrong))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageNotContaining("not-the-password");
    }

    /**
     * A custom user model's extra columns (char, date, integer, decimal, text, uuid) survive SQLite → server →
     * SQLite, and the server holds them in its own types.
     */
    @Test
    void customUserModelColumnsSurviveSqliteToServerToSqlite() throws Exception {
        Path source = TestDatabases.create(dir, "custom.sqlite3", TestDatabases.CUSTOM_USER);
        TestDatabases.execute(source, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id)"
                + " VALUES (4, 'pbkdf2_sha256$260000$s$h', '2024-05-02 18:00:00', 0, 'ana', 'Ana', 'Ñ', 'ana@example.com', 0, 1,"
                + " '2024-05-01 09:30:15.123456', '+34 600', '1990-02-28', -3, 1234.5, 'line one\nline \"two\"',"
                + " 'c3d4e5f6a7b84c9d8e0f112233445566')");
        TestDatabases.execute(source, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id)"
                + " VALUES (5, '!', NULL, 1, 'root', '', '', '', 1, 1, '2024-05-01 09:30:15', '', NULL, 0, 7, '', NULL)");
        String fromSqlite = export(DjangoDatabase.sqlite(source));
        ServerDatabase server = server().create("custom");

        importInto(server.django(), fromSqlite, ImportMode.MERGE);
        String fromServer = export(server.django());
        Path back = TestDatabases.create(dir, "custom-back.sqlite3", TestDatabases.CUSTOM_USER);
        importInto(DjangoDatabase.sqlite(back), fromServer, ImportMode.MERGE);

        assertSameDocument(fromServer, fromSqlite);
        assertThat(export(DjangoDatabase.sqlite(back))).isEqualTo(fromSqlite);
        assertThat(TableDump.of(back)).isEqualTo(TableDump.of(source));
        assertCustomColumnsNative(server);
    }

    /** How the server holds user 4 of the custom user model test: in its own types. */
    abstract void assertCustomColumnsNative(ServerDatabase database) throws Exception;
}
