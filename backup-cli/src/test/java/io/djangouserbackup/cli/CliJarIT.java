package io.djangouserbackup.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.MariaDbServer;
import io.djangouserbackup.core.PostgresServer;
import io.djangouserbackup.core.ServerDatabase;
import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jar as a user runs it: {@code java -jar target/django-user-backup.jar ...} in its own process, with
 * real standard streams, and, for the confirmation prompt, a real terminal (a pseudo-terminal from util-linux's
 * {@code script}).
 */
class CliJarIT {
    private static final Path JAR = Path.of(System.getProperty("django-user-backup.jar", "target/django-user-backup.jar"))
            .toAbsolutePath();
    private static final String JAVA = Path.of(System.getProperty("java.home"), "bin", "java").toString();

    @TempDir
    Path dir;
    @TempDir
    Path io;

    private Path source;
    private Path target;

    /** What a process left: its exit code, standard output as bytes, and standard error. */
    record Run(int exitCode, byte[] stdout, String err) {
        String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out() + "\n--- stderr\n" + err;
        }
    }

    @BeforeEach
    void databases() {
        assertThat(JAR).as("the shaded jar, built at package").exists();
        source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        target = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
    }

    private Run run(byte[] stdin, Map<String, String> env, List<String> command) throws IOException, InterruptedException {
        Path in = Files.createTempFile(io, "stdin", "");
        Path out = Files.createTempFile(io, "stdout", "");
        Path err = Files.createTempFile(io, "stderr", "");
        Files.write(in, stdin);
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("DATABASE_URL");
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        return new Run(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    /**
     * {@code java -jar django-user-backup.jar ARGS} with stdin that is not a terminal, and no controlling terminal
     * either ({@code setsid}): else a passphrase or an answer would be asked on the terminal Maven runs in.
     */
    private Run jar(byte[] stdin, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setsid", "--wait", JAVA, "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return run(stdin, env, command);
    }

    private Run jar(String... args) throws IOException, InterruptedException {
        return jar(new byte[0], Map.of(), args);
    }

    /**
     * The jar on a pseudo-terminal, as a person at a terminal runs it: {@code typed} is what they type. stdout and
     * stderr both go to the terminal, so both come back as stdout.
     */
    private Run atTerminal(String typed, String... args) throws IOException, InterruptedException {
        StringBuilder shell = new StringBuilder("exec ").append(quote(JAVA)).append(" -jar ").append(quote(JAR.toString()));
        for (String arg : args) {
            shell.append(' ').append(quote(arg));
        }
        return run(typed.getBytes(StandardCharsets.UTF_8), Map.of(),
                List.of("script", "--quiet", "--return", "--command", shell.toString(), "/dev/null"));
    }

    private static String quote(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private static void assertExit(Run run, int expected) {
        assertThat(run.exitCode()).as("%s", run).isEqualTo(expected);
    }

    @Test
    void versionComesFromTheJarsManifest() throws Exception {
        Run run = jar("--version");

        assertExit(run, 0);
        assertThat(run.out()).matches("django-user-backup \\d+\\.\\d+\\.\\d+\\S*\n");
    }

    @Test
    void exportOfTheExampleDatabaseWritesAnOwnerOnlyFileAndKeepsStderrClean() throws Exception {
        Path example = Files.copy(Path.of("..", "examples", "example.sqlite3"), dir.resolve("example.sqlite3"));

        Run run = jar("export", "--db", example.toString(), "backup.json");

        assertExit(run, 0);
        assertThat(run.out()).startsWith("Exported 6 users, 3 groups, ").contains(" permissions, 3 OpenAI models from " + example + " to backup.json (");
        // Nothing else on stderr: no SLF4J provider warnings, no native-library chatter.
        assertThat(run.err()).isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("backup.json"))))
                .isEqualTo("rw-------");
        assertThat(Fixtures.holdsUser(Files.readString(dir.resolve("backup.json")), "zoë.李")).isTrue();
    }

    @Test
    void exportTakesTheDatabaseFromDatabaseUrl() throws Exception {
        Files.copy(source, dir.resolve("db.sqlite3"), StandardCopyOption.REPLACE_EXISTING);

        Run run = jar(new byte[0], Map.of("DATABASE_URL", "sqlite:///db.sqlite3"), "export", "backup.json");

        assertExit(run, 0);
        assertThat(run.out()).startsWith("Exported 2 users");
    }

    @Test
    void anExistingFileIsNotOverwrittenWithoutForce() throws Exception {
        Files.writeString(dir.resolve("backup.json"), "precious");

        Run refused = jar("export", "--db", source.toString(), "backup.json");

        assertExit(refused, 2);
        assertThat(refused.err()).isEqualTo("django-user-backup: backup.json already exists; choose another name or"
                + " pass --force to replace it\n");
        assertThat(Files.readString(dir.resolve("backup.json"))).isEqualTo("precious");

        assertExit(jar("export", "--force", "--db", source.toString(), "backup.json"), 0);
        assertThat(Fixtures.holdsUser(Files.readString(dir.resolve("backup.json")), "alice")).isTrue();
    }

    @Test
    void gzipOnTheWayOutAndBackIn() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json.gz"), 0);
        byte[] zipped = Files.readAllBytes(dir.resolve("backup.json.gz"));
        assertThat(zipped[0]).isEqualTo((byte) 0x1f);
        assertThat(zipped[1]).isEqualTo((byte) 0x8b);

        assertExit(jar("verify", "backup.json.gz"), 0);
        assertExit(jar("import", "--db", target.toString(), "--yes", "backup.json.gz"), 0);
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void dashPipesTheBackupThroughStdoutAndStdin() throws Exception {
        Run export = jar("export", "--db", source.toString(), "-");
        assertExit(export, 0);
        assertThat(export.out()).startsWith("{");
        assertThat(Fixtures.holdsUser(export.out(), "bob")).isTrue();
        assertThat(export.err()).startsWith("Exported 2 users").contains("to standard output");

        Run verify = jar(export.stdout(), Map.of(), "verify", "-");
        assertExit(verify, 0);
        assertThat(verify.out()).startsWith("standard input: a valid backup");

        Run imported = jar(export.stdout(), Map.of(), "import", "--db", target.toString(), "--yes", "-");
        assertExit(imported, 0);
        assertThat(imported.out()).startsWith("Imported standard input into ").contains("users 2 created");
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void importWithYesRestoresTheBackup() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json"), 0);

        Run run = jar("import", "--db", target.toString(), "--yes", "backup.json");

        assertExit(run, 0);
        assertThat(run.out()).startsWith("Imported backup.json into ")
                .contains("(merge): users 2 created, 0 updated, 0 removed; groups 2 created");
        assertThat(run.err()).isEmpty();
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void importAnsweredNoAtATerminalLeavesTheDatabaseByteIdentical() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json"), 0);
        String before = TestDatabases.sha256(target);

        Run run = atTerminal("n\n", "import", "--db", target.toString(), "backup.json");

        assertExit(run, 3);
        assertThat(run.out()).contains("users          2 to create, 0 to update").contains("Proceed? [y/N] ")
                .contains("django-user-backup: not imported; the database was not changed");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void importAnsweredYesAtATerminalRestoresTheBackup() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json"), 0);

        Run run = atTerminal("y\n", "import", "--db", target.toString(), "backup.json");

        assertExit(run, 0);
        assertThat(run.out()).contains("Proceed? [y/N] ").contains("Imported backup.json into ");
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void encryptedExportWithThePassphraseFromTheEnvironmentImportsBack() throws Exception {
        Map<String, String> env = Map.of("DJANGO_USER_BACKUP_PASSPHRASE", "correct horse battery staple");

        Run export = jar(new byte[0], env, "export", "--db", source.toString(), "--encrypt", "backup.json.gz.enc");

        assertExit(export, 0);
        assertThat(export.out()).startsWith("Exported 2 users").endsWith(", encrypted)\n");
        assertThat(export.err()).isEmpty();
        byte[] bytes = Files.readAllBytes(dir.resolve("backup.json.gz.enc"));
        assertThat(new String(bytes, 0, 8, StandardCharsets.ISO_8859_1)).isEqualTo("\u0089DUBENC\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("backup.json.gz.enc"))))
                .isEqualTo("rw-------");

        assertExit(jar(new byte[0], env, "verify", "backup.json.gz.enc"), 0);
        Run imported = jar(new byte[0], env, "import", "--db", target.toString(), "--yes", "backup.json.gz.enc");
        assertExit(imported, 0);
        assertThat(imported.err()).isEmpty();
        assertThat(Fixtures.users(target)).isEqualTo(2);

        Run wrong = jar(new byte[0], Map.of("DJANGO_USER_BACKUP_PASSPHRASE", "wrong"), "verify", "backup.json.gz.enc");
        assertExit(wrong, 4);
        assertThat(wrong.err()).isEqualTo("django-user-backup: invalid backup: backup.json.gz.enc: wrong passphrase"
                + " (or the file's encryption header was changed); nothing was decrypted\n");
    }

    @Test
    void atARealTerminalThePassphraseIsAskedTwiceOnExportAndOnceOnImport() throws Exception {
        Run export = atTerminal("tty passphrase\ntty passphrase\n", "export", "--db", source.toString(), "--encrypt",
                "backup.json.enc");

        assertExit(export, 0);
        assertThat(export.out()).contains("Passphrase for the backup: ").contains("The same passphrase again: ")
                .contains("Exported 2 users");

        Run imported = atTerminal("tty passphrase\ny\n", "import", "--db", target.toString(), "backup.json.enc");

        assertExit(imported, 0);
        assertThat(imported.out()).contains("Passphrase for backup.json.enc: ").contains("Proceed? [y/N] ")
                .contains("Imported backup.json.enc into ");
        assertThat(Fixtures.users(target)).isEqualTo(2);
    }

    @Test
    void importWithoutATerminalAndWithoutYesIsRefusedAndChangesNothing() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json"), 0);
        String before = TestDatabases.sha256(target);

        // "y" on a pipe is not a person answering.
        Run run = jar("y\n".getBytes(StandardCharsets.UTF_8), Map.of(), "import", "--db", target.toString(), "backup.json");

        assertExit(run, 3);
        assertThat(run.err()).endsWith("django-user-backup: not imported: there is no terminal to ask for confirmation;"
                + " pass --yes to import without asking\n");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void verifyPassesAGoodBackupAndFailsABadOne() throws Exception {
        assertExit(jar("export", "--db", source.toString(), "backup.json"), 0);
        Files.writeString(dir.resolve("bad.json"), "{\"format_version\": 1, \"users\": [");

        Run good = jar("verify", "backup.json");
        Run bad = jar("verify", "bad.json");

        assertExit(good, 0);
        assertThat(good.out()).startsWith("backup.json: a valid backup").contains("2 users");
        assertExit(bad, 4);
        assertThat(bad.err()).startsWith("django-user-backup: invalid backup: ").doesNotContain("\tat ");
        assertThat(bad.err().lines()).hasSize(1);
    }

    /** Issue 14: a full disk (here the backup piped into /dev/full) is exit 6 and one line with the reason. */
    @Test
    void aFullDiskIsExitSixWithOneLine14() throws Exception {
        Run full = run(new byte[0], Map.of(), List.of("sh", "-c", "exec " + quote(JAVA) + " -jar " + quote(JAR.toString())
                + " export --db source.sqlite3 - > /dev/full"));

        assertExit(full, 6);
        assertThat(full.err()).isEqualTo("django-user-backup: could not write the backup to standard output (a full disk,"
                + " or a pipe closed early); the backup there is incomplete\n");
    }

    @Test
    void aDatabaseProblemIsExitFiveWithOneLineAndTheTraceOnlyWithDebug() throws Exception {
        Run plain = jar("export", "--db", "missing.sqlite3", "out.json");
        Run debug = jar("export", "--debug", "--db", "missing.sqlite3", "out.json");

        assertExit(plain, 5);
        assertThat(plain.err()).isEqualTo("django-user-backup: no such database file: missing.sqlite3\n");
        assertExit(debug, 5);
        assertThat(debug.err()).contains("\tat io.djangouserbackup.cli.");
    }

    @Test
    void aBadCommandLineIsExitTwo() throws Exception {
        Run run = jar("export", "--mode", "replace");

        assertExit(run, 2);
        assertThat(run.err()).startsWith("django-user-backup: ").doesNotContain("\tat ");
    }

    /** The PostgreSQL driver is shaded into the jar and found by URL: a Django URL and PGPASSWORD are enough. */
    @Test
    void theJarReachesPostgresqlThroughItsShadedDriver() throws Exception {
        PostgresServer.SERVER.require();
        ServerDatabase postgres = PostgresServer.SERVER.create("default");
        String url = postgres.djangoUrl();
        String withoutPassword = url.replaceFirst("^postgres://([^:@]+):[^@]*@", "postgres://$1@");
        String password = url.replaceFirst("^postgres://[^:@]+:([^@]*)@.*$", "$1");
        assertThat(jar(new byte[0], Map.of(), "export", "--db", source.toString(), "backup.json").exitCode()).isZero();

        Run imported = jar(new byte[0], Map.of("PGPASSWORD", password), "import", "--url", withoutPassword, "--yes", "backup.json");
        Run exported = jar(new byte[0], Map.of("DATABASE_URL", withoutPassword, "PGPASSWORD", password), "export", "-");

        assertThat(imported.exitCode()).as("%s", imported).isZero();
        assertThat(exported.exitCode()).as("%s", exported).isZero();
        assertThat(Fixtures.holdsUser(exported.out(), "alice")).isTrue();
        // The database is named as given, without its password (the test role's password is also its user name,
        // so the summary's "dub@" is the user).
        assertThat(exported.err()).contains(" from " + withoutPassword + " (from DATABASE_URL) to standard output")
                .doesNotContain(":" + password + "@").doesNotContain("jdbc:");
    }

    /**
     * MariaDB's driver is shaded into the jar too (its ServiceLoader entry merged with PostgreSQL's and SQLite's): a
     * Django mysql:// URL and MYSQL_PWD are enough, and a JDBC jdbc:mysql: URL reaches the same server.
     */
    @Test
    void theJarReachesMariaDbThroughItsShadedDriver() throws Exception {
        MariaDbServer.SERVER.require();
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        String password = MariaDbServer.SERVER.password();
        String withoutPassword = mariadb.djangoUrl().replaceFirst(":[^:@/]*@", "@");
        String jdbc = mariadb.jdbcUrl().replace("jdbc:mariadb:", "jdbc:mysql:") + "?user=" + MariaDbServer.SERVER.user();
        assertThat(jar(new byte[0], Map.of(), "export", "--db", source.toString(), "backup.json").exitCode()).isZero();

        Run imported = jar(new byte[0], Map.of("MYSQL_PWD", password), "import", "--url", withoutPassword, "--yes", "backup.json");
        Run exported = jar(new byte[0], Map.of("DATABASE_URL", jdbc, "MYSQL_PWD", password), "export", "-");

        assertThat(imported.exitCode()).as("%s", imported).isZero();
        assertThat(exported.exitCode()).as("%s", exported).isZero();
        assertThat(Fixtures.holdsUser(exported.out(), "alice")).isTrue();
        // Named as given (a JDBC URL here), without a password.
        assertThat(exported.err()).contains(" from " + jdbc + " (from DATABASE_URL) to standard output")
                .doesNotContain("password=").doesNotContain(":" + password + "@");
    }

    /**
     * Out of memory (here a 40-million-character name under a 24 MiB heap) is one line that says what was left
     * behind and how to give Java more memory, with the database untouched, not a stack trace or a message about the
     * rollback that failed after it.
     */
    @Test
    void runningOutOfMemorySaysSoAndImportsNothing() throws Exception {
        assertThat(jar("export", "--db", source.toString(), "backup.json").exitCode()).isZero();
        String backup = Files.readString(dir.resolve("backup.json"));
        Files.writeString(dir.resolve("big.json"), backup.replaceFirst("\"first_name\":\"[^\"]*\"",
                "\"first_name\":\"" + "x".repeat(40_000_000) + "\""));
        byte[] before = Files.readAllBytes(target);

        Run run = run(new byte[0], Map.of(), List.of("setsid", "--wait", JAVA, "-Xmx24m", "-jar", JAR.toString(),
                "import", "--db", target.toString(), "--yes", "big.json"));

        assertExit(run, 1);
        assertThat(run.err()).isEqualTo("django-user-backup: out of memory (Java heap space), nothing was imported; give"
                + " Java more, e.g. DJANGO_USER_BACKUP_JAVA_OPTS=-Xmx2g for django-user-backup, or java -Xmx2g -jar\n");
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
    }
}
