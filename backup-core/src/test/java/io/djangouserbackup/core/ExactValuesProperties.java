package io.djangouserbackup.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.internal.SafeFiles;
import io.djangouserbackup.core.mappers.ModelTableMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Export then import into the same engine is the identity on raw values, for the values that travel through the
 * backup's number forms: {@code numeric(p, s)} at full width up to the engine's largest precision, durations,
 * 64-bit integers and doubles, extremes included. The values are compared as the database holds them (PostgreSQL's
 * and MySQL's own text of a decimal, a double's bits), not as the tool exports them.
 */
class ExactValuesProperties {
    private Path dir;
    private int counter;

    @BeforeProperty
    void createFolder() throws IOException {
        dir = Files.createTempDirectory("dub-exact-values");
    }

    @AfterProperty
    void deleteFolder() throws IOException {
        SafeFiles.deleteTree(dir);
    }

    /** A column's precision and scale, and values that use every digit it has. */
    record Decimals(int precision, int scale, List<BigDecimal> values) {
        String declared() {
            return "numeric(" + precision + "," + scale + ")";
        }
    }

    private static Arbitrary<Decimals> decimals(int mostPrecision, int mostScale) {
        Arbitrary<Integer> precision = Arbitraries.integers().between(1, mostPrecision).edgeCases(c -> c.add(mostPrecision));
        return precision.flatMap(p -> Arbitraries.integers().between(0, Math.min(p, mostScale)).flatMap(s ->
                Arbitraries.randomValue(random -> new Decimals(p, s, valuesAtFullWidth(random, p, s)))));
    }

    /** The largest and smallest values, zero, and random ones with every digit the column has. */
    private static List<BigDecimal> valuesAtFullWidth(Random random, int precision, int scale) {
        List<BigDecimal> values = new ArrayList<>();
        BigDecimal largest = new BigDecimal(BigInteger.TEN.pow(precision).subtract(BigInteger.ONE), scale);
        values.add(largest);
        values.add(largest.negate());
        values.add(BigDecimal.ONE.movePointLeft(scale));
        values.add(BigDecimal.ZERO);
        for (int i = 0; i < 4; i++) {
            StringBuilder digits = new StringBuilder();
            for (int d = 0; d < precision; d++) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            BigDecimal value = new BigDecimal(new BigInteger(digits.toString()), scale);
            values.add(random.nextBoolean() ? value : value.negate());
        }
        return values;
    }

    @Provide
    Arbitrary<Decimals> postgresDecimals() {
        return decimals(1000, 1000);
    }

    @Provide
    Arbitrary<Decimals> mysqlDecimals() {
        return decimals(65, 30);
    }

    /** PostgreSQL numeric(p, s), p up to 1000: the restored text is the original text, digit for digit. */
    @Property(tries = 15)
    void postgresNumericIsExact(@ForAll("postgresDecimals") Decimals column) throws SQLException {
        assertServerRoundTrip(PostgresServer.SERVER, column.declared(), column.values(), "CAST(v AS text)");
    }

    /** MariaDB decimal(p, s), p up to 65 and s up to 30: the restored text is the original text. */
    @Property(tries = 15)
    void mariaDbDecimalIsExact(@ForAll("mysqlDecimals") Decimals column) throws SQLException {
        assertServerRoundTrip(MariaDbServer.SERVER, column.declared().replace("numeric", "decimal"), column.values(),
                "CAST(v AS CHAR)");
    }

    @Provide
    Arbitrary<List<Long>> micros() {
        return Arbitraries.longs().list().ofMinSize(1).ofMaxSize(8)
                .map(list -> {
                    List<Long> all = new ArrayList<>(list);
                    all.addAll(List.of(0L, -1L, 1L, Long.MAX_VALUE, Long.MIN_VALUE, 86_400_000_000L, -86_399_999_999L));
                    return all;
                });
    }

    /**
     * PostgreSQL intervals as Django writes them (days and time, from a timedelta): the restored interval is the
     * original, for every 64-bit count of microseconds.
     */
    @Property(tries = 10)
    void postgresIntervalIsExact(@ForAll("micros") List<Long> micros) throws SQLException {
        List<String> intervals = micros.stream()
                .map(m -> io.djangouserbackup.core.internal.Durations.toIntervalText(BigInteger.valueOf(m))).toList();
        assertServerRoundTrip(PostgresServer.SERVER, "interval", intervals, "CAST(v AS text)");
    }

    /** 64-bit integers in bigint columns, on every engine. */
    @Property(tries = 5)
    void bigintIsExact(@ForAll("micros") List<Long> integers) throws SQLException {
        assertServerRoundTrip(PostgresServer.SERVER, "bigint", integers, "CAST(v AS text)");
        assertServerRoundTrip(MariaDbServer.SERVER, "bigint", integers, "CAST(v AS CHAR)");
        assertSqliteRoundTrip("bigint", integers);
    }

