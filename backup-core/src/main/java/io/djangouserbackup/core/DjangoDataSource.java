package io.djangouserbackup.core;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} for a {@link DjangoDatabase}: connections as the library opens them (the same driver, URL,
 * credentials, lock timeout, and on SQLite enforced foreign keys), for code under test that wants JDBC. Each
 * {@link #getConnection()} opens a new connection, which the caller closes. Immutable and thread-safe.
 *
 * <pre>{@code
 * DataSource dataSource = new DjangoDataSource(DjangoDatabase.sqlite(Path.of("db.sqlite3")));
 * try (Connection connection = dataSource.getConnection()) { ... }
 * }</pre>
 */
public final class DjangoDataSource implements DataSource {

    private final DjangoDatabase database;

    /** Connections to the given database. */
    public DjangoDataSource(DjangoDatabase database) {
        this.database = Objects.requireNonNull(database, "database");
    }

    /** The database these connections go to. */
    public DjangoDatabase database() {
        return database;
    }

    /** A new connection in auto-commit mode. */
    @Override
    public Connection getConnection() throws SQLException {
        try {
            // The connection outlives the Jdbi handle that opened it; closing it is the caller's job.
            return database.open(false).getConnection();
        } catch (DatabaseAccessException e) {
            throw new SQLException(e.getMessage(), e);
        }
    }

    /** Not supported: credentials are part of the {@link DjangoDatabase}. */
    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials are set on the DjangoDatabase");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // Nothing is logged.
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // The lock timeout of the DjangoDatabase applies.
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        if (type.isInstance(this)) {
            return type.cast(this);
        }
        throw new SQLException("not a wrapper for " + type.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> type) {
        return type.isInstance(this);
    }

    /** The database's description, with any password hidden. */
    @Override
    public String toString() {
        return "DjangoDataSource[" + database.description() + "]";
    }
}
