package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom {@code AUTH_USER_MODEL} without a {@code username} column, as Django 3.2 migrated it:
 * {@code AbstractBaseUser} with {@code USERNAME_FIELD = "email"} (unique, NOT NULL) and a unique, nullable
 * {@code phone}. Users are identified by their e-mail besides their id, and every unique column is checked in the
 * check pass, so a merge never overwrites another user nor fails at write time.
 */
class CustomUsernameField11Test {
    private static final String SCHEMA = "email-user.sql";

    @TempDir
    Path dir;

    private Path database(String name) {
        return TestDatabases.create(dir, name + ".sqlite3", SCHEMA);
    }

    private static void insert(Path db, long id, String email, String phone) {
        TestDatabases.execute(db, "INSERT INTO accounts_user (id, password, last_login, is_superuser, email, phone,"
                + " full_name, is_staff, is_active) VALUES (?, 'pbkdf2_sha256$260000$s$h', NULL, 0, ?, ?, '', 0, 1)",
                id, email, phone);
    }

    private String backup() {
        Path source = database("source");
        insert(source, 1, "alice@example.com", "+100");
        insert(source, 2, "bob@example.com", "+200");
        return ExportImportProperties.export(source);
    }

    @Test
    void aBackupRestoresIntoAFreshDatabase() {
        String backup = backup();
        Path target = database("target");

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(result.section(Sections.USERS).created()).isEqualTo(2);
        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
    }

    @Test
    void aMergeRefusesToOverwriteAnotherUserWithTheSameId() {
        String backup = backup();
        Path target = database("target");
        insert(target, 1, "zed@example.com", null);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[0]: accounts_user id 1 is email 'zed@example.com' in the target database but"
                        + " 'alice@example.com' in the backup; a merge would overwrite a different row (replace mode makes"
                        + " the target exactly the backup)");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aMergeRefusesAnEmailAnotherTargetUserHoldsInTheCheckPass() {
        String backup = backup();
        Path target = database("target");
        insert(target, 9, "bob@example.com", null);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[1].email: 'bob@example.com' belongs to accounts_user id 9 in the target database, but to"
                        + " id 2 in the backup; two rows cannot share an email");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aMergeRefusesAPhoneAnotherTargetUserHoldsInTheCheckPassNamingBothRows() {
        String backup = backup();
        Path target = database("target");
        insert(target, 9, "dave@example.com", "+200");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[1].phone: '+200' belongs to accounts_user row id 9 in the target database, but to id 2"
                        + " in the backup; accounts_user.phone is unique, so the target cannot hold both; change one of"
                        + " them first");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aReplaceThatRemovesTheOtherHolderOfAPhoneIsAccepted() {
        String backup = backup();
        Path target = database("target");
        insert(target, 9, "dave@example.com", "+200");

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.REPLACE);

        assertThat(result.section(Sections.USERS).removed()).isEqualTo(1);
        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
    }

    @Test
    void twoBackupRowsWithOnePhoneAreAnInvalidBackup() {
        String backup = backup().replace("\"+200\"", "\"+100\"");
        Path target = database("target");

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target)).importFrom(BackupSource.of(
                BackupDigest.seal(backup).getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("users[1].phone: '+100' is also the phone of users[0]");
    }

    @Test
    void aFixtureNamesUsersByTheirEmail() throws java.io.IOException {
        Path source = database("source");
        insert(source, 1, "alice@example.com", "+100");
        TestDatabases.execute(source, "INSERT INTO accounts_profile (user_id, bio) VALUES (1, 'hi')");
        Path file = dir.resolve("fixture.json");

        Exporter.of(DjangoDatabase.sqlite(source).withTables(java.util.List.of("accounts_profile")))
                .withFormat(ExportFormat.DJANGO_FIXTURE).exportTo(file);

        String fixture = java.nio.file.Files.readString(file);
        assertThat(fixture).contains("{\"model\":\"accounts.profile\",\"fields\":{\"user\":[\"alice@example.com\"],\"bio\":\"hi\"}}");
    }
}
