package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.model.Sections;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A custom {@code AUTH_USER_MODEL} ({@code accounts.User(AbstractUser)} with extra columns) as Django made it. */
class CustomUserModelTest {
    @TempDir
    Path dir;

    private Path source() {
        return source("source");
    }

    private Path source(String name) {
        Path db = TestDatabases.create(dir, name + ".sqlite3", TestDatabases.CUSTOM_USER);
        TestDatabases.execute(db, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id)"
                + " VALUES (4, 'pbkdf2_sha256$260000$s$h', '2024-05-02 18:00:00', 0, 'ana', 'Ana', 'Ñ', 'ana@example.com', 0, 1,"
                + " '2024-05-01 09:30:15.123456', '+34 600', '1990-02-28', -3, 1234.5, 'line one\nline \"two\"',"
                + " 'c3d4e5f6a7b84c9d8e0f112233445566')");
        TestDatabases.execute(db, "INSERT INTO accounts_user (id, password, last_login, is_superuser, username, first_name,"
                + " last_name, email, is_staff, is_active, date_joined, phone, birth_date, karma, balance, bio, external_id)"
                + " VALUES (5, '!', NULL, 1, 'root', '', '', '', 1, 1, '2024-05-01 09:30:15', '', NULL, 0, 7, '', NULL)");
        TestDatabases.execute(db, "INSERT INTO auth_group (name) VALUES ('staff')");
        TestDatabases.execute(db, "INSERT INTO accounts_user_groups (user_id, group_id) SELECT 4, id FROM auth_group");
        TestDatabases.execute(db, "INSERT INTO accounts_user_user_permissions (user_id, permission_id)"
                + " SELECT 5, id FROM auth_permission WHERE codename = 'view_openaimodel'");
        TestDatabases.execute(db, "INSERT INTO chat_openaimodel (id, name, description, max_tokens, temperature, is_enabled, created)"
                + " VALUES (1, 'o3-mini', '', 10, 0.2, 0, '2024-05-01 09:30:15')");
        TestDatabases.execute(db, "INSERT INTO chat_openaimodel_users (openaimodel_id, user_id) VALUES (1, 4)");
        return db;
    }

    @Test
    void theUserTableIsFoundAndEveryExtraColumnSurvivesARestore() {
        String backup = ExportImportProperties.export(source());
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.CUSTOM_USER);

        ImportResult result = ExportImportProperties.importInto(target, backup, ImportMode.MERGE);

        assertThat(result.section(Sections.USERS).created()).isEqualTo(2);
        assertThat(backup).contains("\"phone\":\"+34 600\"", "\"birth_date\":\"1990-02-28\"", "\"karma\":-3",
                "\"balance\":1234.5", "\"balance\":7", "\"external_id\":\"c3d4e5f6a7b84c9d8e0f112233445566\"");
        assertThat(ExportImportProperties.export(target)).isEqualTo(backup);
        assertThat(TableDump.of(target)).isEqualTo(TableDump.of(source("again")));
    }

    @Test
    void aBackupOfTheDefaultUserModelDoesNotFitACustomOneWithMoreRequiredColumns() {
        Path plain = TestDatabases.create(dir, "plain.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(plain, 1, "alice", "x");
        String backup = ExportImportProperties.export(plain);
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.CUSTOM_USER);
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> ExportImportProperties.importInto(target, backup, ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[0]: column accounts_user.phone is NOT NULL and the backup has no value for it");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void theUserTableCanBeNamed() {
        Path db = source();
        DjangoDatabase named = DjangoDatabase.sqlite(db).withUserTable("accounts_user");

        ExportResult result = Exporter.of(named).exportTo(new java.io.ByteArrayOutputStream());

        assertThat(result.rows(Sections.USERS)).isEqualTo(2);
        assertThatThrownBy(() -> Exporter.of(DjangoDatabase.sqlite(db).withUserTable("auth_user")).exportTo(new java.io.ByteArrayOutputStream()))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("table auth_user is missing: is this a migrated Django database?");
    }
}
