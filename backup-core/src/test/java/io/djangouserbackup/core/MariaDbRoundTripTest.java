package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The round trips of {@link ServerRoundTripTest} on MariaDB, and what MariaDB stores in its own types. */
class MariaDbRoundTripTest extends ServerRoundTripTest {

    @Override
    DatabaseServer server() {
        return MariaDbServer.SERVER;
    }

    /**
     * MariaDB stores the backup's values as Django does: naive UTC in {@code datetime(6)} whatever the session's time
     * zone, booleans as {@code tinyint(1)} 0/1, decimals with their scale, four-byte characters intact.
     */
    @Test
    void mariaDbHoldsNativeValues() throws Exception {
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        importInto(mariadb.django(), export(DjangoDatabase.sqlite(source())), ImportMode.MERGE);

        try (Connection connection = mariadb.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET time_zone = '-05:00'");
            try (ResultSet rs = statement.executeQuery("SELECT CAST(last_login AS CHAR), CAST(is_staff AS CHAR), CAST(is_superuser AS CHAR)"
                    + " FROM auth_user ORDER BY id")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2023-01-02 03:04:05.000001");
                assertThat(rs.getString(2)).isEqualTo("0");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("2023-01-02 03:04:05.000000");
                assertThat(rs.getString(2)).isEqualTo("1");
                rs.next();
                assertThat(rs.getString(3)).isEqualTo("1");
            }
            try (ResultSet rs = statement.executeQuery("SELECT CAST(temperature AS CHAR) FROM chat_openaimodel ORDER BY id")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("0.70");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("1.00");
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("0.05");
            }
            try (ResultSet rs = statement.executeQuery("SELECT HEX(username) FROM auth_user WHERE id = 7")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(java.util.HexFormat.of().withUpperCase()
                        .formatHex("zoë.李 \"quoted\" \\ 🦄".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
        }
    }

    @Override
    void assertCustomColumnsNative(ServerDatabase mariadb) throws Exception {
        try (Connection connection = mariadb.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT external_id, CAST(balance AS CHAR), CAST(birth_date AS CHAR),"
                     + " (SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()"
                     + " AND TABLE_NAME = 'accounts_user' AND COLUMN_NAME = 'external_id') FROM accounts_user WHERE id = 4")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("c3d4e5f6a7b84c9d8e0f112233445566");
            assertThat(rs.getString(2)).isEqualTo("1234.50");
            assertThat(rs.getString(3)).isEqualTo("1990-02-28");
            assertThat(rs.getString(4)).isEqualTo("char(32)");
        }
    }

    /** An export's transaction is one snapshot that cannot write: REPEATABLE READ, READ ONLY, begun at once. */
    @Test
    void anExportReadsOneReadOnlySnapshot() {
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        DjangoDatabase db = mariadb.django();
        try (org.jdbi.v3.core.Handle handle = db.open(true)) {
            db.dialect().beginSnapshot(handle);
            assertThat(handle.createQuery("SELECT @@tx_isolation").mapTo(String.class).one()).isEqualTo("REPEATABLE-READ");
            assertThat(handle.createQuery("SELECT @@in_transaction").mapTo(Integer.class).one()).isEqualTo(1);
            assertThat(handle.createQuery("SELECT @@time_zone").mapTo(String.class).one()).isEqualTo("+00:00");
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> handle.execute("DELETE FROM auth_group")))
                    .hasMessageContaining("READ ONLY");
            handle.rollback();
        }
    }

