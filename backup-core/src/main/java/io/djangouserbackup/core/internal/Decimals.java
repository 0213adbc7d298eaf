package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Django's {@code DecimalField}, the one place that decides its document form and how each engine holds it.
 *
 * <p>The document holds the value digit for digit, never through a double: the shortest exact form, an integer
 * when the value is whole ({@code 100.00} is {@code 100}, {@code 0.70} is {@code 0.7}, and
 * {@code 12345678901234567890.1234567890} is {@code 12345678901234567890.123456789}), with no exponent. Numbers are
 * equal in the document exactly when they are equal in value, whichever engine they come from; a server's
 * {@code numeric(p, s)} restores the trailing zeros from its scale.
 *
 * <p>SQLite holds what Django stores there: the value's text in a column of NUMERIC affinity, which SQLite keeps as
 * an integer when whole and within 64 bits, otherwise as the nearest double. A backup of SQLite holds that double's
 * shortest exact decimal form, so a SQLite backup restores to SQLite exactly; a longer value from a server is stored
 * as Django would store it, with a note.
 */
public final class Decimals {
    private static final Pattern PRECISION = Pattern.compile("(?:numeric|decimal)\\s*\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\).*");
    /** What any engine can hold at most before the point: PostgreSQL's unconstrained numeric. */
    private static final int MOST_INTEGER_DIGITS = 131_072;
    private static final int MOST_FRACTION_DIGITS = 16_383;

    private Decimals() {
    }

    /** The document form of a decimal: a {@code Long} when whole and within 64 bits, else the stripped {@code BigDecimal}. */
    public static Object canonical(BigDecimal value) {
        BigDecimal stripped = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
        if (stripped.scale() < 0) {
            stripped = stripped.setScale(0);
        }
        if (stripped.scale() == 0 && stripped.unscaledValue().bitLength() < 64) {
            return stripped.longValueExact();
        }
        return stripped;
    }

    /** The document form of a double SQLite holds in a decimal column: its shortest exact decimal. */
    public static Object fromDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        return canonical(BigDecimal.valueOf(value));
    }

    /** A document number as a {@code BigDecimal}, or {@code null} when the value is not a number. */
    public static BigDecimal toBigDecimal(Object value) {
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Long number) {
            return BigDecimal.valueOf(number);
        }
        if (value instanceof Double number && !number.isNaN() && !number.isInfinite()) {
            // Double.toString is the shortest text that reads back as this double: 0.7, not 0.6999...
            return new BigDecimal(Double.toString(number));
        }
        return null;
    }

    /** What SQLite keeps for a decimal Django writes: the value itself when it survives, else how it is approximated. */
    static String sqliteApproximation(BigDecimal value, Column column, String table, String place) {
        Object canonical = canonical(value);
        if (canonical instanceof Long) {
            return null;
        }
        double stored = value.doubleValue();
        if (Double.isInfinite(stored)) {
            throw new IncompatibleDatabaseException(place + ": a number too large for column " + table + "." + column.name()
                    + ": SQLite keeps decimals as doubles, which end near 1.8E308; nothing was imported");
        }
        return canonical.equals(fromDouble(stored)) ? null
                : "stored as the nearest double, as Django stores decimals in SQLite (up to about 15 significant digits survive)";
    }

    /**
     * Whether a {@code numeric(p, s)}/{@code decimal(p, s)} column holds the value: refused (naming the column) when it
     * has more digits before the point than the column allows; rounded, with a note, when it has more after it.
     *
     * @return {@code null} when held exactly, else how it is stored
     */
    static String serverApproximation(BigDecimal value, Column column, String table, String place) {
        Object canonical = canonical(value);
        BigDecimal exact = canonical instanceof Long number ? BigDecimal.valueOf(number) : (BigDecimal) canonical;
        int fractionDigits = Math.max(0, exact.scale());
        int integerDigits = integerDigits(exact);
        Matcher declared = PRECISION.matcher(column.declaredType().toLowerCase(Locale.ROOT));
        int mostInteger = MOST_INTEGER_DIGITS;
        int mostFraction = MOST_FRACTION_DIGITS;
        if (declared.matches()) {
            int precision = Integer.parseInt(declared.group(1));
            int scale = declared.group(2) == null ? 0 : Integer.parseInt(declared.group(2));
            mostInteger = precision - scale;
            mostFraction = scale;
        }
        if (fractionDigits > mostFraction) {
            // The server rounds to the column's scale; rounding can carry into one more digit before the point.
            BigDecimal rounded = exact.setScale(mostFraction, java.math.RoundingMode.HALF_UP);
            integerDigits = integerDigits(rounded);
        }
        if (integerDigits > mostInteger) {
            throw new IncompatibleDatabaseException(place + ": a number with " + integerDigits + " digits before the"
                    + " point, but column " + table + "." + column.name() + " (" + column.declaredType() + ") holds at most "
                    + mostInteger + "; nothing was imported");
        }
        return fractionDigits > mostFraction
                ? "rounded to " + mostFraction + " decimal places, the scale of " + column.declaredType() : null;
    }

    /** The digits before the point: none for zero and for 0.5, three for -123.4. */
    private static int integerDigits(BigDecimal value) {
        return value.signum() == 0 ? 0 : Math.max(0, value.precision() - value.scale());
    }
}
