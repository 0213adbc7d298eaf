package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** Integers and floats: ranges and the values JSON has no number for. */
class NumbersTest {

    private static Column column(String declared, ColumnType type) {
        return new Column("n", declared, type, null, false, false, false);
    }

    @Test
    void serverIntegerColumnsHoldTheirDeclaredRange() {
        assertThat(Integers.range("smallint")).containsExactly(BigInteger.valueOf(-32768), BigInteger.valueOf(32767));
        assertThat(Integers.range("int(11)")).containsExactly(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
        assertThat(Integers.range("integer")).containsExactly(BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE));
        assertThat(Integers.range("bigint(20) unsigned")).containsExactly(BigInteger.ZERO, new BigInteger("18446744073709551615"));
        assertThat(Integers.range("tinyint(4)")).containsExactly(BigInteger.valueOf(-128), BigInteger.valueOf(127));
        Integers.checkRange(32767L, column("smallint", ColumnType.INTEGER), "t", "p", true);
        assertThatThrownBy(() -> Integers.checkRange(32768L, column("smallint", ColumnType.INTEGER), "t", "users[1].n", true))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageStartingWith("users[1].n: 16-bit integer, beyond the range of column t.n (smallint, -32768 to 32767)");
        Integers.checkRange(new BigDecimal("18446744073709551615"), column("bigint(20) unsigned", ColumnType.INTEGER), "t", "p", true);
    }

    @Test
    void sqliteIntegersAre64BitsWhateverTheirDeclaredType() {
        Integers.checkRange(Long.MIN_VALUE, column("smallint", ColumnType.INTEGER), "t", "p", false);
        assertThatThrownBy(() -> Integers.checkRange(new BigDecimal("9223372036854775808"), column("bigint", ColumnType.INTEGER), "t", "p", false))
                .isInstanceOf(IncompatibleDatabaseException.class);
    }

    @Test
    void floatsKeepTheirShortestFormAndNameWhatJsonHasNoNumberFor() {
        assertThat(Floats.toDocument(0.1)).isEqualTo(0.1);
        assertThat(Floats.toDocument(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
        assertThat(Floats.toDocument(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
        assertThat(Floats.toDocument(Double.NaN)).isEqualTo("NaN");
        assertThat(Floats.toDatabase("-Infinity")).isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat(Floats.toDatabase(new BigDecimal("4.9E-324"))).isEqualTo(Double.MIN_VALUE);
        assertThat(Floats.toDatabase(new BigDecimal("1.7976931348623157E308"))).isEqualTo(Double.MAX_VALUE);
    }

    @Test
    void anEngineWithoutInfinityOrNaNRefusesThemByColumn() {
        Column real = column("double", ColumnType.REAL);
        assertThat(Floats.approximation("Infinity", real, "t", "p", true, true)).isNull();
        assertThatThrownBy(() -> Floats.approximation("Infinity", real, "t", "users[0].n", false, false))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[0].n: Infinity in the backup, but column t.n (double) cannot hold it on this engine; nothing was imported");
        assertThatThrownBy(() -> Floats.approximation("NaN", real, "t", "p", true, false))
                .isInstanceOf(IncompatibleDatabaseException.class);
        assertThat(Floats.approximation(new BigDecimal("0.1"), real, "t", "p", true, true)).isNull();
        assertThat(Floats.approximation(new BigDecimal("0.10000000000000000000001"), real, "t", "p", true, true))
                .isEqualTo("rounded to the nearest double");
    }
}
