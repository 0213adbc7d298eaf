package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ImportCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Path backup;
    private Path target;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void backupOfAliceAndBobAndAnEmptyTarget() {
        Path source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        assertExit(cli().run("export", "--db", source.toString(), "backup.json"), 0);
        backup = dir.resolve("backup.json");
        target = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
    }

    @Test
    void aLockedDatabaseIsWaitedForThenExit5WithOneLine() throws Exception {
        String before = TestDatabases.sha256(target);
        try (java.sql.Connection other = java.sql.DriverManager.getConnection("jdbc:sqlite:" + target);
             java.sql.Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("INSERT INTO auth_group (name) VALUES ('held')");

            Cli.Result result = cli().run("import", "--url", "sqlite:///target.sqlite3?timeout=0.2", "--yes", "backup.json");

            assertExit(result, 5);
            assertOneErrorLine(result, ": the database is locked by another connection; gave up after waiting 0.2 s;"
                    + " nothing was imported");
            other.rollback();
        }
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void dryRunListsEachRowAndTheFieldsThatChangeButNoValue() {
        assertExit(cli().run("import", "--db", target.toString(), "--yes", "backup.json"), 0);
        TestDatabases.execute(target, "UPDATE auth_user SET email = 'changed@example.com', password = 'pbkdf2_sha256$1$x$y' WHERE id = 1");
        TestDatabases.insertUser(target, 9, "zed", "pbkdf2_sha256$1$z$z");
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--mode", "replace", "--dry-run", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).contains("  users          0 to create, 1 to update, 1 to remove, 1 unchanged\n")
                .contains("users:\n  updated   id 1 alice: password, email\n  unchanged id 2 bob\n"
                + "  removed   id 9 zed\n").contains("groups:\n  unchanged admins\n  unchanged editors\n")
                .contains("OpenAI models:\n  unchanged id 1 gpt-4o\n")
                .doesNotContain("changed@example.com").doesNotContain("pbkdf2_sha256$1$x$y");
        assertNoSecrets(result);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void dryRunReportJsonIsOneObjectForScripts() throws IOException {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--dry-run", "--report", "json", "backup.json");

        assertExit(result, 0);
        com.fasterxml.jackson.databind.JsonNode report = new com.fasterxml.jackson.databind.ObjectMapper().readTree(result.out());
        assertThat(report.get("mode").asText()).isEqualTo("merge");
        assertThat(report.get("sections").get("users").get("created").asLong()).isEqualTo(2);
        assertThat(report.get("rows").findValuesAsText("change")).containsOnly("created");
        assertThat(report.get("rows").findValuesAsText("name")).contains("alice", "bob", "admins", "editors", "gpt-4o");
        assertNoSecrets(result);
        assertThat(Fixtures.users(target)).isZero();
        assertExit(cli().run("import", "--db", target.toString(), "--report", "json", "backup.json"), 2);
    }

    @Test
    void yesImportsWithoutAsking() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "backup.json");

        assertExit(result, 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);
        assertThat(result.out()).startsWith("Imported backup.json into ")
                .contains("(merge): users 2 created, 0 updated, 0 removed; groups 2 created, 0 updated, 0 removed;")
                .contains("OpenAI models 1 created, 0 updated, 0 removed");
        assertThat(result.err()).doesNotContain("Proceed?");
        assertNoSecrets(result);
    }

    @Test
    void atATerminalItShowsThePlanAndAsks() {
        Cli.Result result = cli().interactive().stdin("y\n").run("import", "--db", target.toString(), "backup.json");

        assertExit(result, 0);
        assertThat(result.err())
                .startsWith("Merging backup.json (taken ")
                .contains("\n  users          2 to create, 0 to update\n")
                .contains("\n  groups         2 to create, 0 to update\n")
                .contains("\n  OpenAI models  1 to create, 0 to update\n")
                .endsWith("Proceed? [y/N] ");
        assertThat(Fixtures.users(target)).isEqualTo(2);
        assertThat(result.out()).startsWith("Imported backup.json");
        assertNoSecrets(result);
    }

    @ParameterizedTest
    @ValueSource(strings = {"y\n", "yes\n", "Y\n", " YES \r\n"})
    void yesOrYAnswerTheQuestion(String answer) {
        Cli.Result result = cli().interactive().stdin(answer).run("import", "--db", target.toString(), "backup.json");

        assertExit(result, 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"n\n", "\n", "no\n", "yep\n", "ja\n", ""})
    void anythingButYesLeavesTheDatabaseByteForByteAsItWas(String answer) {
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().interactive().stdin(answer).run("import", "--db", target.toString(), "backup.json");

        assertExit(result, 3);
        assertThat(result.err()).contains("Proceed? [y/N] ").endsWith("django-user-backup: not imported; the database was not changed\n");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void withoutATerminalAndWithoutYesItRefusesAndChangesNothing() {
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().stdin("y\n").run("import", "--db", target.toString(), "backup.json");

        assertExit(result, 3);
        assertThat(result.err()).contains("2 to create")
                .endsWith("django-user-backup: not imported: there is no terminal to ask for confirmation;"
                        + " pass --yes to import without asking\n")
                .doesNotContain("Proceed?");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void dashReadsTheBackupFromStdinAndLeavesNoTemporaryFile() throws IOException {
        Cli.Result result = cli().stdin(Files.readAllBytes(backup)).run("import", "--db", target.toString(), "--yes", "-");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Imported standard input into ");
        assertThat(Fixtures.users(target)).isEqualTo(2);
        assertThat(Fixtures.filesIn(temp)).isZero();
    }

    @Test
    void dashWithoutYesRefusesEvenAtATerminalBecauseStdinHoldsTheBackup() throws IOException {
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().interactive().stdin(Files.readAllBytes(backup)).run("import", "--db", target.toString(), "-");

        assertExit(result, 3);
        assertThat(result.err()).endsWith("pass --yes to import without asking\n");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertThat(Fixtures.filesIn(temp)).isZero();
    }

    @Test
    void aGzipCompressedBackupIsReadTransparentlyFromAFileAndFromStdin() throws IOException {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(Files.readAllBytes(backup));
        }
        Files.write(dir.resolve("backup.json.gz"), zipped.toByteArray());

        assertExit(cli().run("import", "--db", target.toString(), "--yes", "backup.json.gz"), 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);

        Path other = Fixtures.emptyDjangoDatabase(dir, "other.sqlite3");
        assertExit(cli().stdin(zipped.toByteArray()).run("import", "--db", other.toString(), "--yes", "-"), 0);
        assertThat(Fixtures.users(other)).isEqualTo(2);
    }

    @Test
    void replaceRemovesWhatTheBackupDoesNotHold() {
        TestDatabases.insertUser(target, 9, "mallory", "!");

        Cli.Result plan = cli().run("import", "--db", target.toString(), "--mode", "replace", "--dry-run", "backup.json");
        assertExit(plan, 0);
        assertThat(plan.out()).startsWith("Replacing backup.json").contains("  users          2 to create, 0 to update, 1 to remove\n");

        Cli.Result result = cli().run("import", "--db", target.toString(), "-m", "REPLACE", "--yes", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).contains("(replace): users 2 created, 0 updated, 1 removed;");
        assertThat(TestDatabases.queryLong(target, "SELECT COUNT(*) FROM auth_user WHERE username = 'mallory'")).isZero();
    }

    @Test
    void mergeKeepsWhatTheBackupDoesNotHold() {
        TestDatabases.insertUser(target, 9, "mallory", "!");

        assertExit(cli().run("import", "--db", target.toString(), "--yes", "backup.json"), 0);

        assertThat(Fixtures.users(target)).isEqualTo(3);
    }

    @Test
    void dryRunPrintsThePlanOnStdoutAndWritesNothing() {
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--dry-run", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Merging backup.json").contains("2 to create");
        assertThat(result.err()).isEmpty();
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void anUnknownModeIsABadCommandLine() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--mode", "overwrite", "--yes", "backup.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "--mode is merge or replace, not 'overwrite'");
    }

    @Test
    void anInvalidBackupIsRefusedWithItsPlaceAndChangesNothing() throws IOException {
        // Sealed again: the file is whole, its content breaks a rule (a damaged file is reported as damaged).
        String broken = io.djangouserbackup.core.BackupDigest.seal(
                Files.readString(backup).replaceFirst(Fixtures.usernameField("bob"), "\"username\": 42"));
        Files.writeString(dir.resolve("broken.json"), broken);
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "broken.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "invalid backup: users[1].username");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertNoSecrets(result);
    }

    @Test
    void aMissingBackupIsAnInvalidBackup() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "nope.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "invalid backup: no such file: nope.json");
    }

    @Test
    void aTargetThatIsNotDjangoIsADatabaseProblem() {
        Path notDjango = dir.resolve("other.sqlite3");
        TestDatabases.execute(notDjango, "CREATE TABLE things (id INTEGER PRIMARY KEY)");
        String before = TestDatabases.sha256(notDjango);

        Cli.Result result = cli().run("import", "--db", notDjango.toString(), "--yes", "backup.json");

        assertExit(result, 5);
        assertThat(result.err()).startsWith("django-user-backup: ").doesNotContain("\tat ");
        assertThat(TestDatabases.sha256(notDjango)).isEqualTo(before);
    }

    @Test
    void withoutInputItIsABadCommandLine() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes");

        assertExit(result, 2);
        assertOneErrorLine(result, "import needs the backup to read");
    }

    @Test
    void twoInputsAreABadCommandLine() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "a.json", "b.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "import takes one INPUT, got 2");
    }

    @Test
    void quietWithYesPrintsNothing() {
        Cli.Result result = cli().run("import", "-q", "--db", target.toString(), "--yes", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
    }

    @Test
    void quietStillShowsThePlanAndTheQuestion() {
        Cli.Result result = cli().interactive().stdin("n\n").run("import", "-q", "--db", target.toString(), "backup.json");

        assertExit(result, 3);
        assertThat(result.err()).contains("2 to create").contains("Proceed? [y/N] ");
    }

    /** Issue 19: a dry run of replace and the prompt refuse, naming the row, what the real replace would refuse. */
    @Test
    void replaceThatWouldOrphanAdminLogRowsIsRefusedByTheDryRunAndBeforeThePrompt19() {
        TestDatabases.insertUser(target, 9, "mallory", "pbkdf2_sha256$1$m$m");
        TestDatabases.execute(target, "INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag,"
                + " change_message, content_type_id, user_id) VALUES ('2024-01-01 00:00:00', '1', 'x', 1, '', 4, 9)");
        String before = TestDatabases.sha256(target);

        Cli.Result dryRun = cli().run("import", "--db", "target.sqlite3", "--mode", "replace", "--dry-run", "backup.json");
        Cli.Result asked = cli().interactive().stdin("y\n")
                .run("import", "--db", "target.sqlite3", "--mode", "replace", "backup.json");

        assertExit(dryRun, ExitCodes.DATABASE);
        assertOneErrorLine(dryRun, "django_admin_log id 1 (user_id) points at auth_user id 9 'mallory'");
        assertThat(dryRun.err()).contains("Merge instead");
        assertThat(dryRun.out()).isEmpty();
        assertExit(asked, ExitCodes.DATABASE);
        assertThat(asked.err()).doesNotContain("Proceed?")
                .contains("django_admin_log id 1 (user_id) points at auth_user id 9 'mallory'");
        assertNoSecrets(dryRun);
        assertNoSecrets(asked);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /** Issue 19: the replace prompt names who goes, the first 20 per section, then how many more. */
    @Test
    void replacePromptNamesTheFirst20RemovedRowsThenHowManyMore19() {
        for (int id = 10; id < 35; id++) {
            TestDatabases.insertUser(target, id, "extra" + id, "pbkdf2_sha256$1$e$e");
        }
        TestDatabases.addToGroup(target, 10, "interns");
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().interactive().stdin("n\n").run("import", "--db", "target.sqlite3", "--mode", "replace",
                "backup.json");

        assertExit(result, ExitCodes.DECLINED);
        assertThat(result.err()).contains("To remove (not in the backup):\n")
                .contains("  users          id 10 extra10, id 11 extra11, ")
                .contains(", id 29 extra29 and 5 more\n")
                .contains("  groups         interns\n")
                .doesNotContain("extra30")
                .contains("Proceed? [y/N] ");
        assertThat(result.err().indexOf("To remove")).isLessThan(result.err().indexOf("Proceed?"));
        assertNoSecrets(result);
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    /**
     * Issue 19: a backup from another project (another Django schema, no OpenAI models, another user under id 1) is
     * described before the prompt, and the dry run shows the rename from what to what, never a hash.
     */
    @Test
    void aBackupFromAnotherProjectIsDescribedBeforeThePromptAndTheDryRunShowsRenames19() {
        Path other = Fixtures.emptyDjangoDatabase(dir, "other.sqlite3");
        TestDatabases.insertUser(other, 1, "frank", "pbkdf2_sha256$1$f$f");
        TestDatabases.execute(other, "INSERT INTO django_migrations (app, name, applied) VALUES ('auth', '0099_future', '2030-01-01')");
        assertExit(cli().run("export", "--db", "other.sqlite3", "other.json"), 0);
        Fixtures.djangoDatabase(dir, "live.sqlite3");
        String before = TestDatabases.sha256(dir.resolve("live.sqlite3"));

        Cli.Result asked = cli().interactive().stdin("n\n").run("import", "--db", "live.sqlite3", "--mode", "replace", "other.json");
        Cli.Result dryRun = cli().run("import", "--db", "live.sqlite3", "--mode", "replace", "--dry-run", "other.json");

        assertExit(asked, ExitCodes.DECLINED);
        String prompt = asked.err().substring(0, asked.err().indexOf("Proceed?"));
        assertThat(prompt).contains("note: the backup comes from another Django schema than the target's: auth 0099_future")
                .contains("note: the backup has no OpenAI models (its database may have had no OpenAI model table), the target"
                        + " has 1: a replace removes them")
                .contains("note: 1 id belongs to another name in the target than in the backup, and the replace gives it the"
                        + " backup's: user id 1 username: alice -> frank");
        assertExit(dryRun, 0);
        assertThat(dryRun.out()).containsPattern("  updated   id 1 frank: [a-z_, ]*username: alice -> frank");
        assertNoSecrets(asked);
        assertNoSecrets(dryRun);
        assertThat(dryRun.out() + dryRun.err() + asked.err()).doesNotContain("pbkdf2_sha256$1$f$f");
        assertThat(TestDatabases.sha256(dir.resolve("live.sqlite3"))).isEqualTo(before);
    }
}
