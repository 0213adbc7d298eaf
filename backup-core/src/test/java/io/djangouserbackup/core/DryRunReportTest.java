package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.RowChange.Change;
import io.djangouserbackup.model.Sections;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Importer#report}: per row, what an import would do, without writing. */
class DryRunReportTest {
    @TempDir
    Path dir;

    private static BackupSource source(String backup) {
        return BackupSource.of(backup.getBytes(StandardCharsets.UTF_8));
    }

    private String backupOfAliceBobCarol() {
        Path db = TestDatabases.create(dir, "source.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(db, 1, "alice", "pbkdf2_sha256$1$a$b");
        TestDatabases.insertUser(db, 2, "bob", "pbkdf2_sha256$1$c$d");
        TestDatabases.insertUser(db, 3, "carol", "pbkdf2_sha256$1$e$f");
        TestDatabases.addToGroup(db, 2, "editors");
        TestDatabases.insertModel(db, 1, "gpt-4o", 0.7, 1, 2);
        return ExportImportProperties.export(db);
    }

    @Test
    void eachRowIsCreatedUpdatedUnchangedOrRemovedWithTheChangedFieldNames() {
        String backup = backupOfAliceBobCarol();
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        ExportImportProperties.importInto(target, backup, ImportMode.MERGE);
        TestDatabases.execute(target, "UPDATE auth_user SET email = 'new@example.com', password = 'pbkdf2_sha256$1$x$y' WHERE id = 1");
        TestDatabases.execute(target, "DELETE FROM auth_user_groups WHERE user_id = 2");
        TestDatabases.execute(target, "DELETE FROM auth_user WHERE id = 3");
        TestDatabases.insertUser(target, 9, "zed", "pbkdf2_sha256$1$z$z");
        String before = TestDatabases.sha256(target);

        ImportReport report = Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE).report(source(backup));

        assertThat(report.rows()).filteredOn(r -> r.section().equals(Sections.USERS)).containsExactly(
                new RowChange(Sections.USERS, 1L, "alice", Change.UPDATED, List.of("password", "email")),
                new RowChange(Sections.USERS, 2L, "bob", Change.UPDATED, List.of("groups")),
                new RowChange(Sections.USERS, 3L, "carol", Change.CREATED, List.of()),
                new RowChange(Sections.USERS, 9L, "zed", Change.REMOVED, List.of()));
        assertThat(report.rows()).filteredOn(r -> r.section().equals(Sections.GROUPS)).containsExactly(
                new RowChange(Sections.GROUPS, "editors", "editors", Change.UNCHANGED, List.of()));
        assertThat(report.rows()).filteredOn(r -> r.section().equals(Sections.OPENAI_MODELS)).containsExactly(
                new RowChange(Sections.OPENAI_MODELS, 1L, "gpt-4o", Change.UNCHANGED, List.of()));
        assertThat(report.plan().section(Sections.USERS).removed()).isEqualTo(1);
        assertThat(report.plan().section(Sections.USERS)).isEqualTo(new SectionCounts(3, 1, 2, 0, 1));
        assertThat(report.plan().section(Sections.GROUPS)).isEqualTo(new SectionCounts(1, 0, 0, 1, 0));
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void aRestoreThatAlreadyHappenedIsUnchangedThroughout() {
        String backup = backupOfAliceBobCarol();
        Path target = TestDatabases.create(dir, "target.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(target, 9, "zed", "pbkdf2_sha256$1$z$z");
        Importer importer = Importer.of(DjangoDatabase.sqlite(target)).withMode(ImportMode.REPLACE);
        assertThat(importer.report(source(backup)).rows()).extracting(RowChange::change).contains(Change.CREATED, Change.REMOVED);

        importer.importFrom(source(backup));
        ImportReport again = importer.report(source(backup));

        assertThat(again.rows()).hasSize(5).extracting(RowChange::change).containsOnly(Change.UNCHANGED);
        ImportReport merge = Importer.of(DjangoDatabase.sqlite(target)).report(source(backup));
        assertThat(merge.rows()).extracting(RowChange::change).containsOnly(Change.UNCHANGED);
    }
}
