package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.Table;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL as Django uses it, translated to and from the document's canonical forms (see {@link ServerDialect}),
 * plus what only PostgreSQL has:
 * <ul>
 *   <li>{@code timestamp with time zone} is read as an instant and written as the UTC text; written back as that
 *       instant;</li>
 *   <li>{@code uuid} is 32 lower-case hex digits without dashes, Django's {@code char(32)} form on SQLite.</li>
 * </ul>
 * Sequences are moved past the highest id after an import, so Django's next insert does not collide.
 */
public final class PostgresDialect extends ServerDialect {

    private static final java.util.regex.Pattern UUID_TEXT = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    /** An interval keeps its days in 32 bits (and its time in 64 bits of microseconds). */
    private static final BigInteger MOST_INTERVAL_MICROS = BigInteger.valueOf(Integer.MAX_VALUE).multiply(BigInteger.valueOf(86_400_000_000L));

    /** A dialect that waits at most {@code lockTimeout} for another transaction's lock. */
    public PostgresDialect(Duration lockTimeout) {
        super(lockTimeout);
    }

    @Override
    public PostgresDialect withLockTimeout(Duration timeout) {
        return new PostgresDialect(timeout);
    }

    @Override
    public Properties connectionProperties() {
        Properties properties = new Properties();
        properties.setProperty("ApplicationName", "django-user-backup");
        properties.setProperty("connectTimeout", String.valueOf(Math.max(1, lockTimeout.toSeconds())));
        // Text from the backup goes into columns of types the dialect does not convert itself (json, inet, ...):
        // let the server type those parameters, as it types literals.
        properties.setProperty("stringtype", "unspecified");
        return properties;
    }

