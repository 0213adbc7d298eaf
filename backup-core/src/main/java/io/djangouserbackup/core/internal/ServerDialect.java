package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.Dialect;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the database servers (PostgreSQL, MySQL/MariaDB) share: typed columns whose values are translated to and
 * from the document's canonical forms, the forms Django stores in SQLite, so that a backup taken from any engine
 * is the same document:
 * <ul>
 *   <li>a datetime is the naive UTC text {@code 2022-05-19 22:34:19.600861} (no fraction when the microseconds
 *       are zero), as Django with {@code USE_TZ} writes it to SQLite;</li>
 *   <li>a date is {@code 2022-05-19}, a time {@code 22:34:19[.ffffff]};</li>
 *   <li>a boolean is {@code true}/{@code false};</li>
 *   <li>a decimal is its exact digits ({@link Decimals}): {@code 0.70} → {@code 0.7} → {@code 0.70}, the column's
 *       scale restoring the trailing zeros;</li>
 *   <li>a duration is integer microseconds ({@link Durations}), a float the shortest exact number ({@link Floats}),
 *       an integer a JSON integer of the column's range ({@link Integers});</li>
 *   <li>binary data is base64, as SQLite's blobs are.</li>
 * </ul>
 * A subclass reads the schema and adds what only its engine has (PostgreSQL's {@code timestamptz} and
 * {@code uuid}, MySQL's {@code tinyint(1)} booleans).
 */
public abstract class ServerDialect implements Dialect {

    private static final Pattern DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?\\s*(Z|[+-]\\d{2}(?::?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6}))?)?");

    /** How long a statement waits for another transaction's lock. */
    protected final Duration lockTimeout;

    ServerDialect(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    /** The same dialect with another lock timeout. */
    public abstract ServerDialect withLockTimeout(Duration timeout);

    /**
     * The driver's connection properties besides user and password: a bounded connect timeout and whatever the
     * engine's driver needs to read and write Django's values as they are.
     */
    public abstract Properties connectionProperties();

    /**
     * The JDBC URL to hand the driver for a URL this dialect was chosen for (the same unless the driver spells its
     * scheme otherwise).
     */
    public String driverUrl(String url) {
        return url;
    }

    /**
     * The environment variable the engine's own command-line client reads a password from ({@code PGPASSWORD},
     * {@code MYSQL_PWD}), which this library honours too.
     */
    public abstract String passwordVariable();

    /** Quotes a checked identifier with the engine's quote character. */
    final String quoteWith(char quote, String identifier) {
        return quote + SqliteDialect.checkIdentifier(identifier) + quote;
    }

    @Override
    public Object read(ResultSet resultSet, int index, Column column) throws SQLException {
        switch (column.type()) {
            case DATETIME -> {
                return readDateTime(resultSet, index, column);
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
                return readBoolean(resultSet, index);
            }
            case INTEGER -> {
                if (column.declaredType().toLowerCase(Locale.ROOT).contains("unsigned")) {
                    // An unsigned bigint reaches past a long.
                    return Integers.toDocument(resultSet.getBigDecimal(index));
                }
                long value = resultSet.getLong(index);
                return resultSet.wasNull() ? null : value;
            }
            case REAL -> {
                double value = resultSet.getDouble(index);
                return resultSet.wasNull() ? null : Floats.toDocument(value);
            }
            case DECIMAL -> {
                BigDecimal value = resultSet.getBigDecimal(index);
                return value == null ? null : Decimals.canonical(value);
            }
            case DURATION -> {
                String value = resultSet.getString(index);
                return value == null ? null : Durations.fromIso8601(value);
            }
            case BLOB -> {
                byte[] value = resultSet.getBytes(index);
                return value == null ? null : Base64.getEncoder().encodeToString(value);
            }
            case TEXT -> {
                return resultSet.getString(index);
            }
            default -> {
                return readOther(resultSet, index, column);
            }
        }
    }

    /** A datetime column as naive UTC text; the default reads a column without a time zone as it is. */
    Object readDateTime(ResultSet resultSet, int index, Column column) throws SQLException {
        LocalDateTime value = resultSet.getObject(index, LocalDateTime.class);
        return value == null ? null : formatDateTime(value);
    }

    /** A boolean column; the default for a native boolean type. */
    Object readBoolean(ResultSet resultSet, int index) throws SQLException {
        boolean value = resultSet.getBoolean(index);
        return resultSet.wasNull() ? null : value;
    }

    /** A column of a type this library does not know: the JSON value closest to what the driver returns. */
    Object readOther(ResultSet resultSet, int index, Column column) throws SQLException {
        Object value = resultSet.getObject(index);
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return Decimals.canonical(decimal);
        }
        if (value instanceof java.math.BigInteger integer) {
            return Decimals.canonical(new BigDecimal(integer));
        }
        if (value instanceof Double || value instanceof Float) {
            return Floats.toDocument(((Number) value).doubleValue());
        }
        if (value instanceof Number number) {
            return number.longValue();
        }
        if (value instanceof Boolean) {
            return value;
        }
        if (value instanceof byte[] bytes) {
            return Base64.getEncoder().encodeToString(bytes);
        }
        return value.toString();
    }

    @Override
    public Object toDatabase(Object jsonValue, Column column) {
        if (jsonValue == null) {
            return null;
        }
        switch (column.type()) {
            case DATETIME -> {
                if (jsonValue instanceof String text) {
                    return dateTimeToDatabase(parseDateTime(text), column);
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
                if (jsonValue instanceof String text && TIME.matcher(text).matches()) {
                    return parseTime(text);
                }
            }
            case DECIMAL -> {
                BigDecimal exact = Decimals.toBigDecimal(jsonValue);
                if (exact != null) {
                    return exact;
                }
            }
            case REAL -> {
                return Floats.toDatabase(jsonValue);
            }
            case INTEGER -> {
                return Integers.toDatabase(jsonValue);
            }
            case DURATION -> {
                return Durations.toIntervalText(Integers.toBigInteger(jsonValue));
            }
            case BLOB -> {
                if (jsonValue instanceof String text) {
                    return Base64.getDecoder().decode(text);
                }
            }
            case OTHER -> {
                return otherToDatabase(jsonValue, column);
            }
            default -> {
            }
        }
        return jsonValue;
    }

    /** The value to bind for a datetime column; the default is the naive UTC datetime Django stores. */
    Object dateTimeToDatabase(OffsetDateTime instant, Column column) {
        return instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** The value to bind for a column of a type this library does not know; the default binds it as it is. */
    Object otherToDatabase(Object jsonValue, Column column) {
        return jsonValue;
    }

    @Override
    public String approximation(Object jsonValue, Column column, String table, String place) {
        switch (column.type()) {
            case DECIMAL -> {
                BigDecimal exact = Decimals.toBigDecimal(jsonValue);
                return exact == null ? null : Decimals.serverApproximation(exact, column, table, place);
            }
            case REAL -> {
                return Floats.approximation(jsonValue, column, table, place, holdsInfinity(), holdsInfinity());
            }
            case INTEGER -> {
                Integers.checkRange(jsonValue, column, table, place, true);
                return null;
            }
            default -> {
                return approximationOfOther(jsonValue, column, table, place);
            }
        }
    }

    /** Whether the engine's doubles hold infinities and NaN (PostgreSQL's do, MySQL's do not). */
    abstract boolean holdsInfinity();

    /** What only this engine cannot hold, for the other kinds of column; the default holds everything exactly. */
    String approximationOfOther(Object jsonValue, Column column, String table, String place) {
        return null;
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

    /** Django's {@code parse_time} of a checked time text ({@code 22:34:19.600861}, {@code 9:05}). */
    static LocalTime parseTime(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a time: " + text);
        }
        return LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), nanos(m.group(4)));
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
}
