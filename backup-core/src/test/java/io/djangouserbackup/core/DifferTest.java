package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.RowChange.Change;
import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Differ}: what changed between two backups, per row and field, never a value. */
class DifferTest {
    private static final String ALICE_HASH = "pbkdf2_sha256$1$a$b";
    private static final String ALICE_NEW_HASH = "pbkdf2_sha256$1$x$y";

    @TempDir
    Path dir;

    private static BackupSource source(String backup) {
        return BackupSource.of(backup.getBytes(StandardCharsets.UTF_8));
    }

    private Path aliceBobCarol(String name) {
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", ALICE_HASH);
        TestDatabases.insertUser(db, 2, "bob", "pbkdf2_sha256$1$c$d");
        TestDatabases.insertUser(db, 3, "carol", "pbkdf2_sha256$1$e$f");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.insertModel(db, 1, "gpt-4o", 0.7, 1, 2);
        return db;
    }

    @Test
    void twoBackupsOfAnUnchangedDatabaseAreIdentical() {
        Path db = aliceBobCarol("db.sqlite3");
        String first = ExportImportProperties.export(db);
        String second = ExportImportProperties.export(db);

        DiffResult diff = Differ.standard().diff(source(first), source(second));

        assertThat(diff.identical()).isTrue();
        assertThat(diff.changes()).isEmpty();
        assertThat(diff.sections().get(Sections.USERS)).isEqualTo(new SectionCounts(3, 0, 0, 3, 0));
        assertThat(diff.count(Sections.PERMISSIONS, Change.UNCHANGED)).isPositive();
        assertThat(diff.sections()).containsKeys(Sections.USERS, Sections.GROUPS, Sections.PERMISSIONS,
                Sections.OPENAI_MODELS);
    }

    @Test
    void eachRowIsCreatedUpdatedOrRemovedWithTheNamesOfTheChangedFieldsOnly() {
        Path db = aliceBobCarol("db.sqlite3");
        String older = ExportImportProperties.export(db);
        TestDatabases.execute(db, "UPDATE auth_user SET email = 'new@example.com', password = ? WHERE id = 1", ALICE_NEW_HASH);
        TestDatabases.execute(db, "DELETE FROM auth_user_groups WHERE user_id = 2");
        TestDatabases.execute(db, "DELETE FROM chat_openaimodel_users WHERE user_id = 3");
        TestDatabases.execute(db, "DELETE FROM auth_user WHERE id = 3");
        TestDatabases.insertUser(db, 9, "zed", "pbkdf2_sha256$1$z$z");
        TestDatabases.addToGroup(db, 9, "reviewers");
        String newer = ExportImportProperties.export(db);

        DiffResult diff = Differ.standard().diff(source(older), source(newer));

        assertThat(diff.identical()).isFalse();
        assertThat(diff.changes()).filteredOn(r -> r.section().equals(Sections.USERS)).containsExactly(
                new RowChange(Sections.USERS, 1L, "alice", Change.UPDATED, List.of("password", "email")),
                new RowChange(Sections.USERS, 2L, "bob", Change.UPDATED, List.of("groups")),
                new RowChange(Sections.USERS, 9L, "zed", Change.CREATED, List.of()),
                new RowChange(Sections.USERS, 3L, "carol", Change.REMOVED, List.of()));
        assertThat(diff.changes()).filteredOn(r -> r.section().equals(Sections.GROUPS)).containsExactly(
                new RowChange(Sections.GROUPS, "reviewers", "reviewers", Change.CREATED, List.of()));
        assertThat(diff.sections().get(Sections.USERS)).isEqualTo(new SectionCounts(3, 1, 2, 0, 1));
        assertThat(diff.count(Sections.GROUPS, Change.UNCHANGED)).isEqualTo(1);
        // Names only: no hash, old or new, anywhere in what the diff holds.
        assertThat(diff.toString()).doesNotContain(ALICE_HASH).doesNotContain(ALICE_NEW_HASH).doesNotContain("$1$");
    }

    @Test
    void sectionsTheLibraryDoesNotKnowAreComparedByIdAndASectionOnlyOneBackupHasIsAllCreatedOrRemoved() {
        String older = BackupDigest.seal("{\"format_version\": 1, \"export_date\": \"2026-01-01T00:00:00Z\","
                + " \"permissions\": [], \"groups\": [], \"users\": [],"
                + " \"profiles\": [{\"id\": 1, \"name\": \"a\", \"bio\": \"x\"}, {\"id\": 2, \"name\": \"b\", \"bio\": \"y\"}],"
                + " \"gone\": [{\"id\": 5, \"name\": \"old\"}]}");
        String newer = BackupDigest.seal("{\"format_version\": 1, \"export_date\": \"2026-01-02T00:00:00Z\","
                + " \"permissions\": [], \"groups\": [], \"users\": [],"
                + " \"profiles\": [{\"id\": 1, \"name\": \"a\", \"bio\": \"changed\", \"extra\": null}, {\"id\": 2, \"name\": \"b\", \"bio\": \"y\"}],"
                + " \"added\": [{\"key\": \"k\"}]}");

        DiffResult diff = Differ.standard().diff(source(older), source(newer));

        assertThat(diff.changes()).containsExactly(
                new RowChange("profiles", 1L, "a", Change.UPDATED, List.of("bio", "extra")),
                new RowChange("added", diff.changes().get(1).key(), null, Change.CREATED, List.of()),
                new RowChange("gone", 5L, "old", Change.REMOVED, List.of()));
        assertThat(diff.sections().keySet()).containsExactly("permissions", "groups", "users", "profiles", "added", "gone");
        assertThat(diff.sections().get("gone")).isEqualTo(new SectionCounts(0, 0, 0, 0, 1));
        assertThat(diff.sections().get("profiles")).isEqualTo(new SectionCounts(2, 0, 1, 1, 0));
    }

    @Test
    void aDamagedBackupIsRefusedNamingWhichOfTheTwo() {
        Path db = aliceBobCarol("db.sqlite3");
        String good = ExportImportProperties.export(db);
        String truncated = good.substring(0, good.length() / 2);
        BackupSource damaged = new BackupSource() {
            @Override
            public String description() {
                return "tuesday.json";
            }

            @Override
            protected java.io.InputStream openRaw() {
                return new java.io.ByteArrayInputStream(truncated.getBytes(StandardCharsets.UTF_8));
            }
        };

        assertThatThrownBy(() -> Differ.standard().diff(source(good), damaged))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessageStartingWith("tuesday.json: ");
    }
}
