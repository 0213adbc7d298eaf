package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @Test
    void exportsDbSqlite3InTheWorkingDirectoryToATimestampedFileByDefault() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export");

        assertExit(result, 0);
        Path backup = dir.resolve("user_data_backup_20260102_030405.json");
        assertThat(Fixtures.holdsUser(Fixtures.read(backup), "alice")).isTrue();
        assertThat(Fixtures.holdsUser(Fixtures.read(backup), "bob")).isTrue();
        assertThat(result.out()).startsWith("Exported 2 users, 2 groups, ")
                .contains(" permissions, 1 OpenAI model from " + dir.resolve("db.sqlite3") + " (from ./db.sqlite3) to"
                        + " user_data_backup_20260102_030405.json (")
                .endsWith(" KiB)\n");
        assertThat(result.err()).isEmpty();
        assertNoSecrets(result);
    }

    @Test
    void redactPasswordsWritesNoHashAndSaysSo() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        String before = TestDatabases.sha256(db);

        Cli.Result result = cli().run("export", "--db", db.toString(), "--redact-passwords", "fixture.json");

        assertExit(result, 0);
        String backup = Fixtures.read(dir.resolve("fixture.json"));
        assertThat(backup).doesNotContain(Fixtures.ALICE_HASH).doesNotContain(Fixtures.BOB_HASH).doesNotContain("pbkdf2_sha256");
        assertThat(java.util.regex.Pattern.compile("\"password\":\"![a-zA-Z0-9]{40}\"").matcher(backup).results().count())
                .isEqualTo(2);
        assertThat(Fixtures.holdsUser(backup, "alice")).isTrue();
        assertThat(result.err()).contains("unusable passwords");
        assertThat(TestDatabases.sha256(db)).isEqualTo(before);
        assertExit(cli().run("verify", "fixture.json"), 0);
    }

    @Test
    void theBackupFileIsReadableByItsOwnerOnly() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        assertExit(cli().run("export", "--db", db.toString(), "backup.json"), 0);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("backup.json"))))
                .isEqualTo("rw-------");
    }

    @Test
    void dbIsRelativeToTheWorkingDirectory() {
        Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db", "app.sqlite3", "out.json");

        assertExit(result, 0);
        assertThat(dir.resolve("out.json")).exists();
    }

    @Test
    void aNameEndingInGzIsCompressed() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        assertExit(cli().run("export", "--db", db.toString(), "backup.json.gz"), 0);

        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("backup.json.gz")))) {
            assertThat(Fixtures.holdsUser(new String(in.readAllBytes(), StandardCharsets.UTF_8), "alice")).isTrue();
        }
    }

    @Test
    void dashWritesTheBackupToStdoutAndTheSummaryToStderr() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db", db.toString(), "-");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("{").contains(Fixtures.ALICE_HASH);
        assertThat(Fixtures.holdsUser(result.out(), "alice")).isTrue();
        assertThat(result.err()).startsWith("Exported 2 users").contains("to standard output");
        assertThat(Fixtures.filesIn(dir)).isEqualTo(1);
    }

    @Test
    void dashRefusesToWriteTheBackupToATerminal() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().interactive().run("export", "--db", db.toString(), "-");

        assertExit(result, 2);
        assertThat(result.stdout()).isEmpty();
        assertOneErrorLine(result, "terminal");
    }

    /** Issue 14: a failure to write the output is exit 6, names the file and the reason, and leaves no file. */
    @Test
    void aFolderThatIsGoneIsExitSixNamingTheFileAndTheReason14() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().run("export", "--db", db.toString(), "gone/backup.json");

        assertExit(result, 6);
        assertOneErrorLine(result, "could not write gone/backup.json: no such folder; no backup was written");
        assertThat(Fixtures.filesIn(dir)).isEqualTo(1);
    }

    @Test
    void aFolderThatIsAFileIsExitSixAndLeavesNothingBehind14() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        Files.writeString(dir.resolve("notes"), "a file, not a folder");

        Cli.Result result = cli().run("export", "--db", db.toString(), "notes/backup.json.gz");

        assertExit(result, 6);
        assertOneErrorLine(result, "could not write notes/backup.json.gz: not a folder; no backup was written");
        assertThat(Fixtures.filesIn(dir)).isEqualTo(2);
        assertThat(Fixtures.read(dir.resolve("notes"))).isEqualTo("a file, not a folder");
    }

    @Test
    void anExistingFileIsNotOverwrittenWithoutForce() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        Files.writeString(dir.resolve("backup.json"), "precious");

        Cli.Result result = cli().run("export", "--db", db.toString(), "backup.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "backup.json already exists; choose another name or pass --force");
        assertThat(Fixtures.read(dir.resolve("backup.json"))).isEqualTo("precious");
    }

    @Test
    void forceReplacesAnExistingFile() throws IOException {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        Files.writeString(dir.resolve("backup.json"), "old");

        assertExit(cli().run("export", "--force", "--db", db.toString(), "backup.json"), 0);

        assertThat(Fixtures.holdsUser(Fixtures.read(dir.resolve("backup.json")), "alice")).isTrue();
    }

    @Test
    void theDatabaseCanComeFromDatabaseUrlAsDjangoProjectsSetIt() {
        Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().env("DATABASE_URL", "sqlite:///app.sqlite3").run("export", "out.json");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Exported 2 users");
    }

    @Test
    void anAbsoluteDatabaseUrlHasFourSlashes() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().env("DATABASE_URL", "sqlite:///" + db).run("export", "out.json");

        assertExit(result, 0);
    }

    @Test
    void dbWinsOverDatabaseUrl() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        Cli.Result result = cli().env("DATABASE_URL", "postgres://u:p@h/app").run("export", "--db", db.toString(), "out.json");

        assertExit(result, 0);
    }

    @Test
    void urlTakesDjangoAndJdbcForms() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");

        assertExit(cli().run("export", "--url", "sqlite:///app.sqlite3", "a.json"), 0);
        assertExit(cli().run("export", "--url", "jdbc:sqlite:" + db, "b.json"), 0);
    }

    @Test
    void anUnreachableMysqlServerIsADatabaseProblemNamingTheHostNotThePassword() {
        Cli.Result result = cli().env("DATABASE_URL", "mysql://django:s3cret@nonexistent.invalid:3306/app").run("export", "out.json");

        assertExit(result, 5);
        assertOneErrorLine(result, "cannot open mysql://django@nonexistent.invalid:3306/app (from DATABASE_URL): unknown host nonexistent.invalid");
        assertThat(result.err()).doesNotContain("s3cret");
    }

    @Test
    void anUnsupportedEngineIsADatabaseProblemAndItsPasswordIsNotShown() {
        Cli.Result result = cli().env("DATABASE_URL", "oracle://django:s3cret@db:1521/app").run("export", "out.json");

        assertExit(result, 5);
        assertOneErrorLine(result, "DATABASE_URL: oracle databases are not supported");
        assertThat(result.err()).doesNotContain("s3cret");
    }

    @Test
    void anUnreachablePostgresServerIsADatabaseProblemNamingTheHostNotThePassword() {
        Cli.Result result = cli().env("DATABASE_URL", "postgres://django:s3cret@nonexistent.invalid:5432/app").run("export", "out.json");

        assertExit(result, 5);
        assertOneErrorLine(result, "cannot open postgres://django@nonexistent.invalid:5432/app (from DATABASE_URL): unknown host nonexistent.invalid");
        assertThat(result.err()).doesNotContain("s3cret");
    }

    @Test
    void aMalformedDatabaseUrlIsABadCommandLine() {
        Cli.Result result = cli().env("DATABASE_URL", "sqlite://db.sqlite3").run("export", "out.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "DATABASE_URL: the URL names an in-memory SQLite database");
    }

    @Test
    void withoutAnyDatabaseGivenAndNoDbSqlite3ItSaysWhereItLooked() {
        Cli.Result result = cli().run("export");

        assertExit(result, 5);
        assertOneErrorLine(result, "no database: there is no db.sqlite3 in " + dir);
    }

    @Test
    void aMissingDatabaseFileIsADatabaseProblemAndIsNotCreated() {
        Cli.Result result = cli().run("export", "--db", "missing.sqlite3", "out.json");

        assertExit(result, 5);
        assertOneErrorLine(result, "no such database file: missing.sqlite3");
        assertThat(dir.resolve("missing.sqlite3")).doesNotExist();
        assertThat(dir.resolve("out.json")).doesNotExist();
    }

    @Test
    void aSqliteFileThatIsNotADjangoDatabaseIsADatabaseProblem() {
        Path notDjango = dir.resolve("other.sqlite3");
        TestDatabases.execute(notDjango, "CREATE TABLE things (id INTEGER PRIMARY KEY)");

        Cli.Result result = cli().run("export", "--db", notDjango.toString(), "out.json");

        assertExit(result, 5);
        assertThat(result.err()).startsWith("django-user-backup: ").doesNotContain("\tat ");
        assertThat(dir.resolve("out.json")).doesNotExist();
    }

    @Test
    void aLockedDatabaseIsADatabaseProblem() throws Exception {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + db);
             var statement = connection.createStatement()) {
            statement.execute("PRAGMA locking_mode = EXCLUSIVE");
            statement.execute("BEGIN EXCLUSIVE");

            Cli.Result result = cli().env("DATABASE_URL", "sqlite:///app.sqlite3?timeout=0.2").run("export", "out.json");

            assertExit(result, 5);
            assertThat(result.err()).startsWith("django-user-backup: ").containsIgnoringCase("lock");
            statement.execute("ROLLBACK");
        }
    }

    @Test
    void dbAndUrlTogetherAreABadCommandLine() {
        Cli.Result result = cli().run("export", "--db", "a.sqlite3", "--url", "sqlite:///b.sqlite3");

        assertExit(result, 2);
        assertOneErrorLine(result, "--db or --url, not both");
    }

    @Test
    void twoOutputsAreABadCommandLine() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export", "a.json", "b.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "export takes one OUTPUT, got 2");
    }

    @Test
    void anUnknownOptionIsABadCommandLineNotAFileName() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export", "--frobnicate", "out.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "unknown option --frobnicate");
        assertThat(dir.resolve("--frobnicate")).doesNotExist();
    }

    @Test
    void aBadUserTableNameIsABadCommandLine() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export", "--user-table", "auth_user; DROP TABLE x", "out.json");

        assertExit(result, 2);
        assertOneErrorLine(result, "not a plain table or column name");
    }

    @Test
    void userTableNamesTheUserTable() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export", "--user-table", "auth_user", "--model-table", "chat_openaimodel", "out.json");

        assertExit(result, 0);
        assertThat(result.out()).startsWith("Exported 2 users");
    }

    @Test
    void quietPrintsNothingOnSuccess() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("export", "--quiet", "out.json");

        assertExit(result, 0);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEmpty();
        assertThat(dir.resolve("out.json")).exists();
    }

    @Test
    void quietAlsoWorksBeforeTheCommand() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result result = cli().run("-q", "export", "out.json");

        assertExit(result, 0);
        assertThat(result.out()).isEmpty();
    }

    @Test
    void theExportedBackupVerifies() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");
        assertExit(cli().run("export", "out.json"), 0);

        Cli.Result verify = cli().run("verify", "out.json");

        assertExit(verify, 0);
    }

    /** Issue 19: the summary names the database as the user gave it, and where it came from; never a JDBC address. */
    @Test
    void theSummaryNamesTheDatabaseAsGivenAndWhereItCameFrom19() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");
        Fixtures.djangoDatabase(dir, "other.sqlite3");

        Cli.Result fromDb = cli().run("export", "--db", "other.sqlite3", "a.json");
        Cli.Result fromUrl = cli().run("export", "--url", "sqlite:///other.sqlite3", "b.json");
        Cli.Result fromEnvironment = cli().env(DatabaseOptions.DATABASE_URL, "sqlite:///other.sqlite3").run("export", "c.json");
        Cli.Result fromDefault = cli().run("export", "d.json");

        assertThat(fromDb.out()).contains(" from other.sqlite3 to a.json (");
        assertThat(fromUrl.out()).contains(" from sqlite:///other.sqlite3 to b.json (");
        assertThat(fromEnvironment.out()).contains(" from sqlite:///other.sqlite3 (from DATABASE_URL) to c.json (");
        assertThat(fromDefault.out()).contains(" from " + dir.resolve("db.sqlite3") + " (from ./db.sqlite3) to d.json (");
        for (Cli.Result result : List.of(fromDb, fromUrl, fromEnvironment, fromDefault)) {
            assertExit(result, 0);
            assertThat(result.out()).doesNotContain("jdbc:").contains("1 OpenAI model from").contains("2 users");
        }
        Cli.Result imported = cli().env(DatabaseOptions.DATABASE_URL, "sqlite:///other.sqlite3").run("import", "--yes", "a.json");
        assertThat(imported.out()).startsWith("Imported a.json into sqlite:///other.sqlite3 (from DATABASE_URL) (merge): ");
    }

    @Test
    void aPasswordInTheUrlIsLeftOutOfTheDescription19() {
        assertThat(DatabaseOptions.withoutPassword("postgres://app:s3cret@db.internal:5432/app"))
                .isEqualTo("postgres://app@db.internal:5432/app");
        assertThat(DatabaseOptions.withoutPassword("jdbc:postgresql://h/app?user=u&password=s3cret&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/app?user=u&sslmode=require");
        assertThat(DatabaseOptions.withoutPassword("jdbc:postgresql://h/app?password=s3cret")).isEqualTo("jdbc:postgresql://h/app");
    }

    /** Issue 19: a loop of exports within one second never fails on the default name: _2, _3... */
    @Test
    void theDefaultNameNeverCollides19() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        Cli.Result first = cli().run("export");
        Cli.Result second = cli().run("export");
        Cli.Result third = cli().run("export");
        Cli.Result encrypted = cli().env(PassphraseOptions.DEFAULT_VARIABLE, "correct horse battery staple")
                .run("export", "--encrypt");

        for (Cli.Result result : List.of(first, second, third, encrypted)) {
            assertExit(result, 0);
        }
        assertThat(second.out()).contains(" to user_data_backup_20260102_030405_2.json (");
        assertThat(third.out()).contains(" to user_data_backup_20260102_030405_3.json (");
        assertThat(dir.resolve("user_data_backup_20260102_030405.json")).exists();
        assertThat(dir.resolve("user_data_backup_20260102_030405_2.json")).exists();
        assertThat(dir.resolve("user_data_backup_20260102_030405_3.json")).exists();
        assertThat(dir.resolve("user_data_backup_20260102_030405.json.enc")).exists();
    }
}