    @Provide
    Arbitrary<List<Double>> doubles() {
        Arbitrary<Double> bits = Arbitraries.longs().map(Double::longBitsToDouble)
                .filter(d -> !d.isNaN() && !d.isInfinite());
        return Combinators.combine(bits.list().ofMinSize(1).ofMaxSize(8), Arbitraries.just(List.of(Double.MAX_VALUE,
                -Double.MAX_VALUE, Double.MIN_NORMAL, Double.MIN_VALUE, -0.0, 0.1, 1.0E-300, 123456789.0, 1.0))).as((random, extremes) -> {
                    List<Double> all = new ArrayList<>(random);
                    all.addAll(extremes);
                    return all;
                });
    }

    /** Doubles from their whole bit range, subnormals included: the restored double is the same, on every engine. */
    @Property(tries = 10)
    void doublesAreExact(@ForAll("doubles") List<Double> doubles) throws SQLException {
        assertServerRoundTrip(PostgresServer.SERVER, "double precision", doubles, "v");
        assertServerRoundTrip(MariaDbServer.SERVER, "double", doubles, "v");
        assertSqliteRoundTrip("real", doubles);
    }

    private ServerDatabase postgres;
    private ServerDatabase postgresTarget;
    private ServerDatabase mariaDb;
    private ServerDatabase mariaDbTarget;

    private ServerDatabase[] databases(DatabaseServer server) {
        server.require();
        if (server == PostgresServer.SERVER) {
            if (postgres == null) {
                postgres = server.create("default");
                postgresTarget = server.create("default");
            }
            return new ServerDatabase[] {postgres, postgresTarget};
        }
        if (mariaDb == null) {
            mariaDb = server.create("default");
            mariaDbTarget = server.create("default");
        }
        return new ServerDatabase[] {mariaDb, mariaDbTarget};
    }

    /**
     * Puts the values into a new table of the source, exports it (as an added section), imports the backup into the
     * same table of another database, and compares what each database holds, read with {@code read}.
     */
    private void assertServerRoundTrip(DatabaseServer server, String declared, List<?> values, String read) throws SQLException {
        ServerDatabase[] pair = databases(server);
        String table = "dub_values_" + (counter++);
        for (ServerDatabase db : pair) {
            db.execute("CREATE TABLE " + table + " (id integer PRIMARY KEY, v " + declared + ")");
        }
        try (Connection connection = pair[0].connect()) {
            insert(connection, table, values);
        }
        roundTrip(pair[0].django(), pair[1].django(), table);
        assertThat(column(pair[1].connect(), table, read)).as(declared).isEqualTo(column(pair[0].connect(), table, read));
    }

    private void assertSqliteRoundTrip(String declared, List<?> values) throws SQLException {
        Path source = TestDatabases.create(dir, "source" + counter + ".sqlite3", TestDatabases.AUTH_USER);
        Path target = TestDatabases.create(dir, "target" + counter + ".sqlite3", TestDatabases.AUTH_USER);
        String table = "dub_values_" + (counter++);
        for (Path db : List.of(source, target)) {
            TestDatabases.execute(db, "CREATE TABLE " + table + " (id integer PRIMARY KEY, v " + declared + ")");
        }
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + source)) {
            insert(connection, table, values);
        }
        roundTrip(DjangoDatabase.sqlite(source), DjangoDatabase.sqlite(target), table);
        assertThat(column(DriverManager.getConnection("jdbc:sqlite:" + target), table, "v"))
                .isEqualTo(column(DriverManager.getConnection("jdbc:sqlite:" + source), table, "v"));
    }

    private static void insert(Connection connection, String table, List<?> values) throws SQLException {
        // Texts (PostgreSQL intervals here) are typed by the column, as a literal would be.
        boolean postgres = connection.getMetaData().getDatabaseProductName().equals("PostgreSQL");
        String value = postgres && !values.isEmpty() && values.get(0) instanceof String ? "CAST(CAST(? AS text) AS interval)" : "?";
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + table + " (id, v) VALUES (?, " + value + ")")) {
            for (int i = 0; i < values.size(); i++) {
                insert.setLong(1, i + 1);
                insert.setObject(2, values.get(i));
                insert.executeUpdate();
            }
        }
    }

    private static void roundTrip(DjangoDatabase source, DjangoDatabase target, String table) {
        ModelTableMapper values = new ModelTableMapper("values", table);
        String backup = ServerRoundTripTest.export(source.withMapper(values));
        ServerRoundTripTest.importInto(target.withMapper(values), backup, ImportMode.MERGE);
    }

    /** What the database holds, row by row, in its own text (or, for {@code v} alone, its own Java type). */
    private static List<Object> column(Connection connection, String table, String read) throws SQLException {
        List<Object> values = new ArrayList<>();
        try (connection; Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT " + read + " FROM " + table + " ORDER BY id")) {
            while (rs.next()) {
                values.add(rs.getObject(1));
            }
        }
        return values;
    }
}
