package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11: tables tied to users, backed up with --table / --all-user-tables and restored from the backup alone. */
class MoreTables11Test {
    @TempDir
    Path dir;

    static String export(DjangoDatabase db) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Exporter.of(db).exportTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    static ImportResult importInto(Path db, String document, ImportMode mode) {
        return Importer.of(DjangoDatabase.sqlite(db)).withMode(mode)
                .importFrom(BackupSource.of(document.getBytes(StandardCharsets.UTF_8)));
    }

    private Path source() {
        return MoreTables.source(dir, "source.sqlite3", TestDatabases.AUTH_USER);
    }

    private Path target(String name) {
        // Other content-type and permission ids than the source's.
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER_EXTRA_APPS);
        MoreTables.create(db);
        return db;
    }

    @Test
    void allUserTablesIncludesEveryTableTiedToUsersButLogsAndSessions() throws Exception {
        JsonNode backup = new ObjectMapper().readTree(export(DjangoDatabase.sqlite(source()).withAllUserTables(true)));

        List<String> sections = new java.util.ArrayList<>();
        backup.fieldNames().forEachRemaining(sections::add);
        assertThat(sections).contains("authtoken_token", "account_emailaddress", "account_emailconfirmation",
                "otp_totp_totpdevice", "guardian_userobjectpermission", "guardian_groupobjectpermission", "extras_profile",
                "extras_project").doesNotContain("django_session", "django_admin_log", "extras_project_members",
                "auth_user_groups", "chat_openaimodel_users");
        assertThat(sections.indexOf("account_emailconfirmation")).isGreaterThan(sections.indexOf("account_emailaddress"));
        assertThat(sections.indexOf("authtoken_token")).isGreaterThan(sections.indexOf(Sections.USERS));
        JsonNode permission = backup.get("guardian_userobjectpermission").get(0);
        assertThat(permission.get("content_type_id").toString()).isEqualTo("{\"app_label\":\"chat\",\"model\":\"openaimodel\"}");
        assertThat(permission.get("permission_id").toString())
                .isEqualTo("{\"app_label\":\"chat\",\"model\":\"openaimodel\",\"codename\":\"change_openaimodel\"}");
        assertThat(backup.get("extras_project").get(0).get("members").toString()).isEqualTo("[1,2]");
        assertThat(backup.get("authtoken_token").get(0).get("key").asText()).isEqualTo("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b");
    }

    @Test
    void aReferenceToATableLeftOutIsRefusedNamingTheOption() {
        DjangoDatabase db = DjangoDatabase.sqlite(source()).withTables(List.of("account_emailconfirmation"));

        assertThatThrownBy(() -> export(db))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("table account_emailconfirmation: column email_address_id refers to table account_emailaddress,"
                        + " which is not in the backup; add --table account_emailaddress (or use --all-user-tables)");
    }

    @Test
    void aBuiltInTableCannotBeIncludedTwice() {
        assertThatThrownBy(() -> export(DjangoDatabase.sqlite(source()).withTables(List.of("auth_user_groups"))))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("auth_user_groups: this table is backed up already");
    }

    private static String sealed(String document) {
        return BackupDigest.seal(document);
    }

    private static String rows(Path db, String sql) {
        StringBuilder out = new StringBuilder();
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement(); var rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    out.append(rs.getString(i)).append('|');
                }
                out.append('\n');
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    private static final String GUARDIAN = "SELECT u.username, g.object_pk, ct.app_label, ct.model, p.codename FROM"
            + " guardian_userobjectpermission g JOIN auth_user u ON u.id = g.user_id JOIN django_content_type ct ON"
            + " ct.id = g.content_type_id JOIN auth_permission p ON p.id = g.permission_id ORDER BY g.id";

    @Test
    void aBackupWithAddedTablesRestoresWithoutOptionsIntoADatabaseWithOtherIds() {
        Path source = source();
        String backup = export(DjangoDatabase.sqlite(source).withAllUserTables(true));
        Path target = target("target.sqlite3");

        ImportResult result = importInto(target, backup, ImportMode.MERGE);

        assertThat(result.section("authtoken_token").created()).isEqualTo(1);
        assertThat(result.section("extras_profile").created()).isEqualTo(2);
        for (String table : List.of("authtoken_token", "account_emailaddress", "account_emailconfirmation", "otp_totp_totpdevice",
                "extras_profile", "extras_project", "extras_project_members")) {
            assertThat(rows(target, "SELECT * FROM " + table + " ORDER BY 1")).as(table)
                    .isEqualTo(rows(source, "SELECT * FROM " + table + " ORDER BY 1"));
        }
        assertThat(rows(target, GUARDIAN)).isEqualTo(rows(source, GUARDIAN)).isNotEmpty();
        assertThat(rows(target, "SELECT content_type_id FROM guardian_userobjectpermission"))
                .isNotEqualTo(rows(source, "SELECT content_type_id FROM guardian_userobjectpermission"));
        assertThat(rows(target, "SELECT count(*) FROM django_session")).isEqualTo("0|\n");
        assertThat(Verifier.standard().verify(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8))).rows())
                .containsEntry("extras_project", 2L);

        String twice = TableDump.of(target);
        importInto(target, backup, ImportMode.MERGE);
        assertThat(TableDump.of(target)).isEqualTo(twice);
        ImportReport report = Importer.of(DjangoDatabase.sqlite(target)).report(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8)));
        assertThat(report.rows()).filteredOn(c -> c.section().equals("authtoken_token")).singleElement()
                .satisfies(c -> assertThat(c.change()).isEqualTo(RowChange.Change.UNCHANGED));
        assertThat(report.rows()).allSatisfy(c -> assertThat(c.change()).isEqualTo(RowChange.Change.UNCHANGED));
    }

    @Test
    void aDanglingReferenceIsRefusedWithItsPlaceAndNothingIsWritten() {
        String backup = export(DjangoDatabase.sqlite(source()).withAllUserTables(true));
        Path target = target("target.sqlite3");
        String before = TestDatabases.sha256(target);
        String dangling = sealed(backup.replace("\"email\":\"bob@example.com\",\"verified\":false,\"primary\":true,\"user_id\":2",
                "\"email\":\"bob@example.com\",\"verified\":false,\"primary\":true,\"user_id\":9"));
        assertThat(dangling).isNotEqualTo(sealed(backup));

        assertThatThrownBy(() -> importInto(target, dangling, ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("account_emailaddress[1].user_id: user 9 is not in the backup's users");
        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(dangling.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("account_emailaddress[1].user_id: user 9 is not in the backup's users");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aMergeRefusesARowWhoseUniqueValueADifferentTargetRowHoldsNamingBoth() {
        String backup = export(DjangoDatabase.sqlite(source()).withAllUserTables(true));
        Path target = target("target.sqlite3");
        TestDatabases.insertUser(target, 1, "alice", "x");
        TestDatabases.execute(target, "INSERT INTO account_emailaddress (id, email, verified, \"primary\", user_id)"
                + " VALUES (40, 'alice@example.com', 1, 1, 1)");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("account_emailaddress[0].email: 'alice@example.com' belongs to account_emailaddress row id 40 in"
                        + " the target database, but to id 3 in the backup; account_emailaddress.email is unique, so the target"
                        + " cannot hold both; change one of them first");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);

        // Replace removes the target's own row first: then there is no collision.
        importInto(target, backup, ImportMode.REPLACE);
        assertThat(rows(target, "SELECT id, email FROM account_emailaddress ORDER BY id"))
                .isEqualTo("3|alice@example.com|\n4|bob@example.com|\n");
    }

    @Test
    void replaceRemovesChildrenBeforeParents() {
        String backup = export(DjangoDatabase.sqlite(source()).withAllUserTables(true));
        Path target = target("target.sqlite3");
        TestDatabases.insertUser(target, 50, "zed", "x");
        TestDatabases.execute(target, "INSERT INTO account_emailaddress (id, email, verified, \"primary\", user_id)"
                + " VALUES (60, 'zed@example.com', 1, 1, 50)");
        TestDatabases.execute(target, "INSERT INTO account_emailconfirmation (id, created, sent, key, email_address_id)"
                + " VALUES (70, '2024-01-01 00:00:00', NULL, 'zk', 60)");
        TestDatabases.execute(target, "INSERT INTO extras_profile (user_id, bio, mentor_id) VALUES (50, 'z', NULL)");

        ImportResult result = importInto(target, backup, ImportMode.REPLACE);

        assertThat(result.section("account_emailconfirmation").removed()).isEqualTo(1);
        assertThat(rows(target, "SELECT username FROM auth_user ORDER BY id")).isEqualTo("alice|\nbob|\n");
        assertThat(rows(target, "SELECT count(*) FROM account_emailconfirmation")).isEqualTo("1|\n");
    }

    @Test
    void aDescriptionThatNamesABuiltInTableOrNoPlainNameIsRefused() {
        String backup = export(DjangoDatabase.sqlite(source()).withTables(List.of("authtoken_token")));
        Path target = target("target.sqlite3");
        String before = TestDatabases.sha256(target);
        String intoUsers = sealed(backup.replace("\"authtoken_token\":{\"table\":\"authtoken_token\"",
                "\"authtoken_token\":{\"table\":\"auth_user\""));
        String injected = sealed(backup.replace("\"authtoken_token\":{\"table\":\"authtoken_token\"",
                "\"authtoken_token\":{\"table\":\"x; DROP TABLE auth_user\""));
        assertThat(intoUsers).isNotEqualTo(sealed(backup));

        assertThatThrownBy(() -> importInto(target, intoUsers, ImportMode.REPLACE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("table auth_user is one of the built-in sections' tables");
        assertThatThrownBy(() -> importInto(target, injected, ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("sections.authtoken_token.table: not a plain table name");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aMergeRefusesARowThatATargetRowHoldsOnAUniqueTogetherIndexNamingBoth() {
        String backup = export(DjangoDatabase.sqlite(source()).withAllUserTables(true));
        Path target = target("target.sqlite3");
        TestDatabases.insertUser(target, 2, "bob", "x");
        TestDatabases.execute(target, "INSERT INTO guardian_userobjectpermission (id, object_pk, content_type_id, permission_id, user_id)"
                + " SELECT 99, '1', ct.id, p.id, 2 FROM django_content_type ct JOIN auth_permission p ON p.content_type_id = ct.id"
                + " WHERE ct.app_label = 'chat' AND ct.model = 'openaimodel' AND p.codename = 'change_openaimodel'");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageStartingWith("guardian_userobjectpermission[0].user_id,permission_id,object_pk: (2, ")
                .hasMessageContaining("belongs to guardian_userobjectpermission row id 99 in the target database, but to id 5"
                        + " in the backup; guardian_userobjectpermission.(user_id, permission_id, object_pk) is unique together");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);

        importInto(target, backup, ImportMode.REPLACE);
        assertThat(rows(target, "SELECT id FROM guardian_userobjectpermission")).isEqualTo("5|\n");
    }
}
