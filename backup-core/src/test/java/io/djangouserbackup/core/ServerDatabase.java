package io.djangouserbackup.core;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database on a test server, with the URL forms the library and Django take.
 *
 * @param server the server it is on
 * @param name   its name
 */
public record ServerDatabase(DatabaseServer server, String name) {

    /** The JDBC URL, without credentials. */
    public String jdbcUrl() {
        return server.jdbcUrl(name);
    }

    /** Django's form, with credentials, for {@code DJANGO_DB_URL} and {@link DatabaseUrls}. */
    public String djangoUrl() {
        return server.djangoUrl(name);
    }

    /** The library's view of it. */
    public DjangoDatabase django() {
        return DjangoDatabase.jdbc(jdbcUrl()).withCredentials(server.user, server.password);
    }

    /** A plain connection, for setting up and inspecting rows. */
    public Connection connect() throws SQLException {
        return server.connect(name);
    }

    /** Runs one statement. */
    public void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** One number from a query. */
    public long queryLong(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** One text from a query. */
    public String queryString(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             var rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    /** Drops the database now (it would be dropped when the JVM ends). */
    public void drop() {
        server.drop(name);
    }

    /** Runs a Python snippet with Django set up on this database. */
    public String djangoSnippet(String code) {
        return server.djangoSnippet(this, code);
    }
}
