package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.IncompatibleDatabaseException;
import io.djangouserbackup.core.spi.Column;
import io.djangouserbackup.core.spi.ColumnType;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DecimalsTest {

    private static Column numeric(String declared) {
        return new Column("balance", declared, ColumnType.DECIMAL, null, false, false, false);
    }

    /** One form per value, digit for digit, whatever scale the engine gave it. */
    @ParameterizedTest
    @CsvSource({
            "1.50, 1.5",
            "100.00, 100",
            "0.000, 0",
            "-0.0000000001, -0.0000000001",
            "12345678901234567890.1234567890, 12345678901234567890.123456789",
            "99999999999999999999.9999999999, 99999999999999999999.9999999999",
            "1E+25, 10000000000000000000000000",
    })
    void theDocumentFormIsTheShortestExactNumber(String fromDatabase, String inDocument) {
        Object canonical = Decimals.canonical(new BigDecimal(fromDatabase));
        String text = canonical instanceof BigDecimal decimal ? decimal.toPlainString() : canonical.toString();
        assertThat(text).isEqualTo(inDocument);
    }

    @Test
    void wholeValuesWithin64BitsAreLongsAndBeyondThemExactBigDecimals() {
        assertThat(Decimals.canonical(new BigDecimal("9223372036854775807.000"))).isEqualTo(Long.MAX_VALUE);
        assertThat(Decimals.canonical(new BigDecimal("9223372036854775808"))).isEqualTo(new BigDecimal("9223372036854775808"));
    }

    @Test
    void aSqliteDoubleIsWrittenAsItsShortestDigitsWithoutAnExponent() {
        assertThat(Decimals.fromDouble(0.7)).isEqualTo(new BigDecimal("0.7"));
        assertThat(((BigDecimal) Decimals.fromDouble(1.0E-7)).toPlainString()).isEqualTo("0.0000001");
        assertThat(Decimals.fromDouble(3.0)).isEqualTo(3L);
    }

    /** The exact value never goes through a double: a double cannot hold this one. */
    @Test
    void noValueIsRoutedThroughADouble() {
        BigDecimal wide = new BigDecimal("12345678901234567890.1234567890");
        assertThat(new BigDecimal(Double.toString(wide.doubleValue()))).isNotEqualByComparingTo(wide);
        assertThat(Decimals.toBigDecimal(Decimals.canonical(wide))).isEqualByComparingTo(wide);
    }

    @Test
    void aServerColumnHoldsWhatFitsItsPrecisionAndRoundsOnlyWithANote() {
        Column money = numeric("numeric(19,4)");
        assertThat(Decimals.serverApproximation(new BigDecimal("999999999999999.9999"), money, "t", "users[0].balance")).isNull();
        assertThat(Decimals.serverApproximation(new BigDecimal("0.12345"), money, "t", "users[0].balance"))
                .isEqualTo("rounded to 4 decimal places, the scale of numeric(19,4)");
        assertThatThrownBy(() -> Decimals.serverApproximation(new BigDecimal("9999999999999999"), money, "t", "users[0].balance"))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessage("users[0].balance: a number with 16 digits before the point, but column t.balance (numeric(19,4))"
                        + " holds at most 15; nothing was imported");
        // Rounding that carries into one more digit before the point does not fit either.
        assertThatThrownBy(() -> Decimals.serverApproximation(new BigDecimal("999999999999999.99995"), money, "t", "p"))
                .isInstanceOf(IncompatibleDatabaseException.class);
        assertThat(Decimals.serverApproximation(new BigDecimal("1E+300"), numeric("numeric"), "t", "p")).isNull();
        assertThat(Decimals.serverApproximation(new BigDecimal("-0.5"), numeric("decimal(1,1)"), "t", "p")).isNull();
    }

    @Test
    void sqliteKeepsWhatADoubleHoldsAndSaysSoOtherwise() {
        Column decimal = numeric("decimal");
        assertThat(Decimals.sqliteApproximation(new BigDecimal("1234.5"), decimal, "t", "p")).isNull();
        assertThat(Decimals.sqliteApproximation(new BigDecimal("100000000000000000000"), decimal, "t", "p")).isNull();
        assertThat(Decimals.sqliteApproximation(new BigDecimal("99999999999999999999"), decimal, "t", "p")).isNotNull();
        assertThat(Decimals.sqliteApproximation(new BigDecimal("12345678901234567890.1234567890"), decimal, "t", "p"))
                .startsWith("stored as the nearest double");
        assertThatThrownBy(() -> Decimals.sqliteApproximation(new BigDecimal("1E+400"), decimal, "t", "users[3].balance"))
                .isInstanceOf(IncompatibleDatabaseException.class)
                .hasMessageStartingWith("users[3].balance: a number too large for column t.balance");
    }
}
