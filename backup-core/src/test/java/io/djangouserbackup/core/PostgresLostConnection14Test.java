package io.djangouserbackup.core;

import java.sql.SQLException;
import java.sql.Statement;

/** {@link LostConnection14Test} on PostgreSQL: the session is ended with {@code pg_terminate_backend}. */
class PostgresLostConnection14Test extends LostConnection14Test {
    @Override
    DatabaseServer server() {
        return PostgresServer.SERVER;
    }

    @Override
    Long writingSession(Statement admin, String database) throws SQLException {
        return first(admin, "SELECT pid FROM pg_stat_activity WHERE application_name = 'django-user-backup'"
                + " AND datname = '" + database + "' AND backend_xid IS NOT NULL");
    }

    @Override
    Long readingSession(Statement admin, String database) throws SQLException {
        return first(admin, "SELECT pid FROM pg_stat_activity WHERE application_name = 'django-user-backup'"
                + " AND datname = '" + database + "' AND xact_start IS NOT NULL AND query LIKE 'SELECT%auth_user%'");
    }

    @Override
    void kill(Statement admin, long session) throws SQLException {
        admin.execute("SELECT pg_terminate_backend(" + session + ")");
    }
}
