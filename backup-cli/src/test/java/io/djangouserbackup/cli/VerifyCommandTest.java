package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void aBackup() {
        Path source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        assertExit(cli().run("export", "--db", source.toString(), "backup.json"), 0);
        assertExit(cli().run("export", "--db", source.toString(), "backup.json.gz"), 0);
    }

    @Test
    void aGoodBackupPassesWithItsSummary() {
        Cli.Result result = cli().run("verify", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("backup.json: a valid backup (taken ")
                .contains(" from Django 3.1 or later, format 2) of 2 users, 2 groups, ")
                .endsWith(" permissions, 1 OpenAI models; its content matches its SHA-256 digest\n");
        assertThat(result.err()).isEmpty();
        assertNoSecrets(result);
    }

    @Test
    void needsNoDatabase() {
        Cli.Result result = cli().env("DATABASE_URL", "postgres://u:p@h/app").run("verify", "backup.json");

        assertExit(result, 0);
    }

    @Test
    void aGzipCompressedBackupPasses() {
        assertExit(cli().run("verify", "backup.json.gz"), 0);
    }

    @Test
    void dashReadsStdinAndLeavesNoTemporaryFile() throws IOException {
        Cli.Result result = cli().stdin(Files.readAllBytes(dir.resolve("backup.json.gz"))).run("verify", "-");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("standard input: a valid backup");
        assertThat(Fixtures.filesIn(temp)).isZero();
    }

    @Test
    void aDanglingReferenceIsAnInvalidBackup() throws IOException {
        String backup = Files.readString(dir.resolve("backup.json"));
        Matcher section = Pattern.compile("\"users\"\\s*:\\s*\\[").matcher(backup);
        assertThat(section.find()).isTrue();
        int users = section.start();
        // Bob's group is renamed in his user entry only: it names a group the backup does not have.
        // Sealed again: the file is whole, its content breaks a rule (a damaged file is reported as damaged).
        Files.writeString(dir.resolve("bad.json"), io.djangouserbackup.core.BackupDigest.seal(backup.substring(0, users)
                + backup.substring(users).replace("\"editors\"", "\"nobody-has-this-group\"")));

        Cli.Result result = cli().run("verify", "bad.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "invalid backup: users[1].groups");
        assertThat(result.out()).isEmpty();
        assertNoSecrets(result);
    }

    @Test
    void notJsonIsAnInvalidBackup() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "this is not json");

        Cli.Result result = cli().run("verify", "bad.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "invalid backup: ");
    }

    @Test
    void aTruncatedBackupIsAnInvalidBackup() throws IOException {
        byte[] whole = Files.readAllBytes(dir.resolve("backup.json"));
        Files.write(dir.resolve("cut.json"), Arrays.copyOf(whole, whole.length / 2));

        assertExit(cli().run("verify", "cut.json"), 4);
    }

    @Test
    void emptyStdinIsAnInvalidBackup() {
        Cli.Result result = cli().run("verify", "-");

        assertExit(result, 4);
        assertThat(Fixtures.filesIn(temp)).isZero();
    }

    @Test
    void aMissingFileIsAnInvalidBackup() {
        Cli.Result result = cli().run("verify", "nope.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "no such file: nope.json");
    }

    @Test
    void quietPrintsNothingAndKeepsTheExitCode() throws IOException {
        Files.writeString(dir.resolve("bad.json"), "{}");

        Cli.Result good = cli().run("verify", "-q", "backup.json");
        Cli.Result bad = cli().run("verify", "-q", "bad.json");

        assertExit(good, 0);
        assertThat(good.out()).isEmpty();
        assertExit(bad, 4);
        assertOneErrorLine(bad, "invalid backup");
    }

    @Test
    void withoutInputItIsABadCommandLine() {
        assertExit(cli().run("verify"), 2);
    }
}