    @Override
    public String passwordVariable() {
        return "PGPASSWORD";
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String quote(String identifier) {
        return quoteWith('"', identifier);
    }

    @Override
    public void configure(Handle handle) {
        // Django's session time zone; the values read do not depend on it (instants are turned to UTC here),
        // but messages and server-side casts then agree with Django.
        handle.execute("SET TIME ZONE 'UTC'");
        handle.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
        // Intervals are read in the one form Durations parses, whatever the server's default.
        handle.execute("SET intervalstyle = 'iso_8601'");
    }

    @Override
    public void beginSnapshot(Handle handle) {
        handle.begin();
        // One consistent view of every table for the whole export, and a guarantee that it writes nothing.
        handle.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    }

    @Override
    public List<String> tableNames(Handle handle) {
        return handle.createQuery("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname")
                .mapTo(String.class).list();
    }

    @Override
    public Optional<Table> table(Handle handle, String name) {
        SqliteDialect.checkIdentifier(name);
        List<Column> columns = handle.createQuery("SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type,"
                        + " a.attnotnull, (a.atthasdef OR a.attidentity <> '') AS filled,"
                        + " COALESCE((SELECT true FROM pg_index i WHERE i.indrelid = c.oid AND i.indisprimary"
                        + " AND a.attnum = ANY(i.indkey)), false) AS pk"
                        + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " WHERE c.relname = :name AND n.nspname = current_schema() AND a.attnum > 0 AND NOT a.attisdropped"
                        + " ORDER BY a.attnum")
                .bind("name", name)
                .map((rs, ctx) -> column(rs.getString("attname"), rs.getString("type"), rs.getBoolean("attnotnull"),
                        rs.getBoolean("filled"), rs.getBoolean("pk")))
                .list();
        if (columns.isEmpty()) {
            return Optional.empty();
        }
        List<ForeignKey> foreignKeys = handle.createQuery("SELECT a.attname AS from_column, t.relname AS to_table,"
                        + " ta.attname AS to_column FROM pg_constraint k"
                        + " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_class t ON t.oid = k.confrelid"
                        + " JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]"
                        + " JOIN pg_attribute ta ON ta.attrelid = k.confrelid AND ta.attnum = k.confkey[1]"
                        + " WHERE k.contype = 'f' AND c.relname = :name AND n.nspname = current_schema()"
                        + " AND array_length(k.conkey, 1) = 1 ORDER BY a.attnum")
                .bind("name", name)
                .map((rs, ctx) -> new ForeignKey(rs.getString("from_column"), rs.getString("to_table"), rs.getString("to_column")))
                .list();
        return Optional.of(new Table(name, columns, foreignKeys));
    }

    /** A column from PostgreSQL's {@code format_type}, e.g. {@code character varying(150)}, {@code numeric(4,2)}. */
    static Column column(String name, String type, boolean notNull, boolean filled, boolean primaryKey) {
        String declared = type.toLowerCase(Locale.ROOT);
        if (declared.endsWith("]")) {
            // An array (ArrayField) is PostgreSQL's own text, whatever its elements are.
            return new Column(name, type, ColumnType.OTHER, null, notNull, filled, primaryKey);
        }
        ColumnType kind = switch (declared) {
            case "timestamp with time zone", "timestamp without time zone" -> ColumnType.DATETIME;
            case "time without time zone" -> ColumnType.TIME;
            case "date" -> ColumnType.DATE;
            case "bytea" -> ColumnType.BLOB;
            case "integer", "bigint", "smallint" -> ColumnType.INTEGER;
            case "boolean" -> ColumnType.BOOLEAN;
            case "real", "double precision" -> ColumnType.REAL;
            case "text" -> ColumnType.TEXT;
            case "interval" -> ColumnType.DURATION;
            default -> null;
        };
        if (kind != null) {
            return new Column(name, type, kind, null, notNull, filled, primaryKey);
        }
        if (declared.startsWith("numeric")) {
            return new Column(name, type, ColumnType.DECIMAL, null, notNull, filled, primaryKey);
        }
        if (declared.startsWith("character")) {
            Column parsed = DeclaredTypes.parse(name, type, notNull, filled, primaryKey);
            return new Column(name, type, ColumnType.TEXT, parsed.maxLength(), notNull, filled, primaryKey);
        }
        // uuid, json, inet, interval, ...: stored as the text the engine reads back.
        return new Column(name, type, ColumnType.OTHER, null, notNull, filled, primaryKey);
    }

    @Override
    Object readDateTime(ResultSet resultSet, int index, Column column) throws SQLException {
        if (hasTimeZone(column)) {
            OffsetDateTime value = resultSet.getObject(index, OffsetDateTime.class);
            return value == null ? null : formatDateTime(value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
        }
        return super.readDateTime(resultSet, index, column);
    }

    @Override
    Object readOther(ResultSet resultSet, int index, Column column) throws SQLException {
        Object value = resultSet.getObject(index);
        if (value instanceof UUID uuid) {
            return uuid.toString().replace("-", "");
        }
        return super.readOther(resultSet, index, column);
    }

    @Override
    Object dateTimeToDatabase(OffsetDateTime instant, Column column) {
        return hasTimeZone(column) ? instant : super.dateTimeToDatabase(instant, column);
    }

    @Override
    Object otherToDatabase(Object jsonValue, Column column) {
        if (jsonValue instanceof String text && column.declaredType().equalsIgnoreCase("uuid")) {
            return uuid(text);
        }
        return jsonValue;
    }

    @Override
    boolean holdsInfinity() {
        return true;
    }

    @Override
    String approximationOfOther(Object jsonValue, Column column, String table, String place) {
        if (jsonValue instanceof String text && column.type() == ColumnType.TEXT && text.indexOf('\0') >= 0) {
            throw new IncompatibleDatabaseException(place + ": a text with the NUL character, which PostgreSQL's text"
                    + " cannot hold (column " + table + "." + column.name() + "); nothing was imported");
        }
        if (jsonValue instanceof String text && column.declaredType().equalsIgnoreCase("uuid") && !UUID_TEXT.matcher(text).matches()) {
            throw new IncompatibleDatabaseException(place + ": not a UUID, which column " + table + "." + column.name()
                    + " (uuid) requires; nothing was imported");
        }
        if (column.type() == ColumnType.DURATION && Integers.toBigInteger(jsonValue).abs().compareTo(MOST_INTERVAL_MICROS) > 0) {
            throw new IncompatibleDatabaseException(place + ": a duration beyond the days an interval holds (column "
                    + table + "." + column.name() + "); nothing was imported");
        }
        return null;
    }

    @Override
    public String cannotHoldSourceType(String sourceEngine, String declaredType) {
        return null;
    }

    /**
     * Why a column of a type only PostgreSQL has ({@code ArrayField}'s arrays, {@code HStoreField}, range fields) cannot
     * move from a PostgreSQL backup to another engine, or {@code null} when it can: the backup holds PostgreSQL's own
     * texts for them ({@code {1,2}}, {@code "a"=>"b"}, {@code [1,10)}), which mean nothing to another engine's Django.
     */
    static String onlyPostgres(String sourceEngine, String declaredType, String targetEngine) {
        if (!"postgresql".equals(sourceEngine) || declaredType == null) {
            return null;
        }
        String declared = declaredType.toLowerCase(Locale.ROOT).trim();
        boolean postgresOnly = declared.endsWith("]") || declared.equals("hstore") || declared.endsWith("range")
                || declared.endsWith("multirange") || declared.equals("tsvector") || declared.equals("tsquery");
        return postgresOnly ? "the backup's column is PostgreSQL's " + declaredType + ", which " + targetEngine
                + " has no type for" : null;
    }

    private static boolean hasTimeZone(Column column) {
        return column.declaredType().toLowerCase(Locale.ROOT).endsWith("with time zone");
    }

    private static UUID uuid(String text) {
        String hex = text.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a UUID: " + text);
        }
        return new UUID(new BigInteger(hex.substring(0, 16), 16).longValue(), new BigInteger(hex.substring(16), 16).longValue());
    }

    @Override
    public void resetSequence(Handle handle, String table, String idColumn) {
        // Django's serial (and identity) columns own a sequence; after explicit ids, its next value must be
        // above them all. With an empty table the sequence starts again at 1 (is_called = false).
        Optional<String> sequence = handle.createQuery("SELECT pg_get_serial_sequence(:table, :column)")
                .bind("table", quote(table))
                .bind("column", idColumn)
                .mapTo(String.class)
                .findOne();
        if (sequence.isEmpty()) {
            return;
        }
        handle.createQuery("SELECT setval(CAST(:sequence AS regclass), COALESCE(MAX(" + quote(idColumn) + "), 1), MAX("
                        + quote(idColumn) + ") IS NOT NULL) FROM " + quote(table))
                .bind("sequence", sequence.get())
                .mapTo(Long.class)
                .one();
    }

    @Override
    public boolean isConnectionLost(SQLException failure) {
        // 57P01-57P03: the server terminated the session (pg_terminate_backend, a shutdown or a crash restart).
        String state = failure.getSQLState();
        return super.isConnectionLost(failure) || "57P01".equals(state) || "57P02".equals(state) || "57P03".equals(state);
    }

    @Override
    public boolean isLockTimeout(SQLException failure) {
        // lock_not_available: lock_timeout ran out.
        return "55P03".equals(failure.getSQLState());
    }

    @Override
    public List<String> brokenReferences(Connection connection, SQLException failure) {
        // PostgreSQL aborts the transaction on a failed deferred foreign key, so nothing more can be asked;
        // its message names the tables (SQLSTATE 23503: foreign_key_violation).
        for (SQLException e = failure; e != null; e = e.getNextException()) {
            if ("23503".equals(e.getSQLState())) {
                return List.of(e.getMessage().replace('\n', ' '));
            }
        }
        return List.of();
    }
}
