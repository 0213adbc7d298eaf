package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertNoSecrets;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18 on the command line: {@code --user} and {@code --users-from} on import and export. */
class UserOptions18Test {
    @TempDir
    Path dir;
    @TempDir
    Path temp;

    private Path target;

    private Cli cli() {
        return new Cli(dir, temp);
    }

    @BeforeEach
    void backupOfAliceAndBobAndAnEmptyTarget() {
        Path source = Fixtures.djangoDatabase(dir, "source.sqlite3");
        assertExit(cli().run("export", "--db", source.toString(), "backup.json"), 0);
        target = Fixtures.emptyDjangoDatabase(dir, "target.sqlite3");
    }

    @Test
    void importUsersFromAFileRestoresOnlyThem() throws IOException {
        Files.writeString(dir.resolve("restore.txt"), "# who to bring back\n\n  bob  \n");

        Cli.Result result = cli().run("import", "--db", target.toString(), "--users-from", "restore.txt", "--yes", "backup.json");

        assertExit(result, 0);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user")).isEqualTo(1);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user WHERE username = 'bob'")).isEqualTo(1);
        assertNoSecrets(result);
    }

    @Test
    void dryRunListsOnlyTheSelectedUser() {
        Cli.Result result = cli().run("import", "--db", target.toString(), "--user", "alice", "--dry-run", "backup.json");

        assertExit(result, 0);
        assertThat(result.out()).contains("(only users alice)").contains("created   id 1 alice").doesNotContain(" bob");
    }

    @Test
    void aUsernameNotInTheBackupIsExit4NamingIt() {
        String before = TestDatabases.sha256(target);

        Cli.Result result = cli().run("import", "--db", target.toString(), "--user", "alice", "--user", "nobody", "--yes",
                "backup.json");

        assertExit(result, 4);
        assertThat(result.err()).contains("no user 'nobody' in the backup");
        assertThat(TestDatabases.sha256(target)).isEqualTo(before);
    }

    @Test
    void userWithReplaceIsAUsageError() {
        assertExit(cli().run("import", "--db", target.toString(), "--user", "alice", "--mode", "replace", "--yes",
                "backup.json"), 2);
        assertExit(cli().run("import", "--db", target.toString(), "--users-from", "missing.txt", "--yes", "backup.json"), 2);
    }

    @Test
    void aPartialExportRestoresOnItsOwnButNeverReplaces() {
        Path source = dir.resolve("source.sqlite3");
        Cli.Result exported = cli().run("export", "--db", source.toString(), "--user", "alice", "alice.json");
        assertExit(exported, 0);
        assertThat(exported.out()).contains("users alice:").contains("partial");
        assertThat(Fixtures.read(dir.resolve("alice.json"))).contains("\"partial\": {\"users\":[\"alice\"]}");
        String before = TestDatabases.sha256(source);

        Cli.Result replace = cli().run("import", "--db", source.toString(), "--mode", "replace", "--yes", "alice.json");

        assertExit(replace, 5);
        assertThat(replace.err()).contains("holds only users [alice]");
        assertThat(TestDatabases.sha256(source)).isEqualTo(before);
        assertExit(cli().run("import", "--db", target.toString(), "--yes", "alice.json"), 0);
        assertThat(TestDatabases.queryLong(target, "SELECT count(*) FROM auth_user")).isEqualTo(1);
    }
}
