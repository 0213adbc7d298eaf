package io.djangouserbackup.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real PostgreSQL server for tests (see {@link DatabaseServer}). Settings: {@code DUB_PG_HOST}
 * ({@code localhost}), {@code DUB_PG_PORT} ({@code 5432}), {@code DUB_PG_USER} ({@code dub}),
 * {@code DUB_PG_PASSWORD} ({@code dub}), as {@code .ci/start-postgres} creates them; the role must be allowed to
 * create databases. A test database is a copy of a migrated template ({@code CREATE DATABASE ... TEMPLATE ...}, a
 * fraction of a second).
 */
public final class PostgresServer extends DatabaseServer {
    /** The server the tests use. */
    public static final PostgresServer SERVER = new PostgresServer();
    static final String USER = SERVER.user;

    private PostgresServer() {
        super("DUB_PG_", "localhost", 5432, "dub", "dub");
    }

    @Override
    protected String engine() {
        return "PostgreSQL";
    }

    @Override
    protected String howToStart() {
        return "run .ci/start-postgres as root (installs Debian's postgresql and python3-psycopg2, starts the cluster,"
                + " creates role dub), or point DUB_PG_HOST/DUB_PG_PORT/DUB_PG_USER/DUB_PG_PASSWORD at a server whose"
                + " role may create databases";
    }

    @Override
    protected String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    @Override
    protected String djangoUrl(String database) {
        return "postgres://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    @Override
    protected Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database == null ? "postgres" : database), properties);
    }

    @Override
    protected List<String> testDatabases(Statement admin) throws SQLException {
        List<String> names = new ArrayList<>();
        try (var rs = admin.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'dub\\_test\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Override
    protected void createDatabase(Statement admin, String name) throws SQLException {
        admin.execute("CREATE DATABASE " + name);
    }

    @Override
    protected void copyDatabase(Statement admin, String template, String name) throws SQLException {
        admin.execute("CREATE DATABASE " + name + " TEMPLATE " + template);
    }

    @Override
    protected void dropDatabase(Statement admin, String name) throws SQLException {
        admin.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }
}
