package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import io.djangouserbackup.core.spi.Dialect;
import io.djangouserbackup.core.spi.ForeignKey;
import io.djangouserbackup.core.spi.Table;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * PostgreSQL as Django uses it, translated to and from the document's canonical forms, which are the forms
 * Django stores in SQLite, so that a backup taken from either engine is the same document:
 * <ul>
 *   <li>{@code timestamp with time zone} is the UTC text {@code 2022-05-19 22:34:19.600861} (no fraction when
 *       the microseconds are zero), as Django with {@code USE_TZ} writes it to SQLite; written back as that
 *       instant;</li>
 *   <li>{@code date} is {@code 2022-05-19}, {@code time} is {@code 22:34:19[.ffffff]};</li>
 *   <li>{@code boolean} is {@code true}/{@code false};</li>
 *   <li>{@code numeric} is the JSON number SQLite would hold for the value Django writes: an integer when the
 *       value is whole (and fits 64 bits), otherwise the nearest double. Django-written decimals with up to 15
 *       significant digits travel exactly both ways (back in PostgreSQL they are rounded to the column's scale,
 *       which restores trailing zeros: {@code 0.70} → {@code 0.7} → {@code 0.70}); longer ones are rounded
 *       exactly as SQLite would round them;</li>
 *   <li>{@code uuid} is 32 lower-case hex digits without dashes, Django's {@code char(32)} form on SQLite;</li>
 *   <li>{@code bytea} is base64, as SQLite's blobs are.</li>
 * </ul>
 * Sequences are moved past the highest id after an import, so Django's next insert does not collide.
 */
public final class PostgresDialect implements Dialect {

    private static final Pattern DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?");
    private static final BigDecimal LONG_MIN = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigDecimal LONG_MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private final Duration lockTimeout;

