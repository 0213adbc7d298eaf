package io.djangouserbackup.junit.cases;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.djangouserbackup.core.DjangoDatabase;
import io.djangouserbackup.core.DjangoSchema;
import io.djangouserbackup.junit.RestoreBackup;
import io.djangouserbackup.junit.TargetDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Run by DjangoBackupExtensionTest: the target is a database on the PostgreSQL or MariaDB server (role/account
 * {@code dub}/{@code dub}, or {@code DUB_PG_*} / {@code DUB_MYSQL_*}) with DjangoSchema's tables, named by a
 * {@code @TargetDatabase} method of a subclass.
 */
@RestoreBackup("fixtures/two-users.json")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
public abstract class ServerTargetCase {

    /** Databases created, dropped by {@link #dropAll()}. */
    private static final List<String[]> CREATED = new ArrayList<>();

    @Test
    @Order(1)
    void restoredOnTheServer(Connection connection, DjangoDatabase database) throws SQLException {
        assertEquals(2, Counts.users(connection));
        // The restore moved the id sequence past the fixture's ids: the server picks 3, not 1.
        Counts.execute(connection, "INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, "
                + "email, is_staff, is_active, date_joined) VALUES ('!', FALSE, 'new', '', '', '', FALSE, TRUE, "
                + "'2024-01-01 00:00:00')");
        try (Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery("SELECT id FROM auth_user WHERE username = 'new'")) {
            rows.next();
            assertEquals(3, rows.getLong(1));
        }
        Counts.execute(connection, "DELETE FROM auth_user_user_permissions");
        Counts.execute(connection, "DELETE FROM auth_user WHERE username = 'bob'");
    }

    @Test
    @Order(2)
    void restoredAgainBeforeTheNextTest(Connection connection) throws SQLException {
        assertEquals(2, Counts.users(connection));
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static synchronized DjangoDatabase create(String adminUrl, String jdbcPrefix, String user, String password, String create) {
        String name = "dub_junit_" + ProcessHandle.current().pid() + "_" + CREATED.size();
        try (Connection admin = DriverManager.getConnection(adminUrl, user, password);
             Statement statement = admin.createStatement()) {
            statement.execute(create.replace("NAME", name));
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create " + name + " (is the server running?): " + e.getMessage(), e);
        }
        CREATED.add(new String[] {adminUrl, user, password, name});
        DjangoDatabase database = DjangoDatabase.jdbc(jdbcPrefix + name).withCredentials(user, password);
        DjangoSchema.authAndOpenAiModels().createIn(database);
        return database;
    }

    /** Drops the databases the cases created. */
    public static synchronized void dropAll() throws SQLException {
        for (String[] created : CREATED) {
            try (Connection admin = DriverManager.getConnection(created[0], created[1], created[2]);
                 Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE " + created[3]);
            }
        }
        CREATED.clear();
    }

    /** On PostgreSQL. */
    public static class Postgres extends ServerTargetCase {
        private static DjangoDatabase database;

        @TargetDatabase
        static synchronized DjangoDatabase database() {
            if (database == null) {
                String host = env("DUB_PG_HOST", "localhost") + ":" + env("DUB_PG_PORT", "5432");
                database = create("jdbc:postgresql://" + host + "/postgres", "jdbc:postgresql://" + host + "/",
                        env("DUB_PG_USER", "dub"), env("DUB_PG_PASSWORD", "dub"), "CREATE DATABASE NAME");
            }
            return database;
        }
    }

    /** On MariaDB. */
    public static class MariaDb extends ServerTargetCase {
        private static DjangoDatabase database;

        @TargetDatabase
        static synchronized DjangoDatabase database() {
            if (database == null) {
                String host = env("DUB_MYSQL_HOST", "127.0.0.1") + ":" + env("DUB_MYSQL_PORT", "3306");
                database = create("jdbc:mariadb://" + host + "/", "jdbc:mariadb://" + host + "/",
                        env("DUB_MYSQL_USER", "dub"), env("DUB_MYSQL_PASSWORD", "dub"),
                        "CREATE DATABASE NAME CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci");
            }
            return database;
        }
    }
}
