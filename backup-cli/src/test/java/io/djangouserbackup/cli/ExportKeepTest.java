package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code export --keep N}: the folder's oldest default-named backups beyond the newest N go; nothing else does. */
class ExportKeepTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Path db;
    private Path backups;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void aFolderOfOldBackupsAndOtherFiles() throws IOException {
        db = Fixtures.djangoDatabase(dir, "db.sqlite3");
        backups = Files.createDirectory(dir.resolve("backups"));
        for (String name : new String[] {"user_data_backup_20251230_030000.json", "user_data_backup_20251231_030000.json.gz",
                "user_data_backup_20260101_030000.json.gz.enc", "user_data_backup_20260101_040000.json.enc",
                // Not backups of this tool's default name: never deleted, however old.
                "user_data_backup_2025_old.json", "users_20200101_000000.json", "notes.txt",
                ".user_data_backup_20200101_000000.json.123.partial", "user_data_backup_20200101_000000.json.bak"}) {
            Files.writeString(backups.resolve(name), "x");
        }
        Files.createDirectory(backups.resolve("user_data_backup_20190101_000000.json"));
    }

    private String[] names() throws IOException {
        try (Stream<Path> files = Files.list(backups)) {
            return files.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void keepsTheNewestNTheNewOneIncludedAndSaysWhatItDeleted() throws IOException {
        // Cli.CLOCK is 2026-01-02 03:04:05 UTC: the new backup is the newest.
        Cli.Result result = cli().run("export", "--db", db.toString(), "--keep", "2", "backups/user_data_backup_20260102_030405.json");

        assertExit(result, 0);
        assertThat(names()).containsExactlyInAnyOrder(".user_data_backup_20200101_000000.json.123.partial", "notes.txt",
                "user_data_backup_20190101_000000.json", "user_data_backup_20200101_000000.json.bak",
                "user_data_backup_20260101_040000.json.enc", "user_data_backup_20260102_030405.json",
                "user_data_backup_2025_old.json", "users_20200101_000000.json");
        assertThat(result.out().lines()).containsSubsequence(
                "Deleted old backup " + backups.resolve("user_data_backup_20251230_030000.json") + " (--keep 2)",
                "Deleted old backup " + backups.resolve("user_data_backup_20251231_030000.json.gz") + " (--keep 2)",
                "Deleted old backup " + backups.resolve("user_data_backup_20260101_030000.json.gz.enc") + " (--keep 2)");
    }

    @Test
    void withTheDefaultNameInTheCurrentFolder() throws IOException {
        Cli.Result result = new Cli(backups, temp).run("export", "--quiet", "--db", db.toString(), "--keep", "1");

        assertExit(result, 0);
        assertThat(names()).contains("user_data_backup_20260102_030405.json", "notes.txt")
                .doesNotContain("user_data_backup_20260101_040000.json.enc", "user_data_backup_20251230_030000.json");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void theBackupJustWrittenIsKeptEvenWhenItsNameIsOlder() throws IOException {
        Cli.Result result = cli().run("export", "--db", db.toString(), "--keep", "1", "backups/user_data_backup_20000101_000000.json");

        assertExit(result, 0);
        assertThat(names()).contains("user_data_backup_20000101_000000.json")
                .doesNotContain("user_data_backup_20260101_040000.json.enc");
    }

    @Test
    void aFailedExportDeletesNothing() throws IOException {
        String[] before = names();

        Cli.Result result = cli().run("export", "--db", dir.resolve("missing.sqlite3").toString(), "--keep", "1",
                "backups/user_data_backup_20260102_030405.json");

        assertThat(result.exitCode()).isNotZero();
        assertThat(names()).containsExactly(before);
    }

    @Test
    void anExistingOutputRefusedDeletesNothing() throws IOException {
        String[] before = names();

        Cli.Result result = cli().run("export", "--db", db.toString(), "--keep", "1", "backups/user_data_backup_20260101_040000.json.enc");

        assertThat(result.exitCode()).isNotZero();
        assertThat(names()).containsExactly(before);
    }

    @Test
    void keepNeedsOneOrMoreAndAFile() throws IOException {
        String[] before = names();
        assertExit(cli().run("export", "--db", db.toString(), "--keep", "0", "backups/user_data_backup_20260102_030405.json"),
                ExitCodes.USAGE);
        assertExit(cli().run("export", "--db", db.toString(), "--keep", "3", "-"), ExitCodes.USAGE);
        assertExit(cli().run("export", "--db", db.toString(), "--keep", "many"), ExitCodes.USAGE);
        assertThat(names()).containsExactly(before);
    }
}
