package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an import treats the target: natural keys, ids, modes, and the checks made before anything is written. */
class ImportRulesTest {
    @TempDir
    Path dir;

    private Path source() {
        Path db = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$260000$salt$hash=");
        TestDatabases.insertUser(db, 2, "bob", "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA");
        TestDatabases.addToGroup(db, 1, "editors");
        TestDatabases.grantGroup(db, "editors", "change_openaimodel");
        TestDatabases.grant(db, 2, "view_user");
        TestDatabases.insertModel(db, 5, "gpt-4o", 0.7, 1, 2);
        return db;
    }

    /** The import is refused with exactly this message, and the target file is byte for byte as it was. */
    private static void assertRefusedAndUnchanged(Path target, String backup, ImportMode mode,
                                                  Class<? extends BackupException> type, String message) {
        String before = TestDatabases.sha256(target);
        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, mode)).isInstanceOf(type).hasMessage(message);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    private static void assertRefusedAndUnchangedStartingWith(Path target, String backup, ImportMode mode,
                                                              Class<? extends BackupException> type, String start) {
        String before = TestDatabases.sha256(target);
        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, mode)).isInstanceOf(type)
                .hasMessageStartingWith(start);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    private static long count(Path db, String sql) {
        return TestDatabases.queryLong(db, sql);
    }

    @Test
    void permissionsAreMatchedByNaturalKeyWhenIdsDiffer() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER_EXTRA_APPS);
        assertThat(count(target, "SELECT id FROM auth_permission WHERE codename = 'view_user'"))
                .as("the target's ids really differ").isNotEqualTo(count(source(dir, "again"), "SELECT id FROM auth_permission WHERE codename = 'view_user'"));

        ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(count(target, "SELECT count(*) FROM auth_user_user_permissions up JOIN auth_permission p ON p.id = up.permission_id"
                + " JOIN django_content_type ct ON ct.id = p.content_type_id WHERE up.user_id = 2 AND p.codename = 'view_user'"
                + " AND ct.app_label = 'auth' AND ct.model = 'user'")).isEqualTo(1);
        assertThat(count(target, "SELECT count(*) FROM auth_group_permissions gp JOIN auth_group g ON g.id = gp.group_id"
                + " JOIN auth_permission p ON p.id = gp.permission_id WHERE g.name = 'editors' AND p.codename = 'change_openaimodel'"))
                .isEqualTo(1);
    }

    private static Path source(Path dir, String name) {
        return TestDatabases.create(dir, name + ".sqlite3", TestDatabases.AUTH_USER);
    }

    @Test
    void aNewUserAfterTheImportGetsAFreshId() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        // What Django does: an INSERT without an id.
        TestDatabases.execute(target, "INSERT INTO auth_user (password, is_superuser, username, last_name, email, is_staff,"
                + " is_active, date_joined, first_name) VALUES ('x', 0, 'carol', '', '', 0, 1, '2024-01-01 00:00:00', '')");

        assertThat(count(target, "SELECT id FROM auth_user WHERE username = 'carol'")).isEqualTo(3);
    }

    @Test
    void mergeUpdatesTheBackupsUsersAndSetsTheirLinksExactly() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 1, "alice", "old-hash");
        TestDatabases.addToGroup(target, 1, "old-group");
        TestDatabases.grant(target, 1, "delete_user");
        TestDatabases.insertUser(target, 40, "target-only", "x");

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(result.section(Sections.USERS)).isEqualTo(new SectionCounts(2, 1, 1, 0, 0));
        assertThat(count(target, "SELECT count(*) FROM auth_user WHERE id = 1 AND password = 'pbkdf2_sha256$260000$salt$hash='")).isEqualTo(1);
        assertThat(count(target, "SELECT count(*) FROM auth_user_groups WHERE user_id = 1")).isEqualTo(1);
        assertThat(count(target, "SELECT count(*) FROM auth_user_user_permissions WHERE user_id = 1")).isZero();
        assertThat(count(target, "SELECT count(*) FROM auth_group WHERE name = 'old-group'")).as("merge keeps groups").isEqualTo(1);
        assertThat(count(target, "SELECT count(*) FROM auth_user WHERE id = 40")).isEqualTo(1);
    }

    @Test
    void groupsAreMatchedByNameAndKeepTheTargetsId() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(target, "INSERT INTO auth_group (id, name) VALUES (1, 'support'), (30, 'editors')");

        ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(count(target, "SELECT group_id FROM auth_user_groups WHERE user_id = 1")).isEqualTo(30);
        assertThat(count(target, "SELECT count(*) FROM auth_group")).isEqualTo(2);
    }

    @Test
    void mergeRefusesAUsernameThatBelongsToAnotherUserInTheTarget() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 9, "alice", "x");
        assertRefusedAndUnchanged(target, backup, ImportMode.MERGE, IncompatibleDatabaseException.class,
                "users[0].username: 'alice' belongs to auth_user id 9 in the target database, but to id 1 in the"
                        + " backup; two rows cannot share a username");
    }

    @Test
    void replaceFreesTheUsernameOfAUserItRemoves() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 9, "alice", "x");
        TestDatabases.addToGroup(target, 9, "gone");

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.REPLACE);

        assertThat(result.section(Sections.USERS).removed()).isEqualTo(1);
        assertThat(result.section(Sections.GROUPS).removed()).isEqualTo(1);
        assertThat(count(target, "SELECT id FROM auth_user WHERE username = 'alice'")).isEqualTo(1);
        assertThat(count(target, "SELECT count(*) FROM auth_group WHERE name = 'gone'")).isZero();
    }

    @Test
    void replaceRefusesToOrphanRowsOfOtherTablesAndChangesNothing() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 9, "admin", "x");
        TestDatabases.execute(target, "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag,"
                + " change_message, content_type_id, user_id) VALUES ('2024-01-01 00:00:00', '1', 'x', 1, '', 4, 9)");
        String before = TableDump.of(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.REPLACE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("django_admin_log id 1 (user_id) points at auth_user id 9 'admin'")
                .hasMessageContaining("Merge instead");
        // Found by the check pass (issue 19): a plan, hence a dry run and the prompt, refuses it too.
        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE)
                .plan(BackupSource.of(backup.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("django_admin_log id 1 (user_id) points at auth_user id 9 'admin'");
        assertThat(TableDump.of(target)).isEqualTo(before);
    }

    @Test
    void aHeldPermissionWhoseContentTypeTheTargetLacksIsRefusedByName() {
        Path db = source();
        TestDatabases.execute(db, "INSERT INTO django_content_type (app_label, model) VALUES ('billing', 'invoice')");
        TestDatabases.execute(db, "INSERT INTO auth_permission (content_type_id, codename, name)"
                + " SELECT id, 'pay_invoice', 'Can pay invoice' FROM django_content_type WHERE app_label = 'billing'");
        TestDatabases.grant(db, 1, "pay_invoice");
        String backup = ExportImportProperties.export(db);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        assertRefusedAndUnchanged(target, backup, ImportMode.MERGE, IncompatibleDatabaseException.class,
                "users[0].user_permissions[0]: permission billing.invoice.pay_invoice cannot be restored:"
                        + " content type billing.invoice does not exist in the target database (is that app installed and migrated?)");
    }

    @Test
    void anUnheldPermissionOfAMissingContentTypeIsLeftOutWithANote() {
        Path db = source();
        TestDatabases.execute(db, "INSERT INTO django_content_type (app_label, model) VALUES ('billing', 'invoice')");
        TestDatabases.execute(db, "INSERT INTO auth_permission (content_type_id, codename, name)"
                + " SELECT id, 'pay_invoice', 'Can pay invoice' FROM django_content_type WHERE app_label = 'billing'");
        String backup = ExportImportProperties.export(db);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(result.notes()).anyMatch(note -> note.contains("billing.invoice.pay_invoice was not restored"));
        assertThat(count(target, "SELECT count(*) FROM auth_user")).isEqualTo(2);
    }

    @Test
    void aPermissionTheTargetLacksIsCreatedWhenItsContentTypeExists() {
        Path db = source();
        TestDatabases.execute(db, "INSERT INTO auth_permission (content_type_id, codename, name)"
                + " SELECT id, 'export_user', 'Can export user' FROM django_content_type WHERE model = 'user'");
        TestDatabases.grant(db, 2, "export_user");
        String backup = ExportImportProperties.export(db);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(result.section(Sections.PERMISSIONS).created()).isEqualTo(1);
        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
    }

    @Test
    void theTargetSchemaIsCheckedBeforeAnythingIsWritten() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(target, "DROP TABLE chat_openaimodel_users");
        TestDatabases.execute(target, "DROP TABLE chat_openaimodel");
        assertRefusedAndUnchangedStartingWith(target, backup, ImportMode.MERGE, IncompatibleDatabaseException.class,
                "openai_models[0]: the target database has no OpenAI model table");
    }

    @Test
    void aDatabaseThatIsNotDjangoIsRefusedByName() {
        Path target = dir.resolve("empty.sqlite3");
        TestDatabases.execute(target, "CREATE TABLE t (x)");

        assertThatThrownBy(() -> ExportImportProperties.export(target))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("table django_content_type is missing: is this a migrated Django database?");
    }

    @Test
    void aMissingDatabaseFileIsNotCreated() {
        Path missing = dir.resolve("typo.sqlite3");

        assertThatThrownBy(() -> ExportImportProperties.export(missing)).isInstanceOf(DatabaseAccessException.class);
        assertThat(missing).doesNotExist();
    }

    @Test
    void planCountsWithoutWriting() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 2, "bob", "x");
        TestDatabases.insertUser(target, 77, "zed", "x");
        String before = TestDatabases.sha256(target);

        ImportPlan plan = Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE)
                .plan(BackupSource.of(backup.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(plan.section(Sections.USERS)).isEqualTo(new SectionCounts(2, 1, 1, 0, 1));
        assertThat(plan.section(Sections.OPENAI_MODELS)).isEqualTo(new SectionCounts(1, 1, 0, 0, 0));
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void mergeRefusesToOverwriteADifferentUserThatHasTheSameId() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 2, "newcomer", "x");
        assertRefusedAndUnchanged(target, backup, ImportMode.MERGE, IncompatibleDatabaseException.class,
                "users[1]: auth_user id 2 is username 'newcomer' in the target database but 'bob' in the backup;"
                        + " a merge would overwrite a different row (replace mode makes the target exactly the backup)");

        ExportImportProperties.importInto(target, backup, ImportMode.REPLACE);
        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
    }

    @Test
    void duplicateUsernamesAreFoundFarApartInALargeBackup() {
        StringBuilder users = new StringBuilder();
        int count = 25_000;
        for (int i = 1; i <= count; i++) {
            users.append(i == 1 ? "" : ",").append(DocumentBreakage.user(i, i == count ? "user-17" : "user-" + i));
        }
        String document = BackupDigest.seal("{\"format_version\": 1, \"export_date\": \"x\", \"permissions\": [], \"groups\": [],"
                + " \"users\": [" + users + "], \"openai_models\": []}");
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, document, ImportMode.MERGE))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("users[24999].username: username 'user-17' appears twice in users");
        assertThatThrownBy(() -> Verifier.standard().verify(BackupSource.of(document.getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("users[24999].username: username 'user-17' appears twice in users");
    }

    @Test
    void replaceGivesGroupsTheBackupsIds() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(target, "INSERT INTO auth_group (id, name) VALUES (1, 'target-only'), (7, 'editors')");

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.REPLACE);

        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
        assertThat(result.section(Sections.GROUPS)).isEqualTo(new SectionCounts(1, 1, 0, 0, 2));
    }

    /**
     * Found by {@code ExportImportProperties.replaceMakesTheTargetEqualTheBackup}: a replace where two users swap
     * usernames between the target and the backup (target: 1000000 'a'; backup: 1 'a', 1000000 'b') was refused
     * as a username clash, though afterwards the target is exactly the backup and no two rows share a username.
     */
    @Test
    void replaceMovesAUsernameToAnotherIdTheBackupAlsoHolds() {
        Path source = TestDatabases.create(dir, "swap-source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "a", "x");
        TestDatabases.insertUser(source, 1_000_000, "b", "y");
        Path target = TestDatabases.create(dir, "swap-target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 1_000_000, "a", "z");
        TestDatabases.insertUser(target, 1, "b", "w");
        String backup = ExportImportProperties.export(source);

        ExportImportProperties.importInto(target, backup, ImportMode.REPLACE);

        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
    }

    @Test
    void aDamagedFileIsReportedAsDamagedEvenWhenTheDamageBreaksAnotherRuleFirst() {
        String backup = ExportImportProperties.export(source());
        String damaged = backup.replaceFirst("\"is_superuser\"", "\"is_su4eruser\"");
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);

        assertRefusedAndUnchangedStartingWith(target, damaged, ImportMode.MERGE, InvalidBackupException.class,
                "sha256: the content does not match its digest");
    }
}
