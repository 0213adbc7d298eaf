package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A float written in another program's shortest form (Python's {@code repr}, so Django's {@code dumpdata}:
 * {@code 5e-324} for the smallest double, where Java writes {@code 4.9E-324}) is a double's own digits: stored exactly,
 * without the note "rounded to the nearest double", which an import of Django's fixture of a {@code FloatField} at
 * its extremes printed before.
 */
class FloatDigitsProperties {
    private static final Column REAL = new Column("n", "real", ColumnType.REAL, null, false, false, false);

    private static String approximation(BigDecimal value) {
        return Floats.approximation(value, REAL, "t", "p", true, true);
    }

    @Example
    void pythonsShortestFormsAreExact() {
        assertThat(approximation(new BigDecimal("5e-324"))).isNull();
        assertThat(approximation(new BigDecimal("4.9E-324"))).isNull();
        assertThat(approximation(new BigDecimal("2.2250738585072014e-308"))).isNull();
        assertThat(approximation(new BigDecimal("1.7976931348623157e+308"))).isNull();
        assertThat(approximation(new BigDecimal("0.1"))).isNull();
        assertThat(approximation(new BigDecimal("3e-324"))).isEqualTo("rounded to the nearest double");
        assertThat(approximation(new BigDecimal("0.10000000000000000000001"))).isEqualTo("rounded to the nearest double");
    }

    /** Beyond the largest double: before, a NumberFormatException (exit 1). */
    @Example
    void aNumberBeyondTheLargestDoubleIsInfinityWhereTheEngineHasItElseRefused() {
        assertThat(approximation(new BigDecimal("1e400"))).isEqualTo("beyond the largest double: stored as infinity, as"
                + " Django's float() reads it");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Floats.approximation(new BigDecimal("-1e400"), REAL, "t",
                        "users[0].n", false, false))
                .isInstanceOf(io.djangouserbackup.core.IncompatibleDatabaseException.class)
                .hasMessage("users[0].n: -1E+400 is beyond the largest double, and column t.n (real) cannot hold infinity on"
                        + " this engine; nothing was imported");
    }

    /** Any double's exact value rounded to 1..17 significant digits that still reads back as that double is exact. */
    @Property(tries = 2000)
    void aDoublesDigitsAtAnyPrecisionThatReadsBackAreExact(@ForAll double value, @ForAll @IntRange(min = 1, max = 17) int digits) {
        Assume.that(Double.isFinite(value) && value != 0);
        BigDecimal written = new BigDecimal(value).round(new MathContext(digits, RoundingMode.HALF_EVEN));
        Assume.that(written.doubleValue() == value);

        assertThat(approximation(written)).isNull();
    }
}
