package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: a Django fixture's rows of tables included with {@code import --table} / {@code --all-user-tables}
 * are restored like a backup's included sections; models not included stay refused by name.
 */
class DjangoFixtureIncludedTablesTest {
    @TempDir
    Path dir;

    private static final String[][] MODELS = {
        {"authtoken", "token"}, {"account", "emailaddress"}, {"account", "emailconfirmation"}, {"otp_totp", "totpdevice"},
        {"guardian", "userobjectpermission"}, {"guardian", "groupobjectpermission"}, {"extras", "profile"},
        {"extras", "project"},
    };

    /** Content types for the tables of {@link MoreTables}, in the given order (so their ids differ between databases). */
    private static void contentTypes(Path db, boolean reversed) {
        List<String[]> models = new java.util.ArrayList<>(List.of(MODELS));
        if (reversed) {
            java.util.Collections.reverse(models);
        }
        for (String[] model : models) {
            TestDatabases.execute(db, "INSERT INTO django_content_type (app_label, model) VALUES (?, ?)", model[0], model[1]);
        }
    }

    private Path source() {
        Path db = MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        contentTypes(db, false);
        return db;
    }

    private Path target(String name) {
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER_EXTRA_APPS);
        MoreTables.create(db);
        contentTypes(db, true);
        return db;
    }

    private static byte[] fixture(DjangoDatabase db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(db).withFormat(ExportFormat.DJANGO_FIXTURE).exportTo(out);
        return out.toByteArray();
    }

    /** The included tables' contents, every reference by natural key. */
    private static String contents(Path db) {
        return TestDatabases.queryAll(db, "SELECT t.key, t.created, u.username FROM authtoken_token t JOIN auth_user u"
                + " ON u.id = t.user_id ORDER BY t.key")
                + TestDatabases.queryAll(db, "SELECT e.id, e.email, e.verified, e.\"primary\", u.username FROM account_emailaddress e"
                + " JOIN auth_user u ON u.id = e.user_id ORDER BY e.id")
                + TestDatabases.queryAll(db, "SELECT * FROM account_emailconfirmation ORDER BY id")
                + TestDatabases.queryAll(db, "SELECT d.id, d.name, d.confirmed, d.key, d.step, d.t0, d.digits, d.tolerance,"
                + " d.drift, d.last_t, u.username FROM otp_totp_totpdevice d JOIN auth_user u ON u.id = d.user_id ORDER BY d.id")
                + TestDatabases.queryAll(db, "SELECT o.id, o.object_pk, ct.app_label, ct.model, p.codename, u.username FROM"
                + " guardian_userobjectpermission o JOIN django_content_type ct ON ct.id = o.content_type_id JOIN auth_permission p"
                + " ON p.id = o.permission_id JOIN auth_user u ON u.id = o.user_id ORDER BY o.id")
                + TestDatabases.queryAll(db, "SELECT o.id, o.object_pk, ct.app_label, ct.model, p.codename, g.name FROM"
                + " guardian_groupobjectpermission o JOIN django_content_type ct ON ct.id = o.content_type_id JOIN auth_permission p"
                + " ON p.id = o.permission_id JOIN auth_group g ON g.id = o.group_id ORDER BY o.id")
                + TestDatabases.queryAll(db, "SELECT u.username, p.bio, m.username FROM extras_profile p JOIN auth_user u"
                + " ON u.id = p.user_id LEFT JOIN auth_user m ON m.id = p.mentor_id ORDER BY u.username")
                + TestDatabases.queryAll(db, "SELECT p.id, p.name, o.username FROM extras_project p LEFT JOIN auth_user o"
                + " ON o.id = p.owner_id ORDER BY p.id")
                + TestDatabases.queryAll(db, "SELECT p.name, u.username FROM extras_project_members m JOIN extras_project p"
                + " ON p.id = m.project_id JOIN auth_user u ON u.id = m.user_id ORDER BY p.name, u.username");
    }

    @Test
    void aFixtureOfIncludedTablesRoundTripsIntoAFreshDatabase() {
        Path source = source();
        byte[] fixture = fixture(DjangoDatabase.sqlite(source).withAllUserTables(true));
        Path target = target("target.sqlite3");

        ImportResult result = Importer.of(DjangoDatabase.sqlite(target).withAllUserTables(true))
                .importFrom(BackupSource.of(fixture));

        assertThat(result.sections().get("authtoken_token").created()).isEqualTo(1);
        assertThat(result.sections().get("guardian_userobjectpermission").created()).isEqualTo(1);
        String expected = contents(source);
        assertThat(expected).contains("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", "alice@example.com", "change_openaimodel",
                "apollo|alice");
        assertThat(contents(target)).isEqualTo(expected);
    }

    @Test
    void namedTablesAreRestoredAndAModelNotIncludedIsStillRefusedByName() {
        Path source = source();
        byte[] fixture = fixture(DjangoDatabase.sqlite(source).withTables(List.of("authtoken_token", "otp_totp_totpdevice")));
        Path target = target("target.sqlite3");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target).withTables(List.of("authtoken_token")))
                .importFrom(BackupSource.of(fixture)))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageContaining("'otp_totp.totpdevice' is not a model this tool restores")
                .hasMessageContaining("import --table otp_totp_totpdevice");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);

        Importer.of(DjangoDatabase.sqlite(target).withTables(List.of("authtoken_token", "otp_totp_totpdevice")))
                .importFrom(BackupSource.of(fixture));
        assertThat(TestDatabases.queryAll(target, "SELECT t.key, u.username FROM authtoken_token t JOIN auth_user u"
                + " ON u.id = t.user_id")).isEqualTo("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b|alice|\n");
        assertThat(TestDatabases.queryAll(target, "SELECT d.name, u.username FROM otp_totp_totpdevice d JOIN auth_user u"
                + " ON u.id = d.user_id")).isEqualTo("phone|alice|\n");
    }

    private static final String ALICE = "{\"model\": \"auth.user\", \"fields\": {\"password\": \"pbkdf2_sha256$260000$s$a\","
            + " \"last_login\": null, \"is_superuser\": false, \"username\": \"alice\", \"first_name\": \"\","
            + " \"last_name\": \"\", \"email\": \"\", \"is_staff\": false, \"is_active\": true,"
            + " \"date_joined\": \"2020-01-01T00:00:00Z\", \"groups\": [], \"user_permissions\": []}}";

    private static byte[] tokens(String... usernames) {
        StringBuilder fixture = new StringBuilder("[\n" + ALICE);
        for (String username : usernames) {
            fixture.append(",\n{\"model\": \"authtoken.token\", \"pk\": \"key-").append(username)
                    .append("\", \"fields\": {\"user\": [\"").append(username).append("\"], \"created\": \"2024-05-01T09:30:15.123Z\"}}");
        }
        return fixture.append("\n]\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aTokenForAUserTheFixtureDoesNotHoldIsRefusedNamingItsPlace() {
        Path target = target("target.sqlite3");
        TestDatabases.insertUser(target, 4, "bob", "x");
        String before = TestDatabases.sha256(target);

        for (String stranger : List.of("mallory", "bob")) {
            assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target).withTables(List.of("authtoken_token")))
                    .importFrom(BackupSource.of(tokens("alice", stranger))))
                    .isInstanceOf(InvalidBackupException.class)
                    .hasMessage("[2].fields.user: user '" + stranger + "' is not among the fixture's users");
            assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        }
    }

    @Test
    void aTokenOfTheFixturesUserFollowsThatUsersIdInTheTarget() {
        Path target = target("target.sqlite3");
        TestDatabases.insertUser(target, 4, "alice", "x");

        Importer.of(DjangoDatabase.sqlite(target).withTables(List.of("authtoken_token")))
                .importFrom(BackupSource.of(tokens("alice")));

        assertThat(TestDatabases.queryAll(target, "SELECT key, created, user_id FROM authtoken_token"))
                .isEqualTo("key-alice|2024-05-01 09:30:15.123000|4|\n");
    }

    @Test
    void oneUsersRowsOfIncludedTablesAreRestoredWithUser() {
        Path source = source();
        List<String> tables = List.of("authtoken_token", "account_emailaddress");
        byte[] fixture = fixture(DjangoDatabase.sqlite(source).withTables(tables));
        Path target = target("target.sqlite3");

        Importer.of(DjangoDatabase.sqlite(target).withTables(tables)).withUsers(List.of("bob"))
                .importFrom(BackupSource.of(fixture));

        assertThat(TestDatabases.queryAll(target, "SELECT username FROM auth_user")).isEqualTo("bob|\n");
        assertThat(TestDatabases.queryAll(target, "SELECT e.email, u.username FROM account_emailaddress e JOIN auth_user u"
                + " ON u.id = e.user_id")).isEqualTo("bob@example.com|bob|\n");
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM authtoken_token")).isZero();
    }
}
