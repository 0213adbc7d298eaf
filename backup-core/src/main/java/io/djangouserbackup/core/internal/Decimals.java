package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
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
 * an integer when whole and within 64 bits, otherwise as the nearest double. Django reads either back through its
 * SQLite converter, which keeps 15 significant digits ({@code Context(prec=15).create_decimal_from_float}): a backup
 * of SQLite holds that value, the one Django shows there, so it restores to any engine as Django saw it (and to
 * SQLite as Django sees it again); a longer value from a server is stored as Django would store it, with a note.
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

    /** The significant digits Django's SQLite converter keeps of what SQLite holds in a decimal column. */
    private static final MathContext DJANGO_ON_SQLITE = new MathContext(15, RoundingMode.HALF_EVEN);

    /**
     * The document form of a number SQLite holds in a decimal column (a double, or an integer): the decimal Django
     * reads from it, 15 significant digits of its exact value. Not the double's shortest form: for the double nearest
     * to {@code 12345678901234567890.123456789} that is {@code 12345678901234567000}, while Django there shows
     * {@code 12345678901234600000}, so a server restored from the backup would show another value than the source.
     */
    public static Object fromSqlite(Number value) {
        if (value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            return number;
        }
        BigDecimal exact = value instanceof Double number ? new BigDecimal(number) : BigDecimal.valueOf(value.longValue());
        return canonical(exact.round(DJANGO_ON_SQLITE));
    }

    /** A document number as a {@code BigDecimal}, or {@code null} when the value is not a number. */
    public static BigDecimal toBigDecimal(Object value) {
        return io.djangouserbackup.core.spi.ColumnValues.exactNumber(value);
    }

    /**
     * What Django reads back in SQLite for a decimal stored there: {@code null} when the value itself, else how it is
     * approximated. A whole number within 64 bits is kept as an integer, but Django reads that too to 15 significant
     * digits ({@code 1234567890123456789} shows as {@code 1234567890123460000}), so it is noted as well.
     */
    static String sqliteApproximation(BigDecimal value, Column column, String table, String place) {
        Object canonical = canonical(value);
        Number stored;
        if (canonical instanceof Long number) {
            stored = number;
        } else {
            double nearest = value.doubleValue();
            if (Double.isInfinite(nearest)) {
                throw new IncompatibleDatabaseException(place + ": a number too large for column " + table + "." + column.name()
                        + ": SQLite keeps decimals as doubles, which end near 1.8E308; nothing was imported");
            }
            stored = nearest;
        }
        return toBigDecimal(fromSqlite(stored)).compareTo(value) == 0 ? null
                : "stored as the nearest double, as Django stores decimals in SQLite (up to about 15 significant digits survive)";
    }

    /**
     * Why Django on SQLite could not read back a value of a source column declared {@code numeric(p, s)} or
     * {@code decimal(p, s)}, or {@code null} when it can (or the type says nothing of the field). Django's SQLite
     * converter takes 15 significant digits of what SQLite holds, then quantizes them to the field's {@code s} places
     * in a context of {@code p} digits, which fails (InvalidOperation, for every query that reads the row) when the
     * rounding carried into one more digit than the field has: {@code 99999999999999999999.9999999999} of
     * {@code numeric(30,10)} is held as the double 1E+20, 31 digits at 10 places.
     */
    public static String sqliteUnreadable(Object value, String declaredType) {
        if (!(value instanceof BigDecimal || value instanceof Long) || declaredType == null) {
            return null;
        }
        Matcher declared = PRECISION.matcher(declaredType.toLowerCase(Locale.ROOT));
        if (!declared.matches() || declared.group(2) == null) {
            return null;
        }
        int precision = Integer.parseInt(declared.group(1));
        int scale = Integer.parseInt(declared.group(2));
        BigDecimal exact = toBigDecimal(value);
        Object canonical = canonical(exact);
        double nearest = exact.doubleValue();
        if (!(canonical instanceof Long) && Double.isInfinite(nearest)) {
            return null; // refused by sqliteApproximation, with its own message
        }
        BigDecimal read = toBigDecimal(fromSqlite(canonical instanceof Long number ? number : (Number) nearest));
        BigDecimal quantized = read.setScale(scale, RoundingMode.HALF_EVEN);
        if (quantized.signum() == 0 || quantized.precision() <= precision) {
            return null;
        }
        return "SQLite holds " + exact.toPlainString() + " as " + read.toPlainString() + " (15 significant digits, as"
                + " Django reads decimals there), which has more digits than the field's " + declaredType
                + ", so Django there could not read the row";
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
