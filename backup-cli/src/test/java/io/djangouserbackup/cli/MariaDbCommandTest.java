package io.djangouserbackup.cli;

import static io.djangouserbackup.cli.Fixtures.assertExit;
import static io.djangouserbackup.cli.Fixtures.assertOneErrorLine;
import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.MariaDbServer;
import io.djangouserbackup.core.ServerDatabase;
import io.djangouserbackup.core.TestDatabases;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** The commands of {@link ServerCommandTest} on MariaDB, with the password from {@code MYSQL_PWD}. */
class MariaDbCommandTest extends ServerCommandTest {
    @Override
    DatabaseServer server() {
        return MariaDbServer.SERVER;
    }

    @Override
    String passwordVariable() {
        return DatabaseOptions.MYSQL_PWD;
    }

    /**
     * Usernames that differ only in case cannot both go into MariaDB: the import exits 5 with one line naming both
     * rows, and the database is left as it was.
     */
    @Test
    void usernamesThatMariaDbHoldsAsOneAreADatabaseProblem() throws IOException {
        var source = Fixtures.emptyDjangoDatabase(dir, "case.sqlite3");
        TestDatabases.insertUser(source, 1, "Bob", "!");
        TestDatabases.insertUser(source, 2, "bob", "!");
        assertExit(cli().run("export", "--db", "case.sqlite3", "case.json"), 0);
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");

        Cli.Result result = cli().env(DatabaseOptions.MYSQL_PWD, MariaDbServer.SERVER.password())
                .run("import", "--url", mariadb.djangoUrl().replaceFirst(":[^:@/]*@", "@"), "--yes", "case.json");

        assertExit(result, ExitCodes.DATABASE);
        assertOneErrorLine(result, "users[1].username: 'bob' and users[0].username 'Bob' are one username");
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM auth_user")).isZero();
    }

    /**
     * Issue 14: a merge of a group {@code editors} into a MariaDB that has {@code Editors} (one name to its collation)
     * exits 5 in the check pass with one line naming both rows, and the database is left as it was.
     */
    @Test
    void aGroupTheTargetHoldsInAnotherCaseIsADatabaseProblem() throws IOException {
        var source = Fixtures.emptyDjangoDatabase(dir, "group.sqlite3");
        TestDatabases.insertUser(source, 1, "alice", "!");
        TestDatabases.addToGroup(source, 1, "editors");
        assertExit(cli().run("export", "--db", "group.sqlite3", "group.json"), 0);
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        mariadb.execute("INSERT INTO auth_group (id, name) VALUES (9, 'Editors')");

        Cli.Result result = cli().env(DatabaseOptions.MYSQL_PWD, MariaDbServer.SERVER.password())
                .run("import", "--url", mariadb.djangoUrl().replaceFirst(":[^:@/]*@", "@"), "--yes", "group.json");

        assertExit(result, ExitCodes.DATABASE);
        assertOneErrorLine(result, "groups[0].name: 'editors' and the target database's auth_group id 9 'Editors' are one name");
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM auth_user")).isZero();
        assertThat(mariadb.queryString("SELECT GROUP_CONCAT(name) FROM auth_group")).isEqualTo("Editors");
    }
}
