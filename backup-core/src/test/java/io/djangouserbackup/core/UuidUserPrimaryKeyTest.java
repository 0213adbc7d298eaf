package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom {@code AUTH_USER_MODEL} whose primary key is a {@code UUIDField} ({@code uuid-user.sql}: Django 3.2's
 * {@code migrate} of contenttypes, auth and an {@code AbstractUser} subclass with
 * {@code id = UUIDField(primary_key=True)}, table {@code people_member}, ids {@code char(32)}). Users are identified
 * by integer ids throughout, so such a table is refused by name, before anything is read or written. Before, an
 * export wrote every user with no groups and no permissions (the link tables were read by integer id, which a
 * UUID is not) and exited 0, and the backup it wrote could not be imported.
 */
class UuidUserPrimaryKeyTest {
    private static final String MESSAGE = "table people_member: its primary key id is char(32), not an integer"
            + " (a UUIDField or another non-integer primary key); django-user-backup handles users, groups and OpenAI"
            + " models with integer ids (AutoField, BigAutoField) only";

    @TempDir
    Path dir;

    private Path database(String name) {
        Path db = TestDatabases.create(dir, name + ".sqlite3", "uuid-user.sql");
        TestDatabases.execute(db, "INSERT INTO auth_group (id, name) VALUES (1, 'staff')");
        TestDatabases.execute(db, "INSERT INTO people_member (id, password, is_superuser, username, first_name, last_name,"
                + " email, is_staff, is_active, date_joined) VALUES ('34ead03a3a16434eababafeb466f9929',"
                + " 'pbkdf2_sha256$260000$s$h', 0, 'alice', '', '', '', 0, 1, '2024-01-01 00:00:00')");
        TestDatabases.execute(db, "INSERT INTO people_member_groups (member_id, group_id)"
                + " VALUES ('34ead03a3a16434eababafeb466f9929', 1)");
        return db;
    }

    @Test
    void anExportRefusesAUserTableWithAUuidPrimaryKeyInsteadOfDroppingItsGroups() {
        Path source = database("source");

        assertThatThrownBy(() -> Exporter.of(DjangoDatabase.sqlite(source)).exportTo(new ByteArrayOutputStream()))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage(MESSAGE);
    }

    @Test
    void aDjangoFixtureExportRefusesItToo() {
        Path source = database("source");

        assertThatThrownBy(() -> Exporter.of(DjangoDatabase.sqlite(source)).withFormat(ExportFormat.DJANGO_FIXTURE)
                .exportTo(new ByteArrayOutputStream()))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage(MESSAGE);
    }

    @Test
    void anImportIntoSuchATargetIsRefusedWithTheSameMessageAndWritesNothing() throws Exception {
        Path source = TestDatabases.create(dir, "auth.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "alice", "pbkdf2_sha256$260000$s$h");
        String backup = ExportImportProperties.export(source);
        Path target = database("target");
        String before = TestDatabases.sha256(target);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.MERGE)
                .importFrom(BackupSource.of(backup.getBytes(StandardCharsets.UTF_8))))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage(MESSAGE);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertThat(Files.exists(target)).isTrue();
    }
}