    /** A dialect that waits at most {@code lockTimeout} for another transaction's lock. */
    public PostgresDialect(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public String quote(String identifier) {
        return "\"" + SqliteDialect.checkIdentifier(identifier) + "\"";
    }

    @Override
    public void configure(Handle handle) {
        // Django's session time zone; the values read do not depend on it (instants are turned to UTC here),
        // but messages and server-side casts then agree with Django.
        handle.execute("SET TIME ZONE 'UTC'");
        handle.execute("SET lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
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
        ColumnType kind = switch (declared) {
            case "timestamp with time zone", "timestamp without time zone" -> ColumnType.DATETIME;
            case "time without time zone" -> ColumnType.TIME;
            case "date" -> ColumnType.DATE;
            case "bytea" -> ColumnType.BLOB;
            case "integer", "bigint", "smallint" -> ColumnType.INTEGER;
            case "boolean" -> ColumnType.BOOLEAN;
            case "real", "double precision" -> ColumnType.REAL;
            case "text" -> ColumnType.TEXT;
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
    public Object read(ResultSet resultSet, int index, Column column) throws SQLException {
        switch (column.type()) {
            case DATETIME -> {
                if (column.declaredType().toLowerCase(Locale.ROOT).endsWith("with time zone")) {
                    OffsetDateTime value = resultSet.getObject(index, OffsetDateTime.class);
                    return value == null ? null : formatDateTime(value.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime());
                }
                LocalDateTime value = resultSet.getObject(index, LocalDateTime.class);
                return value == null ? null : formatDateTime(value);
            }
            case DATE -> {
                LocalDate value = resultSet.getObject(index, LocalDate.class);
                return value == null ? null : value.toString();
            }
            case TIME -> {
                LocalTime value = resultSet.getObject(index, LocalTime.class);
                return value == null ? null : formatTime(value);
            }
            case BOOLEAN -> {
                boolean value = resultSet.getBoolean(index);
                return resultSet.wasNull() ? null : value;
            }
            case INTEGER -> {
                long value = resultSet.getLong(index);
                return resultSet.wasNull() ? null : value;
            }
            case REAL -> {
                double value = resultSet.getDouble(index);
                return resultSet.wasNull() ? null : value;
            }
            case DECIMAL -> {
                BigDecimal value = resultSet.getBigDecimal(index);
                return value == null ? null : decimalToJson(value);
            }
            case BLOB -> {
                byte[] value = resultSet.getBytes(index);
                return value == null ? null : Base64.getEncoder().encodeToString(value);
            }
            default -> {
                Object value = resultSet.getObject(index);
                if (value == null) {
                    return null;
                }
                if (value instanceof UUID uuid) {
                    return uuid.toString().replace("-", "");
                }
                if (value instanceof Number number && !(value instanceof BigDecimal)) {
                    return value instanceof Double || value instanceof Float ? number.doubleValue() : number.longValue();
                }
                if (value instanceof BigDecimal decimal) {
                    return decimalToJson(decimal);
                }
                if (value instanceof Boolean) {
                    return value;
                }
                return value.toString();
            }
        }
    }

    /** What SQLite holds for a decimal Django wrote: an integer when whole and in range, else a double. */
    static Object decimalToJson(BigDecimal value) {
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() <= 0 && stripped.compareTo(LONG_MIN) >= 0 && stripped.compareTo(LONG_MAX) <= 0) {
            return stripped.longValueExact();
        }
        return value.doubleValue();
    }

    /** Django's SQLite form of a naive UTC datetime: {@code str(datetime)}. */
    static String formatDateTime(LocalDateTime value) {
        return value.toLocalDate() + " " + formatTime(value.toLocalTime());
    }

    /** Python's {@code str(time)}: microseconds only when not zero. */
    static String formatTime(LocalTime value) {
        String text = String.format(Locale.ROOT, "%02d:%02d:%02d", value.getHour(), value.getMinute(), value.getSecond());
        int micros = value.getNano() / 1000;
        return micros == 0 ? text : text + String.format(Locale.ROOT, ".%06d", micros);
    }

    @Override
    public Object toDatabase(Object jsonValue, Column column) {
        if (jsonValue == null) {
            return null;
        }
        switch (column.type()) {
            case DATETIME -> {
                if (jsonValue instanceof String text) {
                    OffsetDateTime instant = parseDateTime(text);
                    return column.declaredType().toLowerCase(Locale.ROOT).endsWith("with time zone")
                            ? instant : instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
                }
            }
            case DATE -> {
                if (jsonValue instanceof String text) {
                    Matcher m = DATE.matcher(text);
                    if (m.matches()) {
                        return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
                    }
                }
            }
            case TIME -> {
                if (jsonValue instanceof String text) {
                    Matcher m = TIME.matcher(text);
                    if (m.matches()) {
                        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), nanos(m.group(4)));
                    }
                }
            }
            case DECIMAL -> {
                if (jsonValue instanceof Long number) {
                    return BigDecimal.valueOf(number);
                }
                if (jsonValue instanceof Double number) {
                    // Double.toString is the shortest text that reads back as this double: 0.7, not 0.6999...
                    return new BigDecimal(Double.toString(number));
                }
            }
            case BLOB -> {
                if (jsonValue instanceof String text) {
                    return Base64.getDecoder().decode(text);
                }
            }
            case OTHER -> {
                if (jsonValue instanceof String text && column.declaredType().equalsIgnoreCase("uuid")) {
                    return uuid(text);
                }
            }
            default -> {
            }
        }
        return jsonValue;
    }

    private static UUID uuid(String text) {
        String hex = text.replace("-", "");
        if (hex.length() != 32) {
            throw new IllegalArgumentException("not a UUID: " + text);
        }
        return new UUID(new BigInteger(hex.substring(0, 16), 16).longValue(), new BigInteger(hex.substring(16), 16).longValue());
    }

    /** Django's {@code parse_datetime}: a value without an offset is UTC (Django with {@code USE_TZ} stores UTC). */
    static OffsetDateTime parseDateTime(String text) {
        Matcher m = DATETIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a date and time: " + text);
        }
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                m.group(6) == null ? 0 : Integer.parseInt(m.group(6)), nanos(m.group(7)));
        String zone = m.group(8);
        ZoneOffset offset = zone == null || zone.equals("Z") ? ZoneOffset.UTC
                : ZoneOffset.of(zone.length() == 3 ? zone + ":00" : zone.length() == 5 ? zone.substring(0, 3) + ":" + zone.substring(3) : zone);
        return local.atOffset(offset);
    }

    private static int nanos(String fraction) {
        if (fraction == null) {
            return 0;
        }
        return Integer.parseInt((fraction + "000000").substring(0, 6)) * 1000;
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
