package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the server drops the connection in the middle of an import (the session is terminated, as by a restart),
 * and the import ends with one line saying so, while the database holds exactly what it held before; in the middle
 * of an export, no file is left under the destination name. The session is killed from another connection once it
 * has written rows (PostgreSQL: it has a transaction id; MariaDB: its InnoDB transaction modified rows).
 */
abstract class LostConnection14Test {
    private static final int USERS = 20_000;

    @TempDir
    Path dir;

    abstract DatabaseServer server();

    /** The session id of our import into {@code database} once it has written something, or null. */
    abstract Long writingSession(Statement admin, String database) throws SQLException;

    /** The session id of our export while it reads, or null. */
    abstract Long readingSession(Statement admin, String database) throws SQLException;

    abstract void kill(Statement admin, long session) throws SQLException;

    private String largeBackup() {
        Path source = TestDatabases.create(dir, "large.sqlite3", TestDatabases.AUTH_USER);
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source)) {
            connection.setAutoCommit(false);
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO auth_user (id, password, is_superuser,"
                    + " username, last_name, email, is_staff, is_active, date_joined, first_name)"
                    + " VALUES (?, 'pbkdf2_sha256$1$a$b', 0, ?, '', '', 0, 1, '2022-05-19 22:34:19', '')")) {
                for (int i = 1; i <= USERS; i++) {
                    insert.setInt(1, i);
                    insert.setString(2, "user" + i);
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return ServerRoundTripTest.export(DjangoDatabase.sqlite(source));
    }

    /** Runs {@code action}; meanwhile kills the session {@code find} names as soon as it names one. */
    private void killWhile(ServerDatabase db, SessionFinder find, Runnable action) throws Exception {
        AtomicBoolean killed = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
            try (Connection admin = db.connect(); Statement statement = admin.createStatement()) {
                while (!done.get()) {
                    Long session = find.find(statement);
                    if (session != null) {
                        kill(statement, session);
                        killed.set(true);
                        return;
                    }
                    Thread.onSpinWait();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            action.run();
        } finally {
            done.set(true);
            killer.get(60, TimeUnit.SECONDS);
        }
        assertThat(killed).as("the session was killed while it worked").isTrue();
    }

    @FunctionalInterface
    interface SessionFinder {
        Long find(Statement admin) throws SQLException;
    }

    @Test
    void anImportWhoseConnectionIsLostImportsNothing() throws Exception {
        server().require();
        String backup = largeBackup();
        ServerDatabase target = server().create("default");
        target.execute("INSERT INTO auth_group (name) VALUES ('kept')");
        String before = ServerRoundTripTest.export(target.django());

        killWhile(target, admin -> writingSession(admin, target.name()), () -> assertThatThrownBy(() -> ServerRoundTripTest.importInto(target.django(),
                backup, ImportMode.REPLACE))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageEndingWith(": the connection to the server was lost; nothing was imported"));

        assertThat(ServerRoundTripTest.export(target.django())).isEqualTo(before);
    }

    @Test
    void anExportWhoseConnectionIsLostLeavesNoFile() throws Exception {
        server().require();
        ServerDatabase source = server().create("default");
        ServerRoundTripTest.importInto(source.django(), largeBackup(), ImportMode.MERGE);
        Path file = dir.resolve("out").resolve("backup.json");
        Files.createDirectories(file.getParent());

        killWhile(source, admin -> readingSession(admin, source.name()), () -> assertThatThrownBy(() ->
                Exporter.of(source.django()).exportTo(file))
                .isInstanceOf(DatabaseAccessException.class)
                .hasMessageEndingWith(": the connection to the server was lost; no backup was written"));

        try (Stream<Path> left = Files.list(file.getParent())) {
            assertThat(left).isEmpty();
        }
    }

    static Long first(Statement admin, String sql) throws SQLException {
        try (ResultSet rs = admin.executeQuery(sql)) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }
}
