package io.djangouserbackup.cli;

import io.djangouserbackup.core.DatabaseServer;
import io.djangouserbackup.core.PostgresServer;

/** The commands of {@link ServerCommandTest} on PostgreSQL, with the password from {@code PGPASSWORD}. */
class PostgresCommandTest extends ServerCommandTest {
    @Override
    DatabaseServer server() {
        return PostgresServer.SERVER;
    }

    @Override
    String passwordVariable() {
        return DatabaseOptions.PGPASSWORD;
    }
}
