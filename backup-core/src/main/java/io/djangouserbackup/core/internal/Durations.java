package io.djangouserbackup.core.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Django's {@code DurationField}, the one place that decides its document form: integer microseconds, as Django
 * stores it in SQLite and MySQL ({@code bigint}). PostgreSQL's {@code interval} is translated both ways:
 * <ul>
 *   <li>read in the ISO 8601 form PostgreSQL writes with {@code IntervalStyle = iso_8601} (the dialect sets it), e.g.
 *       {@code P1DT-2H-0.000005S}: days and time as they are, months as 30 days and years as 365 days, as psycopg2
 *       (and so Django) reads an interval into a {@code timedelta};</li>
 *   <li>written: {@code 'D days S.ffffff seconds'}, the text psycopg2 sends for Django's {@code timedelta} (days may be
 *       negative, seconds from 0 to 86399.999999), so PostgreSQL keeps the days and the time apart as Django's do.</li>
 * </ul>
 * Microseconds beyond 64 bits (PostgreSQL holds up to about 178 million years) stay exact as a big integer.
 */
public final class Durations {
    private static final long MICROS_PER_SECOND = 1_000_000L;
    private static final long MICROS_PER_DAY = 86_400L * MICROS_PER_SECOND;
    private static final Pattern ISO_8601 = Pattern.compile(
            "P(?:(-?\\d+)Y)?(?:(-?\\d+)M)?(?:(-?\\d+)D)?(?:T(?:(-?\\d+)H)?(?:(-?\\d+)M)?(?:(-?\\d+(?:\\.\\d+)?)S)?)?");

    private Durations() {
    }

    /** An ISO 8601 interval as the document's microseconds: a {@code Long}, or a whole {@code BigDecimal} beyond 64 bits. */
    public static Object fromIso8601(String interval) {
        Matcher m = ISO_8601.matcher(interval);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an ISO 8601 interval: " + interval);
        }
        BigInteger days = part(m.group(1)).multiply(BigInteger.valueOf(365))
                .add(part(m.group(2)).multiply(BigInteger.valueOf(30)))
                .add(part(m.group(3)));
        BigInteger seconds = part(m.group(4)).multiply(BigInteger.valueOf(3_600))
                .add(part(m.group(5)).multiply(BigInteger.valueOf(60)));
        // The seconds carry their own sign and up to six decimals, exact as a BigDecimal.
        BigDecimal fraction = m.group(6) == null ? BigDecimal.ZERO : new BigDecimal(m.group(6));
        BigInteger micros = days.multiply(BigInteger.valueOf(MICROS_PER_DAY))
                .add(seconds.multiply(BigInteger.valueOf(MICROS_PER_SECOND)))
                .add(fraction.movePointRight(6).toBigIntegerExact());
        return micros.bitLength() < 64 ? (Object) micros.longValueExact() : new BigDecimal(micros);
    }

    private static BigInteger part(String digits) {
        return digits == null ? BigInteger.ZERO : new BigInteger(digits);
    }

    /** The interval text psycopg2 sends for {@code timedelta(microseconds=micros)}. */
    public static String toIntervalText(BigInteger micros) {
        BigInteger[] daysAndRest = micros.divideAndRemainder(BigInteger.valueOf(MICROS_PER_DAY));
        BigInteger days = daysAndRest[0];
        long rest = daysAndRest[1].longValueExact();
        if (rest < 0) {
            // Python's timedelta: the time part is never negative, the days carry the sign.
            days = days.subtract(BigInteger.ONE);
            rest += MICROS_PER_DAY;
        }
        return String.format(java.util.Locale.ROOT, "%s days %d.%06d seconds", days, rest / MICROS_PER_SECOND,
                rest % MICROS_PER_SECOND);
    }
}
