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
        assertThat(Decimals.fromSqlite(0.7)).isEqualTo(new BigDecimal("0.7"));
        assertThat(((BigDecimal) Decimals.fromSqlite(1.0E-7)).toPlainString()).isEqualTo("0.0000001");
        assertThat(Decimals.fromSqlite(3.0)).isEqualTo(3L);
    }

    /**
     * A SQLite decimal is what Django reads there: 15 significant digits of the double or integer SQLite holds
     * (Django's {@code Context(prec=15).create_decimal_from_float}). The double's shortest form
     * ({@code 12345678901234567000}) restored another value on a server than Django showed on SQLite
     * ({@code 12345678901234600000}), and a whole 19-digit value kept as an integer in SQLite (which Django shows to
     * 15 digits) was not noted; found by {@code FieldTypesInteropIT.everyFieldTypeAtItsExtremes_...} (SQLITE ->
     * POSTGRESQL and MARIADB).
     */
    @Test
    void aSqliteDecimalIsWhatDjangoReadsThere() {
        assertThat(Decimals.fromSqlite(new BigDecimal("12345678901234567890.1234567890").doubleValue()))
                .isEqualTo(new BigDecimal("12345678901234600000"));
        assertThat(Decimals.fromSqlite(1234567890123456789L)).isEqualTo(1234567890123460000L);
        assertThat(Decimals.fromSqlite(999999999999999L)).isEqualTo(999999999999999L);
        assertThat(Decimals.fromSqlite(0.1 + 0.2)).isEqualTo(new BigDecimal("0.3"));
        assertThat(Decimals.fromSqlite(-Double.MAX_VALUE)).isEqualTo(new BigDecimal("-1.79769313486232E+308").setScale(0));
        assertThat(Decimals.fromSqlite(Double.NEGATIVE_INFINITY)).isEqualTo(Double.NEGATIVE_INFINITY);
        Column decimal = numeric("decimal");
        assertThat(Decimals.sqliteApproximation(new BigDecimal("1234567890123456789"), decimal, "t", "p"))
                .startsWith("stored as the nearest double");
        assertThat(Decimals.sqliteApproximation(new BigDecimal("123456789012345"), decimal, "t", "p")).isNull();
        assertThat(Decimals.sqliteApproximation(new BigDecimal("12345678901234600000"), decimal, "t", "p")).isNull();
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

    /**
     * A server's {@code numeric(30,10)} full of nines is held in SQLite as the double 1E+20, which Django there cannot
     * read back (31 digits for a field of 30: InvalidOperation on every query of the row). It was stored with a note,
     * leaving a database whose user list Django could not load; found by
     * {@code FieldTypesInteropIT.valuesOnlySomeEnginesHold_...} (widest-decimals, POSTGRESQL and MARIADB -> SQLITE).
     */
    @Test
    void aDecimalDjangoCannotReadBackInSqliteIsRefused() {
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("99999999999999999999.9999999999"), "numeric(30,10)"))
                .contains("as 100000000000000000000 ", "numeric(30,10)");
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("-99999999999999999999.9999999999"), "decimal(30,10)")).isNotNull();
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("9".repeat(35) + "." + "9".repeat(30)), "decimal(65,30)")).isNotNull();
        assertThat(Decimals.sqliteUnreadable(9999999999999999L, "numeric(16,0)")).isNotNull();
        // The money column at its largest: 1000000000000000.0000 is 20 digits for decimal(19,4).
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("999999999999999.9999"), "decimal(19,4)")).isNotNull();
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("99999999999999.9999"), "decimal(19,4)")).isNull();
        // What Django reads there fits the field: approximated (with a note), not refused.
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("12345678901234567890.123456789"), "numeric(30,10)")).isNull();
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("99999999999999900000"), "numeric(30,10)")).isNull();
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("-0.0000000001"), "numeric(30,10)")).isNull();
        assertThat(Decimals.sqliteUnreadable(99L, "numeric(2,0)")).isNull();
        // A type that says nothing of the field: nothing to decide.
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("99999999999999999999.9999999999"), "decimal")).isNull();
        assertThat(Decimals.sqliteUnreadable(new BigDecimal("99999999999999999999.9999999999"), null)).isNull();
    }

    /**
     * The SQLite dialect asks about whole decimals too: a 19-digit one from a server reached the dialect as a
     * {@code Long}, which it did not look at, so it was stored without the note although Django reads it to 15 digits
     * (found by {@code FieldTypesInteropIT.everyFieldTypeAtItsExtremes_...} POSTGRESQL and MARIADB -> SQLITE: two
     * values of {@code widest} approximated, the note said one).
     */
    @Test
    void theSqliteDialectNotesAWholeDecimalDjangoReadsTo15Digits() {
        SqliteDialect sqlite = new SqliteDialect();
        assertThat(sqlite.approximation(1234567890123456789L, numeric("decimal"), "t", "p")).startsWith("stored as the nearest double");
        assertThat(sqlite.approximation(123456789012345L, numeric("decimal"), "t", "p")).isNull();
        assertThat(sqlite.approximation(new BigDecimal("0.1"), numeric("decimal"), "t", "p")).isNull();
    }
}
