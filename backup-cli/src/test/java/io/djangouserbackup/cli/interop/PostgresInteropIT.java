package io.djangouserbackup.cli.interop;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.PostgresServer;
import org.junit.jupiter.api.BeforeAll;

/** {@link ServerInteropIT} on PostgreSQL, Django on psycopg2; the password in {@code PGPASSWORD}. */
class PostgresInteropIT extends ServerInteropIT {

    @BeforeAll
    static void buildSourceAndTakeBackup() {
        buildSourceAndTakeBackup(PostgresServer.SERVER);
    }

    @Override
    DatabaseServer server() {
        return PostgresServer.SERVER;
    }

    @Override
    String passwordVariable() {
        return "PGPASSWORD";
    }

    @Override
    String[] sourceOptions() {
        return new String[0];
    }
}
