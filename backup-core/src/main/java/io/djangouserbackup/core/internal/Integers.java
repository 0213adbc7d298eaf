package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

/**
 * Django's integer fields, the one place that decides their document form and range: a JSON integer, a
 * {@code Long} in Java, or a whole {@code BigDecimal} beyond 64 bits (MySQL's {@code bigint unsigned}). A server's
 * column holds the range its declared type says; SQLite's integer columns hold any 64-bit integer, whatever their
 * declared type, as Django stores them there.
 */
public final class Integers {
    private static final BigInteger BIGINT_UNSIGNED_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Integers() {
    }

    /** A checked document integer as a {@code BigInteger}. */
    public static BigInteger toBigInteger(Object value) {
        return value instanceof Long number ? BigInteger.valueOf(number) : ((BigDecimal) value).toBigIntegerExact();
    }

    /** The value to bind: a {@code Long} when it fits, else the whole {@code BigDecimal}. */
    public static Object toDatabase(Object value) {
        if (value instanceof BigDecimal decimal) {
            BigInteger whole = decimal.toBigIntegerExact();
            return whole.bitLength() < 64 ? (Object) whole.longValueExact() : new BigDecimal(whole);
        }
        return value;
    }

    /** The document form of an unsigned 64-bit value read as a {@code BigDecimal}. */
    public static Object toDocument(BigDecimal value) {
        return value == null ? null : Decimals.canonical(value);
    }

    /** Refuses an integer beyond the column's range, naming the column; {@code serverRanges} false means 64 bits. */
    static void checkRange(Object value, Column column, String table, String place, boolean serverRanges) {
        if (value instanceof Long number && !serverRanges) {
            return;
        }
        BigInteger integer = toBigInteger(value);
        BigInteger[] range = serverRanges ? range(column.declaredType()) : range("bigint");
        if (integer.compareTo(range[0]) < 0 || integer.compareTo(range[1]) > 0) {
            throw new IncompatibleDatabaseException(place + ": " + integer.bitLength() + "-bit integer, beyond the range of column "
                    + table + "." + column.name() + " (" + column.declaredType() + ", " + range[0] + " to " + range[1]
                    + "); nothing was imported");
        }
    }

    /** The range of an integer type as PostgreSQL ({@code format_type}) and MySQL ({@code COLUMN_TYPE}) name it. */
    static BigInteger[] range(String declaredType) {
        String declared = declaredType.toLowerCase(Locale.ROOT);
        boolean unsigned = declared.contains("unsigned");
        int bits;
        if (declared.startsWith("tinyint")) {
            bits = 8;
        } else if (declared.startsWith("smallint")) {
            bits = 16;
        } else if (declared.startsWith("mediumint")) {
            bits = 24;
        } else if (declared.startsWith("bigint")) {
            bits = 64;
        } else if (declared.startsWith("int")) {
            bits = 32;
        } else {
            bits = 64;
        }
        if (unsigned) {
            return new BigInteger[] {BigInteger.ZERO, bits == 64 ? BIGINT_UNSIGNED_MAX : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)};
        }
        return new BigInteger[] {BigInteger.ONE.shiftLeft(bits - 1).negate(), BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)};
    }
}
