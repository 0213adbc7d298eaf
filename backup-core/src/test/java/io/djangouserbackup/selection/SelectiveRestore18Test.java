package io.djangouserbackup.selection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.Exporter;
import io.djangouserbackup.core.ImportMode;
import io.djangouserbackup.core.ImportReport;
import io.djangouserbackup.core.ImportResult;
import io.djangouserbackup.core.Importer;
import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.core.RowChange;
import io.djangouserbackup.core.TestDatabases;
import io.djangouserbackup.model.Sections;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, through the public API only: restoring and exporting some users leaves every other user and row as it
 * is.
 */
class SelectiveRestore18Test {
    @TempDir
    Path dir;

    /** alice (groups staff, editors; a permission; models gpt-a shared with bob, gpt-b), bob, carol. */
    private Path source() {
        Path db = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$1$a$alice");
        TestDatabases.insertUser(db, 2, "bob", "pbkdf2_sha256$1$b$bob");
        TestDatabases.insertUser(db, 3, "carol", "pbkdf2_sha256$1$c$carol");
        TestDatabases.addToGroup(db, 1, "staff");
        TestDatabases.addToGroup(db, 1, "editors");
        TestDatabases.addToGroup(db, 2, "staff");
        TestDatabases.grantGroup(db, "editors", "change_user");
        TestDatabases.grant(db, 1, "view_user");
        TestDatabases.insertModel(db, 1, "gpt-a", 0.5, 1, 2);
        TestDatabases.insertModel(db, 2, "gpt-b", 0.7, 1);
        TestDatabases.insertModel(db, 3, "gpt-c", 0.7, 3);
        return db;
    }

