package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.djangouserbackup.core.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code diff OLD NEW}: what changed between two backups, in the dry run's words, and its exit codes. */
class DiffCommandTest {
    private static final String NEW_HASH = "pbkdf2_sha256$260000$bmV3c2FsdA$bmV3aGFzaG5ld2hhc2g=";

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Path db;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void aBackup() {
        db = Fixtures.djangoDatabase(dir, "db.sqlite3");
        assertExit(cli().run("export", "--quiet", "--db", db.toString(), "old.json"), 0);
    }

    private void changeAliceAndAddCarol() {
        TestDatabases.execute(db, "UPDATE auth_user SET password = ?, email = 'alice@new.example' WHERE id = 1", NEW_HASH);
        TestDatabases.insertUser(db, 3, "carol", "pbkdf2_sha256$1$c$d");
        TestDatabases.execute(db, "DELETE FROM auth_group_permissions");
        assertExit(cli().run("export", "--quiet", "--db", db.toString(), "new.json.gz"), 0);
    }

    @Test
    void equalBackupsExitZeroAndSaySo() {
        assertExit(cli().run("export", "--quiet", "--db", db.toString(), "again.json"), 0);

        Cli.Result result = cli().run("diff", "old.json", "again.json");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Comparing old.json (taken ").contains("\n     with again.json (taken ")
                .contains("the same data: 2 users, 2 groups, ").endsWith(" 1 OpenAI models\n");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void changesAreListedPerRowAndFieldAPasswordOnlyByNameAndTheExitCodeIsSix() {
        changeAliceAndAddCarol();

        Cli.Result result = cli().run("diff", "old.json", "new.json.gz");

        assertExit(result, ExitCodes.DIFFERENT);
        assertThat(result.out()).contains("""
                users:
                  updated   id 1 alice: password, email
                  created   id 3 carol
                groups:
                  updated   editors: permissions
                Differences: users 1 created, 1 updated, 0 removed, 1 unchanged; groups 0 created, 1 updated, 0 removed, 1 unchanged
                """);
        assertThat(result.out()).doesNotContain(NEW_HASH).doesNotContain("bmV3");
        assertNoSecrets(result);
        assertThat(result.err()).isEmpty();
    }

    @Test
    void theOtherWayRoundRowsAreRemoved() {
        changeAliceAndAddCarol();

        Cli.Result result = cli().run("diff", "new.json.gz", "old.json");

        assertExit(result, ExitCodes.DIFFERENT);
        assertThat(result.out()).contains("  removed   id 3 carol\n");
    }

    @Test
    void reportJsonHasTheCountsAndEveryChangedRow() throws Exception {
        changeAliceAndAddCarol();

        Cli.Result result = cli().run("diff", "--report", "json", "old.json", "new.json.gz");

        assertExit(result, ExitCodes.DIFFERENT);
        JsonNode report = new ObjectMapper().readTree(result.out());
        assertThat(report.get("identical").asBoolean()).isFalse();
        assertThat(report.get("old").asText()).isEqualTo("old.json");
        assertThat(report.at("/sections/users/created").asLong()).isEqualTo(1);
        assertThat(report.at("/sections/users/updated").asLong()).isEqualTo(1);
        assertThat(report.at("/sections/users/unchanged").asLong()).isEqualTo(1);
        assertThat(report.at("/sections/permissions/unchanged").asLong()).isPositive();
        assertThat(report.get("rows").toString()).isEqualTo("[{\"section\":\"users\",\"id\":1,\"name\":\"alice\","
                + "\"change\":\"updated\",\"changed_fields\":[\"password\",\"email\"]},{\"section\":\"users\",\"id\":3,"
                + "\"name\":\"carol\",\"change\":\"created\"},{\"section\":\"groups\",\"key\":\"editors\",\"name\":"
                + "\"editors\",\"change\":\"updated\",\"changed_fields\":[\"permissions\"]}]");
        assertNoSecrets(result);
    }

    @Test
    void quietPrintsNothingAndTheExitCodeStillTells() {
        changeAliceAndAddCarol();

        Cli.Result result = cli().run("diff", "--quiet", "old.json", "new.json.gz");

        assertExit(result, ExitCodes.DIFFERENT);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void oneOfThemCanComeFromStandardInput() throws Exception {
        Cli.Result result = cli().stdin(Files.readAllBytes(dir.resolve("old.json"))).run("diff", "old.json", "-");

        assertExit(result, 0);
        assertThat(result.out()).contains("     with standard input (taken ");
    }

    @Test
    void encryptedBackupsAreComparedWithTheirPassphrase() {
        assertExit(cli().env("DJANGO_USER_BACKUP_PASSPHRASE", "correct horse")
                .run("export", "--quiet", "--encrypt", "--db", db.toString(), "old.json.enc"), 0);

        Cli.Result result = cli().env("DJANGO_USER_BACKUP_PASSPHRASE", "correct horse").run("diff", "old.json", "old.json.enc");

        assertExit(result, 0);
    }

    @Test
    void aDamagedBackupIsExitFourNamingTheFile() throws Exception {
        String text = Files.readString(dir.resolve("old.json"));
        Files.writeString(dir.resolve("cut.json"), text.substring(0, text.length() / 2));

        Cli.Result result = cli().run("diff", "old.json", "cut.json");

        assertExit(result, ExitCodes.INVALID_BACKUP);
        assertOneErrorLine(result, "invalid backup: cut.json: ");
    }

    @Test
    void itTakesExactlyTwoBackups() {
        assertExit(cli().run("diff", "old.json"), ExitCodes.USAGE);
        assertExit(cli().run("diff", "old.json", "old.json", "old.json"), ExitCodes.USAGE);
        assertExit(cli().run("diff", "--report", "xml", "old.json", "old.json"), ExitCodes.USAGE);
        assertExit(cli().run("diff", "-", "-"), ExitCodes.USAGE);
    }

    @Test
    void helpExplainsTheExitCodes() {
        Cli.Result result = cli().run("diff", "--help");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Usage: django-user-backup diff ").contains("7 they differ");
        assertThat(cli().run("--help").out()).contains("  diff     Show what changed between two backups");
    }
}