    /**
     * Two users whose usernames differ only in case are two users on SQLite and PostgreSQL, but one username to
     * MariaDB's case-insensitive unique index. The import refuses, naming both rows, instead of merging them or
     * failing half-way, and writes nothing.
     */
    @Test
    void usernamesThatDifferOnlyInCaseAreRefusedNamingBoth() {
        java.nio.file.Path source = TestDatabases.create(dir, "case.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "alice", ALICE_HASH);
        TestDatabases.insertUser(source, 2, "bob", "!");
        TestDatabases.insertUser(source, 3, "Alice", "!");
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        String before = export(mariadb.django());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> importInto(mariadb.django(),
                        export(DjangoDatabase.sqlite(source)), ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageStartingWith("users[2].username: 'Alice' and users[0].username 'alice' are one username")
                .hasMessageContaining("utf8mb4_general_ci");
        assertThat(export(mariadb.django())).isEqualTo(before);
    }

    /** The same for group names, and for texts that differ in accents or trailing spaces. */
    @Test
    void groupNamesThatDifferInAccentsOrTrailingSpacesAreRefused() {
        java.nio.file.Path source = TestDatabases.create(dir, "accents.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(source, 1, "zoë", ALICE_HASH);
        TestDatabases.addToGroup(source, 1, "équipe");
        TestDatabases.addToGroup(source, 1, "equipe ");
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> importInto(mariadb.django(),
                        export(DjangoDatabase.sqlite(source)), ImportMode.REPLACE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("groups[")
                .hasMessageContaining("'equipe ' and ")
                .hasMessageContaining("'équipe'");
        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM auth_group")).isZero();
    }

    /**
     * A backed-up user whose username the target already has in another case, under another id, is refused by a
     * merge (it would be a second account with the same name to Django on MariaDB).
     */
    @Test
    void aMergeRefusesAUsernameTheTargetHasInAnotherCase() {
        java.nio.file.Path first = TestDatabases.create(dir, "first.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(first, 1, "alice", ALICE_HASH);
        java.nio.file.Path second = TestDatabases.create(dir, "second.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.insertUser(second, 2, "ALICE", "!");
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        importInto(mariadb.django(), export(DjangoDatabase.sqlite(first)), ImportMode.MERGE);
        String before = export(mariadb.django());

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> importInto(mariadb.django(),
                        export(DjangoDatabase.sqlite(second)), ImportMode.MERGE))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageContaining("users[0].username: 'ALICE'")
                .hasMessageContaining("id 1");
        assertThat(export(mariadb.django())).isEqualTo(before);
    }

    /**
     * Django on MariaDB creates the next user after an import without a duplicate key: InnoDB moved the
     * AUTO_INCREMENT counter past the imported ids inside the import's own transaction.
     */
    @Test
    void autoIncrementIsPastTheImportedIds() {
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        importInto(mariadb.django(), export(DjangoDatabase.sqlite(source())), ImportMode.MERGE);

        for (String table : java.util.List.of("auth_user", "auth_group", "chat_openaimodel", "auth_user_groups")) {
            long counter = mariadb.queryLong("SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                    + " AND TABLE_NAME = '" + table + "'");
            assertThat(counter).as(table).isGreaterThan(mariadb.queryLong("SELECT COALESCE(MAX(id), 0) FROM " + table));
        }
    }

    /** Another connection's row lock that outlasts the lock timeout gives the one-line "locked" failure. */
    @Test
    void aLockedRowMakesTheImportGiveUpAfterTheTimeout() throws Exception {
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");
        String backup = export(DjangoDatabase.sqlite(source()));
        importInto(mariadb.django(), backup, ImportMode.MERGE);
        try (Connection other = mariadb.connect(); Statement statement = other.createStatement()) {
            other.setAutoCommit(false);
            statement.execute("UPDATE auth_user SET first_name = 'held' WHERE id = 1");

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> importInto(mariadb.django()
                            .withLockTimeout(java.time.Duration.ofSeconds(1)), backup, ImportMode.MERGE))
                    .isInstanceOf(DatabaseAccessException.class)
                    .hasMessageContaining("locked by another connection; gave up after waiting 1 s");
            other.rollback();
        }
    }

    /**
     * Rows of a later section that point at an earlier section's rows are written after them even when a section's
     * rows do not fit one batch: MariaDB checks foreign keys at each statement, not at commit. (A model assigned to
     * 1,100 users once failed here: its links were flushed before the last users.)
     */
    @Test
    void linksOfALaterSectionAreWrittenAfterTheRowsTheyPointAt() {
        java.nio.file.Path source = TestDatabases.create(dir, "many.sqlite3", TestDatabases.AUTH_USER);
        TestDatabases.execute(source, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100)"
                + " INSERT INTO auth_user (id, password, last_login, is_superuser, username, last_name, email, is_staff,"
                + " is_active, date_joined, first_name) SELECT i, '!', NULL, 0, 'user' || i, '', '', 0, 1,"
                + " '2022-05-19 22:34:19.600861', '' FROM n");
        TestDatabases.insertModel(source, 1, "everyone's", 0.5);
        TestDatabases.execute(source, "INSERT INTO chat_openaimodel_users (openaimodel_id, user_id) SELECT 1, id FROM auth_user");
        String fromSqlite = export(DjangoDatabase.sqlite(source));
        ServerDatabase mariadb = MariaDbServer.SERVER.create("default");

        importInto(mariadb.django(), fromSqlite, ImportMode.MERGE);

        assertThat(mariadb.queryLong("SELECT COUNT(*) FROM chat_openaimodel_users")).isEqualTo(1100);
        assertSameDocument(export(mariadb.django()), fromSqlite);
    }
}
