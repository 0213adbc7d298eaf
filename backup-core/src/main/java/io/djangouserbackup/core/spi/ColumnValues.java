package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a JSON value from a backup against the column it goes into, the same way for every engine, so that a
 * value the target would truncate, reject or misread is refused before anything is written. What only one engine
 * cannot hold (a decimal wider than its column, a PostgreSQL array in SQLite) is the dialect's to say
 * ({@link Dialect#approximation}); {@link #check(Object, Column, String, String, String, MapperContext)} asks both.
 *
 * <p>The value forms, one per kind of column, for every engine: integers and durations (microseconds) are JSON
 * integers; decimals are JSON numbers digit for digit; floating-point values are JSON numbers, or the strings
 * {@code "Infinity"}, {@code "-Infinity"} and {@code "NaN"}; datetimes, dates and times are Django's SQLite texts
 * ({@code 2022-05-19 22:34:19.600861}); binary data is base64.
 */
public final class ColumnValues {

    // What Django's parse_datetime, parse_date and parse_time accept.
    private static final Pattern DATETIME = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.\\d{1,6})?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");
    private static final Pattern TIME = Pattern.compile("(\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.\\d{1,6})?)?");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");
    /** The floating-point values JSON has no number for, as Jackson and Python's json module spell them. */
    private static final List<String> NOT_FINITE = List.of("Infinity", "-Infinity", "NaN");

    private ColumnValues() {
    }

    /**
     * Refuses a value that does not fit the column.
     *
     * @param place where the value stands in the document, e.g. {@code users[17].username}
     * @throws InvalidBackupException naming the place and the column
     */
    public static void check(Object value, Column column, String table, String place) {
        check(value, column, table, place, (String) null);
    }

    /**
     * The same check, with the place given as the row's place and the field, joined only when there is a problem
     * (a large import checks millions of values).
     */
    public static void check(Object value, Column column, String table, String rowPlace, String field) {
        if (isFine(value, column)) {
            return;
        }
        String place = field == null ? rowPlace : rowPlace + "." + field;
        String where = table + "." + column.name();
        if (value == null) {
            if (column.notNull()) {
                throw new InvalidBackupException(place, "null, but column " + where + " is NOT NULL");
            }
            return;
        }
        if (value instanceof Row || value instanceof List) {
            throw new InvalidBackupException(place, "expected a single value for column " + where + ", got " + jsonType(value));
        }
        switch (column.type()) {
            case BOOLEAN -> require(value instanceof Boolean, place, "expected true or false", value);
            case INTEGER, DURATION -> require(isInteger(value), place, "expected an integer", value);
            case DECIMAL -> require(isNumber(value), place, "expected a number", value);
            case REAL -> {
                require(isNumber(value) || NOT_FINITE.contains(value), place,
                        "expected a number (or \"Infinity\", \"-Infinity\", \"NaN\")", value);
                // A number that is not fine here is one no double reaches.
                throw new InvalidBackupException(place, "number " + value + " is beyond the range of a floating-point column");
            }
            case TEXT -> {
                require(value instanceof String, place, "expected a string", value);
                int length = ((String) value).codePointCount(0, ((String) value).length());
                if (column.maxLength() != null && length > column.maxLength()) {
                    throw new InvalidBackupException(place, length + " characters, longer than column " + where
                            + " (" + column.declaredType() + ") allows");
                }
            }
            case DATETIME -> requireCalendar(value, DATETIME, place, "expected a date and time like 2022-05-19 22:34:19.600861");
            case DATE -> requireCalendar(value, DATE, place, "expected a date like 2022-05-19");
            case TIME -> requireCalendar(value, TIME, place, "expected a time like 22:34:19.600861");
            case BLOB -> require(value instanceof String text && BASE64.matcher(text).matches(), place, "expected base64 text", value);
            case OTHER -> {
                // Any scalar is stored as it is.
            }
        }
    }

    /**
     * The whole check of a value on its way into the target: {@link #check(Object, Column, String, String, String)},
     * then whether the target's engine can hold it ({@link Dialect#approximation}). A value the engine stores as
     * Django would but not exactly (a wide decimal in SQLite) is counted for the run's notes
     * ({@link MapperContext#approximated}); one it cannot hold is refused, naming the column.
     */
    public static void check(Object value, Column column, String table, String rowPlace, String field, MapperContext context) {
        check(value, column, table, rowPlace, field);
        if (value == null || context.handle().isEmpty()) {
            return;
        }
        String how = context.dialect().approximation(value, column, table, field == null ? rowPlace : rowPlace + "." + field);
        if (how != null) {
            context.approximated(table, column.name(), how);
        }
    }

    /** The common cases, decided without building any message. */
    private static boolean isFine(Object value, Column column) {
        if (value == null) {
            return !column.notNull();
        }
        return switch (column.type()) {
            case BOOLEAN -> value instanceof Boolean;
            case INTEGER, DURATION -> value instanceof Long || isInteger(value);
            case DECIMAL -> isNumber(value);
            case REAL -> value instanceof Double || value instanceof Long
                    || value instanceof BigDecimal decimal && !Double.isInfinite(decimal.doubleValue())
                    || NOT_FINITE.contains(value);
            case TEXT -> value instanceof String text && (column.maxLength() == null
                    || text.length() <= column.maxLength()
                    || text.codePointCount(0, text.length()) <= column.maxLength());
            case DATETIME -> value instanceof String text && (isPlainDatetime(text) || isCalendar(DATETIME.matcher(text)));
            case DATE -> value instanceof String text && (isPlainDate(text) || isCalendar(DATE.matcher(text)));
            case TIME -> value instanceof String text && isCalendar(TIME.matcher(text));
            case BLOB -> value instanceof String text && BASE64.matcher(text).matches();
            case OTHER -> !(value instanceof Row || value instanceof List);
        };
    }

    /** A JSON integer: a {@code Long}, or a {@code BigDecimal} without a fraction (one beyond 64 bits). */
    private static boolean isInteger(Object value) {
        return value instanceof Long || value instanceof BigDecimal decimal && decimal.scale() <= 0;
    }

    private static boolean isNumber(Object value) {
        return value instanceof Long || value instanceof BigDecimal
                || value instanceof Double number && !number.isNaN() && !number.isInfinite();
    }

    /**
     * Whether two values of the same column are the same value: numbers by value, whatever their Java type
     * ({@code 7}, {@code 7.0} and {@code 7.00} are one decimal; a double is compared by its shortest decimal text),
     * everything else by {@link Objects#equals}.
     */
    public static boolean sameValue(Object a, Object b) {
        if (a instanceof Double x && b instanceof Double y) {
            return x.equals(y);
        }
        BigDecimal x = exactNumber(a);
        BigDecimal y = exactNumber(b);
        if (x != null && y != null) {
            return x.compareTo(y) == 0;
        }
        return Objects.equals(a, b);
    }

    /**
     * A document number as the exact {@code BigDecimal} it stands for ({@code 7}, {@code 0.70}; a double by its
     * shortest text, {@code 0.7} not {@code 0.6999...}), or {@code null} when the value is not a finite number.
     */
    public static BigDecimal exactNumber(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        if (value instanceof Double number && !number.isNaN() && !number.isInfinite()) {
            return new BigDecimal(Double.toString(number));
        }
        return null;
    }

    /** The JSON name of a value's type, for messages: {@code string}, {@code integer}, {@code object}, .... */
    public static String jsonType(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Long || value instanceof BigDecimal decimal && decimal.scale() <= 0) {
            return "integer";
        } else if (value instanceof Double || value instanceof BigDecimal) {
            return "number";
        } else if (value instanceof String) {
            return "string";
        } else if (value instanceof List) {
            return "array";
        }
        return "object";
    }

    private static void require(boolean ok, String place, String expectation, Object value) {
        if (!ok) {
            throw new InvalidBackupException(place, expectation + ", got " + jsonType(value));
        }
    }

    /** A date, time or datetime text that Django parses and that names a real moment (no February 30). */
    private static void requireCalendar(Object value, Pattern pattern, String place, String expectation) {
        require(value instanceof String, place, expectation, value);
        Matcher m = pattern.matcher((String) value);
        if (!m.matches()) {
            throw new InvalidBackupException(place, expectation + ", got a string that is not");
        }
        if (!isCalendar(m)) {
            throw new InvalidBackupException(place, expectation + ", got one that is not on the calendar or the clock");
        }
    }

    private static boolean isCalendar(Matcher m) {
        if (!m.matches()) {
            return false;
        }
        try {
            if (m.pattern() == TIME) {
                LocalTime.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), seconds(m.group(3)));
                return true;
            }
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (m.pattern() == DATETIME) {
                LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)), seconds(m.group(6)));
            }
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * Whether the text is a datetime in the form every export writes ({@code 2022-05-19 22:34:19} or with
     * {@code .600861}, a space or {@code T} between, no zone) and on the calendar and the clock. Only a shortcut for
     * the common case, read without a regular expression (a million users carry two datetimes each): false says
     * nothing, and the regular expression decides.
     */
    static boolean isPlainDatetime(String text) {
        int length = text.length();
        if (length != 19 && (length < 21 || length > 26)) {
            return false;
        }
        if (text.charAt(10) != ' ' && text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return false;
        }
        if (length > 19) {
            if (text.charAt(19) != '.') {
                return false;
            }
            for (int i = 20; i < length; i++) {
                if (digit(text, i) < 0) {
                    return false;
                }
            }
        }
        int hour = twoDigits(text, 11);
        int minute = twoDigits(text, 14);
        int second = twoDigits(text, 17);
        return isPlainDate(text, 0) && hour >= 0 && hour <= 23 && minute >= 0 && minute <= 59 && second >= 0 && second <= 59;
    }

    /** {@link #isPlainDatetime} for a date: {@code 2022-05-19}, on the calendar. */
    static boolean isPlainDate(String text) {
        return text.length() == 10 && isPlainDate(text, 0);
    }

    /** Whether {@code yyyy-mm-dd} stands at {@code at} (ASCII digits, as the patterns' {@code \d}) and is a real day. */
    private static boolean isPlainDate(String text, int at) {
        if (text.charAt(at + 4) != '-' || text.charAt(at + 7) != '-') {
            return false;
        }
        int century = twoDigits(text, at);
        int yearOfCentury = twoDigits(text, at + 2);
        int month = twoDigits(text, at + 5);
        int day = twoDigits(text, at + 8);
        if (century < 0 || yearOfCentury < 0 || month < 1 || month > 12 || day < 1) {
            return false;
        }
        int year = century * 100 + yearOfCentury;
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        int days = switch (month) {
            case 2 -> leap ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
        return day <= days;
    }

    /** The two ASCII digits at {@code at} as a number, or -1. */
    private static int twoDigits(String text, int at) {
        int tens = digit(text, at);
        int ones = digit(text, at + 1);
        return tens < 0 || ones < 0 ? -1 : tens * 10 + ones;
    }

    private static int digit(String text, int at) {
        char c = text.charAt(at);
        return c >= '0' && c <= '9' ? c - '0' : -1;
    }

    private static int seconds(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }
}
