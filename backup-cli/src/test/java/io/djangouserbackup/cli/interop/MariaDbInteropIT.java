package io.djangouserbackup.cli.interop;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.MariaDbServer;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@link ServerInteropIT} on MariaDB, Django on mysqlclient (python3-mysqldb); the password in {@code MYSQL_PWD}.
 * The source's group names are distinct ignoring case, as any data a site could move to MySQL must be; the one
 * scenario of its own shows what happens to data that is not.
 */
class MariaDbInteropIT extends ServerInteropIT {

    @BeforeAll
    static void buildSourceAndTakeBackup() {
        buildSourceAndTakeBackup(MariaDbServer.SERVER, "--names-distinct-ignoring-case");
    }

    @Override
    DatabaseServer server() {
        return MariaDbServer.SERVER;
    }

    @Override
    String passwordVariable() {
        return "MYSQL_PWD";
    }

    @Override
    String[] sourceOptions() {
        return new String[] {"--names-distinct-ignoring-case"};
    }

    /**
     * A SQLite site with groups "UPPER" and "upper" (two groups to Django on SQLite) cannot move to MariaDB, where
     * they are one name: the import exits 5, naming both, and Django on MariaDB still sees the empty migrated
     * database it was.
     */
    @Test
    void namesMariaDbHoldsAsOne_areRefusedAndNothingIsWritten() {
        Dataset clashing = Dataset.source(Django.on(dir.resolve("clashing.sqlite3")), 20);
        Path clashingBackup = dir.resolve("clashing.json");
        Cli.export(clashing.db(), clashingBackup);
        Django server = migratedServer();
        Finished empty = server.step("snapshot", "--out", dir.resolve("empty.snapshot.json").toString());

        Finished refused = Cli.tryOnServer(dir, passwordVariable(), server().password(), "import", "--url",
                urlWithoutPassword(server), "--yes", clashingBackup.toString());

        assertThat(refused.exitCode()).as(refused::describe).isEqualTo(5);
        assertThat(refused.describe()).contains("'upper' and ").contains("'UPPER'").contains("utf8mb4_general_ci");
        Finished after = server.step("snapshot", "--out", dir.resolve("after.snapshot.json").toString());
        assertThat(after.factLong("users")).isZero();
        assertThat(after.fact("groups")).isEqualTo(empty.fact("groups"));
    }
}
