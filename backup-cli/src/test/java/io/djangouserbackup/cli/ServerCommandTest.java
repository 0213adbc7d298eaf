package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.ServerDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands on a real database server: {@code --url} and {@code DATABASE_URL} in Django's form, the password
 * from the engine client's variable ({@code PGPASSWORD}, {@code MYSQL_PWD}) or {@code --password-file}, never
 * needed on the command line. One subclass per engine.
 */
abstract class ServerCommandTest {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    /** The server under test. */
    abstract DatabaseServer server();

    /** The environment variable the engine's client reads a password from. */
    abstract String passwordVariable();

    @BeforeEach
    void serverIsUp() {
        server().require();
    }

    Cli cli() {
        return new Cli(dir, temp);
    }

    /** The database's Django URL without its password. */
    private static String withoutPassword(ServerDatabase database) {
        return database.djangoUrl().replaceFirst("^([a-z]+)://([^:@]+):[^@]*@", "$1://$2@");
    }

    private static String password(ServerDatabase database) {
        return database.djangoUrl().replaceFirst("^[a-z]+://[^:@]+:([^@]*)@.*$", "$1");
    }

    /** The document without what differs between two exports of the same data: the date, and the digest over it. */
    private static String withoutExportDate(String document) {
        return document.replaceFirst("\"export_date\": \"[^\"]*\"", "\"export_date\": \"\"")
                .replaceFirst("\"sha256\": \"[0-9a-f]{64}\"", "\"sha256\": \"\"");
    }

    @Test
    void sqliteToServerAndBackWithThePasswordFromTheEnvironmentOrAFile() throws IOException {
        Fixtures.djangoDatabase(dir, "source.sqlite3");
        assertExit(cli().run("export", "--db", "source.sqlite3", "from-sqlite.json"), 0);
        ServerDatabase server = server().create("default");
        Files.writeString(dir.resolve("pg.password"), password(server) + "\n");

        Cli.Result imported = cli().run("import", "--url", withoutPassword(server), "--password-file", "pg.password",
                "--yes", "from-sqlite.json");
        Cli.Result exported = cli().env(DatabaseOptions.DATABASE_URL, withoutPassword(server))
                .env(passwordVariable(), password(server))
                .run("export", "from-server.json");
        Fixtures.emptyDjangoDatabase(dir, "back.sqlite3");
        Cli.Result back = cli().run("import", "--db", "back.sqlite3", "--yes", "from-server.json");

        assertExit(imported, 0);
        assertExit(exported, 0);
        assertExit(back, 0);
        assertNoSecrets(exported);
        assertThat(Fixtures.holdsUser(Fixtures.read(dir.resolve("from-server.json")), "alice")).isTrue();
        assertThat(Fixtures.users(dir.resolve("back.sqlite3"))).isEqualTo(2);
        assertExit(cli().run("export", "--db", "back.sqlite3", "back.json"), 0);
        assertThat(withoutExportDate(Fixtures.read(dir.resolve("back.json"))))
                .isEqualTo(withoutExportDate(Fixtures.read(dir.resolve("from-sqlite.json"))));
    }

    @Test
    void aWrongPasswordIsADatabaseProblemAndIsNeverPrinted() {
        ServerDatabase server = server().create("default");

        Cli.Result result = cli().env(passwordVariable(), "not-the-password-42")
                .run("export", "--url", withoutPassword(server), "out.json");

        assertExit(result, ExitCodes.DATABASE);
        assertOneErrorLine(result, "password");
        assertThat(result.err()).doesNotContain("not-the-password-42")
                .contains("give the server's password with --password-file FILE").contains(passwordVariable());
    }

    /** Issue 19: a server that wants a password the command did not have says where one can come from. */
    @Test
    void noPasswordAtAllSaysWhereOneCanComeFrom19() {
        ServerDatabase server = server().create("default");

        Cli.Result result = cli().run("export", "--url", withoutPassword(server), "out.json");

        assertExit(result, ExitCodes.DATABASE);
        assertOneErrorLine(result, "give the server's password with --password-file FILE (its first line), in the URL"
                + " (user:password@host), or in the " + passwordVariable() + " environment variable");
        assertThat(result.err()).contains("cannot open " + withoutPassword(server) + ":").doesNotContain("jdbc:");
    }

    @Test
    void aPasswordFileIsForServersOnly() {
        Fixtures.djangoDatabase(dir, "db.sqlite3");

        assertExit(cli().run("export", "--db", "db.sqlite3", "--password-file", "nothing", "out.json"), ExitCodes.USAGE);
    }

    /** Issue 19: on a server too, the dry run of a replace names the admin log row that would point at a removed user. */
    @Test
    void replaceDryRunNamesRowsOfOtherTablesThatWouldPointAtRemovedUsers19() throws IOException {
        Fixtures.djangoDatabase(dir, "source.sqlite3");
        assertExit(cli().run("export", "--db", "source.sqlite3", "both.json"), 0);
        Path onlyAlice = Fixtures.emptyDjangoDatabase(dir, "alice.sqlite3");
        io.djangouserbackup.core.TestDatabases.insertUser(onlyAlice, 1, "alice", Fixtures.ALICE_HASH);
        assertExit(cli().run("export", "--db", "alice.sqlite3", "alice.json"), 0);
        ServerDatabase server = server().create("default");
        Cli serverCli = cli().env(DatabaseOptions.DATABASE_URL, withoutPassword(server)).env(passwordVariable(), password(server));
        assertExit(serverCli.run("import", "--yes", "both.json"), 0);
        server.execute("INSERT INTO django_admin_log (action_time, object_id, object_repr, action_flag, change_message, user_id)"
                + " VALUES (CURRENT_TIMESTAMP, '1', 'x', 1, '', 2)");

        Cli.Result dryRun = serverCli.run("import", "--mode", "replace", "--dry-run", "alice.json");
        Cli.Result imported = serverCli.run("import", "--mode", "replace", "--yes", "alice.json");

        assertExit(dryRun, ExitCodes.DATABASE);
        assertOneErrorLine(dryRun, "(user_id) points at auth_user id 2 'bob'");
        assertExit(imported, ExitCodes.DATABASE);
        assertOneErrorLine(imported, "(user_id) points at auth_user id 2 'bob'");
        assertThat(server.queryLong("SELECT COUNT(*) FROM auth_user")).isEqualTo(2);
    }
}
