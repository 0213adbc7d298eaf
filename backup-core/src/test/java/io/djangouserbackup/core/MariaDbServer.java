package io.djangouserbackup.core;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * A real MariaDB (or MySQL) server for tests (see {@link DatabaseServer}). Settings: {@code DUB_MYSQL_HOST}
 * ({@code 127.0.0.1}), {@code DUB_MYSQL_PORT} ({@code 3306}), {@code DUB_MYSQL_USER} ({@code dub}),
 * {@code DUB_MYSQL_PASSWORD} ({@code dub}), as {@code .ci/start-mariadb} creates them; the account must be allowed
 * to create databases named {@code dub_...}.
 *
 * <p>Databases are {@code utf8mb4} with {@code utf8mb4_general_ci}, Debian's default and the collation most MySQL
 * Django sites have: case- and accent-insensitive. MySQL has no template databases: a copy replays the template's
 * {@code SHOW CREATE TABLE} and copies its rows (Django's content types, permissions and migrations).
 */
public final class MariaDbServer extends DatabaseServer {
    /** The server the tests use. */
    public static final MariaDbServer SERVER = new MariaDbServer();

    private MariaDbServer() {
        super("DUB_MYSQL_", "127.0.0.1", 3306, "dub", "dub");
    }

    @Override
    protected String engine() {
        return "MariaDB";
    }

    @Override
    protected String howToStart() {
        return "run .ci/start-mariadb as root (installs Debian's mariadb-server and python3-mysqldb, starts the server,"
                + " creates the account dub), or point DUB_MYSQL_HOST/DUB_MYSQL_PORT/DUB_MYSQL_USER/DUB_MYSQL_PASSWORD at"
                + " a server whose account may create databases named dub_...";
    }

    @Override
    protected String jdbcUrl(String database) {
        return "jdbc:mariadb://" + host + ":" + port + "/" + database;
    }

    @Override
    protected String djangoUrl(String database) {
        return "mysql://" + user + ":" + password + "@" + host + ":" + port + "/" + database;
    }

    @Override
    protected Connection connect(String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("connectTimeout", "5000");
        return DriverManager.getConnection(jdbcUrl(database == null ? "" : database), properties);
    }

    @Override
    protected List<String> testDatabases(Statement admin) throws SQLException {
        List<String> names = new ArrayList<>();
        try (var rs = admin.executeQuery("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME LIKE 'dub\\_test\\_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    @Override
    protected void createDatabase(Statement admin, String name) throws SQLException {
        admin.execute("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
    }

    @Override
    protected void copyDatabase(Statement admin, String template, String name) throws SQLException {
        createDatabase(admin, name);
        List<String> tables = new ArrayList<>();
        try (var rs = admin.executeQuery("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = '" + template
                + "' AND TABLE_TYPE = 'BASE TABLE'")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        List<String> creates = new ArrayList<>();
        for (String table : tables) {
            try (var rs = admin.executeQuery("SHOW CREATE TABLE `" + template + "`.`" + table + "`")) {
                rs.next();
                creates.add(rs.getString(2));
            }
        }
        // Foreign keys name tables without their database, so the copies point at each other; the tables are
        // created in any order, and the template's rows are copied as they are.
        admin.execute("SET foreign_key_checks = 0");
        try {
            admin.execute("USE `" + name + "`");
            for (String create : creates) {
                admin.execute(create);
            }
            for (String table : tables) {
                admin.execute("INSERT INTO `" + name + "`.`" + table + "` SELECT * FROM `" + template + "`.`" + table + "`");
            }
        } finally {
            admin.execute("SET foreign_key_checks = 1");
        }
    }

    @Override
    protected void dropDatabase(Statement admin, String name) throws SQLException {
        admin.execute("DROP DATABASE IF EXISTS `" + name + "`");
    }
}
