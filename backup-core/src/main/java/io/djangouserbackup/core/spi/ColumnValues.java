package io.djangouserbackup.core.spi;

import io.djangouserbackup.core.InvalidBackupException;
import io.djangouserbackup.model.Row;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a JSON value from a backup against the column it goes into, the same way for every engine, so that a
 * value the target would truncate, reject or misread is refused before anything is written.
 */
public final class ColumnValues {

    // What Django's parse_datetime, parse_date and parse_time accept.
    private static final Pattern DATETIME = Pattern.compile(
            "\\d{4}-\\d{1,2}-\\d{1,2}[T ]\\d{1,2}:\\d{1,2}(:\\d{1,2}(\\.\\d{1,6})?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{1,2}-\\d{1,2}");
    private static final Pattern TIME = Pattern.compile("\\d{1,2}:\\d{1,2}(:\\d{1,2}(\\.\\d{1,6})?)?");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    private ColumnValues() {
    }

    /**
     * Refuses a value that does not fit the column.
     *
     * @param place where the value stands in the document, e.g. {@code users[17].username}
     * @throws InvalidBackupException naming the place and the column
     */
    public static void check(Object value, Column column, String table, String place) {
        check(value, column, table, place, null);
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
            case INTEGER -> require(value instanceof Long, place, "expected an integer", value);
            case REAL, DECIMAL -> require(value instanceof Long || value instanceof Double, place, "expected a number", value);
            case TEXT -> {
                require(value instanceof String, place, "expected a string", value);
                int length = ((String) value).codePointCount(0, ((String) value).length());
                if (column.maxLength() != null && length > column.maxLength()) {
                    throw new InvalidBackupException(place, length + " characters, longer than column " + where
                            + " (" + column.declaredType() + ") allows");
                }
            }
            case DATETIME -> requireText(value, DATETIME, place, "expected a date and time like 2022-05-19 22:34:19.600861");
            case DATE -> requireText(value, DATE, place, "expected a date like 2022-05-19");
            case TIME -> requireText(value, TIME, place, "expected a time like 22:34:19.600861");
            case BLOB -> requireText(value, BASE64, place, "expected base64 text");
            case OTHER -> {
                // Any scalar is stored as it is.
            }
        }
    }

    /** The common cases, decided without building any message. */
    private static boolean isFine(Object value, Column column) {
        if (value == null) {
            return !column.notNull();
        }
        return switch (column.type()) {
            case BOOLEAN -> value instanceof Boolean;
            case INTEGER -> value instanceof Long;
            case REAL, DECIMAL -> value instanceof Long || value instanceof Double;
            case TEXT -> value instanceof String text && (column.maxLength() == null
                    || text.length() <= column.maxLength()
                    || text.codePointCount(0, text.length()) <= column.maxLength());
            case DATETIME -> value instanceof String text && DATETIME.matcher(text).matches();
            case DATE -> value instanceof String text && DATE.matcher(text).matches();
            case TIME -> value instanceof String text && TIME.matcher(text).matches();
            case BLOB -> value instanceof String text && BASE64.matcher(text).matches();
            case OTHER -> !(value instanceof Row || value instanceof List);
        };
    }

    /** The JSON name of a value's type, for messages: {@code string}, {@code integer}, {@code object}, .... */
    public static String jsonType(Object value) {
        if (value == null) {
            return "null";
        } else if (value instanceof Boolean) {
            return "boolean";
        } else if (value instanceof Long) {
            return "integer";
        } else if (value instanceof Double) {
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

    private static void requireText(Object value, Pattern pattern, String place, String expectation) {
        require(value instanceof String, place, expectation, value);
        if (!pattern.matcher((String) value).matches()) {
            throw new InvalidBackupException(place, expectation + ", got a string that is not");
        }
    }
}