    private static byte[] export(Exporter exporter) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        exporter.exportTo(out);
        return out.toByteArray();
    }

    private static long count(Path db, String sql) {
        return TestDatabases.queryLong(db, sql);
    }

    /** alice deleted with Django's cascades, then others changed: only alice comes back, nothing else moves. */
    @Test
    void restoringOneDeletedUserLeavesEveryoneElseAsTheyAreNow() {
        Path db = source();
        byte[] backup = export(Exporter.of(DjangoDatabase.sqlite(db)));
        // What Django's delete() of alice does: her links go with her.
        TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE user_id = 1");
        TestDatabases.execute(db, "DELETE FROM auth_user_user_permissions WHERE user_id = 1");
        TestDatabases.execute(db, "DELETE FROM chat_openaimodel_users WHERE user_id = 1");
        TestDatabases.execute(db, "DELETE FROM auth_user WHERE id = 1");
        // Since the backup: bob's new password, gpt-a renamed, staff lost bob and gained a permission, gpt-b gone.
        TestDatabases.execute(db, "UPDATE auth_user SET password = 'pbkdf2_sha256$1$b$new' WHERE id = 2");
        TestDatabases.execute(db, "UPDATE chat_openaimodel SET name = 'gpt-a2' WHERE id = 1");
        TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE user_id = 2");
        TestDatabases.grantGroup(db, "staff", "delete_user");
        TestDatabases.execute(db, "DELETE FROM chat_openaimodel WHERE id = 2");
        String othersBefore = others(db);

        ImportResult result = Importer.of(DjangoDatabase.sqlite(db)).withUsers(List.of("alice"))
                .importFrom(BackupSource.of(backup));

        assertThat(result.section(Sections.USERS).created()).isEqualTo(1);
        assertThat(result.section(Sections.USERS).rows()).isEqualTo(1);
        assertThat(count(db, "SELECT id FROM auth_user WHERE username = 'alice'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM auth_user_groups WHERE user_id = 1")).isEqualTo(2);
        assertThat(count(db, "SELECT count(*) FROM auth_user_user_permissions WHERE user_id = 1")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel_users WHERE user_id = 1")).isEqualTo(2);
        // gpt-b was gone: it comes back with alice alone; gpt-a keeps its new name.
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel WHERE id = 2 AND name = 'gpt-b'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel WHERE id = 1 AND name = 'gpt-a2'")).isEqualTo(1);
        assertThat(others(db)).isEqualTo(othersBefore);
    }

    /** Everything that is not alice's: her rows and her links removed from a dump of the database. */
    private static String others(Path db) {
        StringBuilder dump = new StringBuilder();
        for (String sql : List.of("SELECT id || username || password || email FROM auth_user WHERE id <> 1 ORDER BY id",
                "SELECT id || name FROM auth_group ORDER BY id",
                "SELECT group_id || '-' || permission_id FROM auth_group_permissions ORDER BY id",
                "SELECT user_id || '-' || group_id FROM auth_user_groups WHERE user_id <> 1 ORDER BY id",
                "SELECT user_id || '-' || permission_id FROM auth_user_user_permissions WHERE user_id <> 1 ORDER BY id",
                "SELECT id || name || temperature FROM chat_openaimodel WHERE id <> 2 ORDER BY id",
                "SELECT openaimodel_id || '-' || user_id FROM chat_openaimodel_users WHERE user_id <> 1 ORDER BY id")) {
            dump.append(TestDatabases.queryAll(db, sql)).append('\n');
        }
        return dump.toString();
    }

    /** An existing user is set back to the backup's state; other users' links to the same model stay. */
    @Test
    void restoringAnExistingUserTouchesOnlyTheirOwnLinks() {
        Path db = source();
        byte[] backup = export(Exporter.of(DjangoDatabase.sqlite(db)));
        TestDatabases.execute(db, "UPDATE auth_user SET email = 'changed@example.com' WHERE id IN (1, 2)");
        TestDatabases.execute(db, "DELETE FROM chat_openaimodel_users WHERE openaimodel_id = 1");
        TestDatabases.execute(db, "INSERT INTO chat_openaimodel_users (openaimodel_id, user_id) VALUES (3, 1)");

        Importer importer = Importer.of(DjangoDatabase.sqlite(db)).withUsers(List.of("alice"));
        ImportReport report = importer.report(BackupSource.of(backup));
        importer.importFrom(BackupSource.of(backup));

        assertThat(report.rows()).extracting(RowChange::section).containsOnly(Sections.USERS, Sections.GROUPS,
                Sections.OPENAI_MODELS);
        assertThat(report.rows()).filteredOn(c -> c.section().equals(Sections.USERS)).extracting(RowChange::label)
                .containsExactly("alice");
        assertThat(count(db, "SELECT count(*) FROM auth_user WHERE id = 1 AND email = 'alice@example.com'")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM auth_user WHERE id = 2 AND email = 'changed@example.com'")).isEqualTo(1);
        // alice is on gpt-a again; bob, removed from it since, stays removed (his links are not touched); alice's
        // newer link to gpt-c, which the backup does not give her, is gone; carol's link to gpt-c stays.
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel_users WHERE openaimodel_id = 1 AND user_id = 1")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel_users WHERE openaimodel_id = 1 AND user_id = 2")).isEqualTo(0);
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel_users WHERE openaimodel_id = 3 AND user_id = 3")).isEqualTo(1);
        assertThat(count(db, "SELECT count(*) FROM chat_openaimodel_users WHERE openaimodel_id = 3 AND user_id = 1")).isEqualTo(0);
        assertThat(report.rows()).filteredOn(c -> c.section().equals(Sections.OPENAI_MODELS) && c.key().equals(3L))
                .extracting(RowChange::changedFields).containsExactly(List.of("assigned_users"));
    }

    @Test
    void aUsernameTheBackupLacksIsRefusedByNameBeforeAnythingIsWritten() {
        Path db = source();
        byte[] backup = export(Exporter.of(DjangoDatabase.sqlite(db)));
        TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE user_id = 1");
        String before = TestDatabases.sha256(db);

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).withUsers(List.of("alice", "mallory"))
                .importFrom(BackupSource.of(backup)))
                .isInstanceOf(InvalidBackupException.class).hasMessageContaining("'mallory'");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);
    }

    @Test
    void aGoneUserWhoseIdNowBelongsToAnotherIsRefusedNamingBoth() {
        Path db = source();
        byte[] backup = export(Exporter.of(DjangoDatabase.sqlite(db)));
        TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE user_id = 1");
        TestDatabases.execute(db, "DELETE FROM auth_user_user_permissions WHERE user_id = 1");
        TestDatabases.execute(db, "DELETE FROM chat_openaimodel_users WHERE user_id = 1");
        TestDatabases.execute(db, "UPDATE auth_user SET username = 'dave' WHERE id = 1");

        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).withUsers(List.of("alice"))
                .importFrom(BackupSource.of(backup)))
                .isInstanceOf(IncompatibleDatabaseException.class).hasMessageContaining("id 1").hasMessageContaining("'dave'");
    }

    /** A partial backup restores on its own into an empty database, and never replaces one. */
    @Test
    void aPartialExportRestoresOnItsOwnAndRefusesReplace() {
        Path db = source();
        byte[] partial = export(Exporter.of(DjangoDatabase.sqlite(db)).withUsers(List.of("alice")));
        assertThat(new String(partial, StandardCharsets.UTF_8)).contains("\"partial\": {\"users\":[\"alice\"]}")
                .doesNotContain("bob").doesNotContain("carol").doesNotContain("gpt-c");

        Path empty = TestDatabases.create(dir, "empty.sqlite3", TestDatabases.AUTH_USER);
        Importer.of(DjangoDatabase.sqlite(empty)).importFrom(BackupSource.of(partial));
        assertThat(count(empty, "SELECT count(*) FROM auth_user")).isEqualTo(1);
        assertThat(count(empty, "SELECT count(*) FROM chat_openaimodel_users")).isEqualTo(2);
        assertThat(count(empty, "SELECT count(*) FROM auth_group")).isEqualTo(2);

        String before = TestDatabases.sha256(db);
        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).withMode(ImportMode.REPLACE)
                .importFrom(BackupSource.of(partial)))
                .isInstanceOf(IncompatibleDatabaseException.class).hasMessageContaining("replace");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);
        assertThatThrownBy(() -> Importer.of(DjangoDatabase.sqlite(db)).withMode(ImportMode.REPLACE).withUsers(List.of("alice"))
                .importFrom(BackupSource.of(partial)))
                .isInstanceOf(IncompatibleDatabaseException.class);
    }

    @Test
    void exportingAUserTheDatabaseLacksIsRefusedByName() {
        Path db = source();
        assertThatThrownBy(() -> export(Exporter.of(DjangoDatabase.sqlite(db)).withUsers(List.of("zed"))))
                .isInstanceOf(IncompatibleDatabaseException.class).hasMessageContaining("'zed'");
    }
}
