package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.mappers.ModelTableMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's cases as users met them: wide decimals, durations between engines, and PostgreSQL-only types, each
 * checked on the raw values the target holds afterwards.
 */
class ExactValues17Test {
    private static final ModelTableMapper WIDE = new ModelTableMapper("wide", "app_wide");

    @TempDir
    Path dir;

    private static String export(DjangoDatabase db) {
        return ServerRoundTripTest.export(db.withMapper(WIDE));
    }

    private static ImportResult importInto(DjangoDatabase db, String backup) {
        return ServerRoundTripTest.importInto(db.withMapper(WIDE), backup, ImportMode.MERGE);
    }

    private static List<String> texts(Connection connection, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (connection; Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    private ServerDatabase postgresWith(String columns) {
        PostgresServer.SERVER.require();
        ServerDatabase db = PostgresServer.SERVER.create("default");
        db.execute("CREATE TABLE app_wide (id integer PRIMARY KEY, " + columns + ")");
        return db;
    }

    private Path sqliteWith(String name, String columns) {
        Path db = TestDatabases.create(dir, name, TestDatabases.AUTH_USER);
        TestDatabases.execute(db, "CREATE TABLE app_wide (id integer PRIMARY KEY, " + columns + ")");
        return db;
    }

    @Test
    void wideDecimalsTravelDigitForDigitPostgresToPostgres() throws SQLException {
        ServerDatabase source = postgresWith("amount numeric(30,10)");
        source.execute("INSERT INTO app_wide VALUES (1, 12345678901234567890.1234567890), (2, 99999999999999999999.9999999999),"
                + " (3, -0.0000000001), (4, 0.7)");
        String backup = export(source.django());
        assertThat(backup).contains("\"amount\":12345678901234567890.123456789", "\"amount\":99999999999999999999.9999999999")
                .doesNotContain("E19");
        ServerDatabase target = postgresWith("amount numeric(30,10)");

        ImportResult result = importInto(target.django(), backup);

        assertThat(texts(target.connect(), "SELECT CAST(amount AS text) FROM app_wide ORDER BY id"))
                .containsExactly("12345678901234567890.1234567890", "99999999999999999999.9999999999", "-0.0000000001", "0.7000000000");
        assertThat(result.notes()).isEmpty();
    }

    @Test
    void aMoneyColumnAtItsLargestRestoresIntoMariaDb() throws SQLException {
        MariaDbServer.SERVER.require();
        ServerDatabase source = MariaDbServer.SERVER.create("default");
        ServerDatabase target = MariaDbServer.SERVER.create("default");
        for (ServerDatabase db : List.of(source, target)) {
            db.execute("CREATE TABLE app_wide (id integer PRIMARY KEY, amount decimal(19,4))");
        }
        source.execute("INSERT INTO app_wide VALUES (1, 999999999999999.9999), (2, -999999999999999.9999)");

        importInto(target.django(), export(source.django()));

        assertThat(texts(target.connect(), "SELECT CAST(amount AS CHAR) FROM app_wide ORDER BY id"))
                .containsExactly("999999999999999.9999", "-999999999999999.9999");
    }

    /** SQLite keeps decimals as doubles, as Django does there: stored as Django would, and said once per column. */
    @Test
    void aDecimalSqliteCannotHoldIsStoredAsDjangoWouldWithANote() throws SQLException {
        ServerDatabase source = postgresWith("amount numeric(30,10)");
        // The third is rounded to the column's ten places by PostgreSQL, and then a double holds it.
        source.execute("INSERT INTO app_wide VALUES (1, 12345678901234567890.1234567890), (2, 1.5), (3, 0.1234567890123456789)");
        Path target = sqliteWith("target.sqlite3", "amount decimal NOT NULL");

        ImportResult result = importInto(DjangoDatabase.sqlite(target), export(source.django()));

        assertThat(result.notes()).containsExactly("app_wide.amount: 1 value stored as the nearest double, as Django stores"
                + " decimals in SQLite (up to about 15 significant digits survive)");
        assertThat(texts(DriverManager.getConnection("jdbc:sqlite:" + target), "SELECT typeof(amount) || ' ' || amount FROM app_wide ORDER BY id"))
                .containsExactly("real 1.2345678901234567e+19", "real 1.5", "real 0.123456789");
    }

    /** Too many digits before the point for the target's column: refused before writing, naming the column. */
    @Test
    void aDecimalTheTargetCannotHoldIsRefusedAndNothingIsWritten() throws SQLException {
        ServerDatabase source = postgresWith("amount numeric(30,10)");
        source.execute("INSERT INTO app_wide VALUES (1, 1.5), (2, 123456.5)");
        ServerDatabase target = postgresWith("amount numeric(6,2)");
        target.execute("INSERT INTO app_wide VALUES (1, 9.99)");

        assertThatThrownBy(() -> importInto(target.django(), export(source.django())))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("wide[1].amount: a number with 6 digits before the point, but column app_wide.amount (numeric(6,2))"
                        + " holds at most 4; nothing was imported");
        assertThat(texts(target.connect(), "SELECT CAST(amount AS text) FROM app_wide")).containsExactly("9.99");
    }

    /** A duration is integer microseconds everywhere: PostgreSQL → SQLite → PostgreSQL gives back the intervals. */
    @Test
    void durationsMoveBetweenPostgresAndSqlite() throws SQLException {
        ServerDatabase source = postgresWith("took interval");
        source.execute("INSERT INTO app_wide VALUES (1, '-1 days 86399.999999 seconds'), (2, '3 days 5.000001 seconds'),"
                + " (3, '0 days 0 seconds'), (4, '106751991 days 14454.775807 seconds')");
        String fromPostgres = export(source.django());
        assertThat(fromPostgres).contains("\"took\":-1}", "\"took\":259205000001}", "\"took\":9223372036854775807}");
        Path sqlite = sqliteWith("middle.sqlite3", "took bigint NOT NULL");
        importInto(DjangoDatabase.sqlite(sqlite), fromPostgres);
        ServerDatabase back = postgresWith("took interval");

        importInto(back.django(), export(DjangoDatabase.sqlite(sqlite)));

        assertThat(texts(back.connect(), "SELECT CAST(took AS text) FROM app_wide ORDER BY id"))
                .isEqualTo(texts(source.connect(), "SELECT CAST(took AS text) FROM app_wide ORDER BY id"));
    }

    /** A PostgreSQL array means nothing to SQLite's Django: refused before writing, naming the column. */
    @Test
    void aPostgresOnlyColumnIsRefusedOnAnotherEngine() {
        ServerDatabase source = postgresWith("tags integer[]");
        source.execute("INSERT INTO app_wide VALUES (1, '{1,2,3}')");
        String backup = export(source.django());
        ServerDatabase samePostgres = postgresWith("tags integer[]");
        importInto(samePostgres.django(), backup);
        assertThat(samePostgres.queryString("SELECT CAST(tags AS text) FROM app_wide")).isEqualTo("{1,2,3}");
        Path sqlite = sqliteWith("target.sqlite3", "tags text");
        String before = TestDatabases.sha256(sqlite);

        assertThatThrownBy(() -> importInto(DjangoDatabase.sqlite(sqlite), backup))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("wide.tags: the backup's column is PostgreSQL's integer[], which sqlite has no type for"
                        + " (column app_wide.tags); nothing was imported");
        assertThat(TestDatabases.sha256(sqlite)).isEqualTo(before);
    }
}
