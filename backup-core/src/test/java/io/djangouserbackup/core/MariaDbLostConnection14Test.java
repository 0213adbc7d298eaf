package io.djangouserbackup.core;

import java.sql.SQLException;
import java.sql.Statement;

/** {@link LostConnection14Test} on MariaDB: the session is ended with {@code KILL CONNECTION}. */
class MariaDbLostConnection14Test extends LostConnection14Test {
    @Override
    DatabaseServer server() {
        return MariaDbServer.SERVER;
    }

    @Override
    Long writingSession(Statement admin, String database) throws SQLException {
        // A session sees its own user's threads without the PROCESS privilege; an INSERT under way has written rows.
        return first(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database + "'"
                + " AND ID <> CONNECTION_ID() AND INFO LIKE 'INSERT%'");
    }

    @Override
    Long readingSession(Statement admin, String database) throws SQLException {
        return first(admin, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = '" + database + "'"
                + " AND ID <> CONNECTION_ID() AND INFO LIKE 'SELECT%auth_user%'");
    }

    @Override
    void kill(Statement admin, long session) throws SQLException {
        admin.execute("KILL CONNECTION " + session);
    }
}
