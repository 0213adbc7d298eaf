package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.BackupDigest;
import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 on the command line: export --table / --all-user-tables; import and verify need no option. */
class MoreTablesCommand11Test {
    static final String TOKENS = "CREATE TABLE \"authtoken_token\" (\"key\" varchar(40) NOT NULL PRIMARY KEY, \"created\" datetime"
            + " NOT NULL, \"user_id\" integer NOT NULL UNIQUE REFERENCES \"auth_user\" (\"id\") DEFERRABLE INITIALLY DEFERRED)";

    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    private Path source() {
        Path db = Fixtures.djangoDatabase(dir, "app.sqlite3");
        TestDatabases.execute(db, TOKENS);
        TestDatabases.execute(db, "INSERT INTO authtoken_token VALUES ('9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b',"
                + " '2024-05-01 09:30:15.123456', 2)");
        return db;
    }

    private Path target() {
        Path db = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
        TestDatabases.execute(db, TOKENS);
        return db;
    }

    @Test
    void aTableAddedWithTableRestoresWithoutAnyOption() {
        Path source = source();
        assertExit(cli().run("export", "--db", source.toString(), "--table", "authtoken_token", "backup.json"), 0);
        Path target = target();

        assertExit(cli().run("verify", "backup.json"), 0);
        Cli.Result dryRun = cli().run("import", "--db", target.toString(), "--dry-run", "backup.json");
        assertExit(dryRun, 0);
        assertThat(dryRun.out()).contains("authtoken_token");
        Cli.Result imported = cli().run("import", "--db", target.toString(), "--yes", "backup.json");

        assertExit(imported, 0);
        assertThat(TestDatabases.queryLong(target, "SELECT user_id FROM authtoken_token WHERE key ="
                + " '9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'")).isEqualTo(2);
        assertNoSecrets(imported);
    }

    @Test
    void aDanglingReferenceIsExitFourWithItsPlaceAndNothingIsWritten() throws IOException {
        Path source = source();
        assertExit(cli().run("export", "--db", source.toString(), "--all-user-tables", "backup.json"), 0);
        Path backup = dir.resolve("backup.json");
        Files.writeString(backup, BackupDigest.seal(Files.readString(backup).replace("\"user_id\":2}", "\"user_id\":7}")));
        Path target = target();
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--yes", "backup.json");

        assertExit(result, 4);
        assertOneErrorLine(result, "authtoken_token[0].user_id: user 7 is not in the backup's users");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
        assertExit(cli().run("verify", "backup.json"), 4);
    }

    @Test
    void aTableThatIsNotThereOrNotANameIsRefused() {
        Path source = source();

        Cli.Result missing = cli().run("export", "--db", source.toString(), "--table", "no_such_table", "backup.json");
        Cli.Result badName = cli().run("export", "--db", source.toString(), "--table", "x; DROP TABLE auth_user", "backup.json");

        assertExit(missing, 5);
        assertOneErrorLine(missing, "--table no_such_table: the database has no such table");
        assertExit(badName, 2);
        assertThat(Files.exists(dir.resolve("backup.json"))).isFalse();
    }
}
