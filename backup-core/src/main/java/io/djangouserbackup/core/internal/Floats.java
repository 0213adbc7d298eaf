package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import java.math.BigDecimal;

/**
 * Django's {@code FloatField} ({@code real}, {@code double precision}, {@code double}), the one place that decides its
 * document form: the shortest JSON number that reads back as the same double ({@code 0.1}, {@code 1.0E-300}), and
 * the strings {@code "Infinity"}, {@code "-Infinity"} and {@code "NaN"}, for which JSON has no number (as Jackson
 * writes them). PostgreSQL holds all of them; SQLite holds no NaN (it stores NULL) and MySQL no infinity or NaN.
 */
public final class Floats {
    private Floats() {
    }

    /** The document form of a double a database holds. */
    public static Object toDocument(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "Infinity" : "-Infinity";
        }
        return value;
    }

    /** The double to bind for a checked document value. */
    public static Object toDatabase(Object value) {
        if (value instanceof String text) {
            return switch (text) {
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> value;
            };
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.doubleValue();
        }
        if (value instanceof Long number) {
            return number.doubleValue();
        }
        return value;
    }

    /**
     * How a column of doubles holds the value: {@code null} when exactly (a double's own digits at the value's precision,
     * as any shortest form writes them, or a whole number up to 2^53); otherwise it is rounded to the nearest double. A value the engine has no double for is refused.
     */
    static String approximation(Object value, Column column, String table, String place, boolean holdsInfinity, boolean holdsNaN) {
        if (value instanceof String text) {
            if (!(text.equals("NaN") ? holdsNaN : holdsInfinity)) {
                throw new IncompatibleDatabaseException(place + ": " + text + " in the backup, but column " + table + "."
                        + column.name() + " (" + column.declaredType() + ") cannot hold it on this engine; nothing was imported");
            }
            return null;
        }
        BigDecimal exact = Decimals.toBigDecimal(value);
        if (exact == null || value instanceof Double) {
            return null;
        }
        double stored = exact.doubleValue();
        if (Double.isInfinite(stored)) {
            if (!holdsInfinity) {
                throw new IncompatibleDatabaseException(place + ": " + exact.toString() + " is beyond the largest double, and"
                        + " column " + table + "." + column.name() + " (" + column.declaredType() + ") cannot hold infinity on"
                        + " this engine; nothing was imported");
            }
            return "beyond the largest double: stored as infinity, as Django's float() reads it";
        }
        // The double's own digits at the value's precision, whoever wrote them: Python's 5e-324 is Java's 4.9E-324.
        BigDecimal ownDigits = new BigDecimal(stored).round(new java.math.MathContext(exact.precision(),
                java.math.RoundingMode.HALF_EVEN));
        return exact.compareTo(ownDigits) == 0 ? null : "rounded to the nearest double";
    }
}
