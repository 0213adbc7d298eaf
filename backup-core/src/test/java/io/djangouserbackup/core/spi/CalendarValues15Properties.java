package io.djangouserbackup.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.djangouserbackup.core.InvalidBackupException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Issue 15: {@link ColumnValues} accepts the datetimes and dates every export writes without its regular
 * expressions ({@link ColumnValues#isPlainDatetime}). That shortcut must never change a decision: every text is
 * accepted or refused, with the same message, exactly as the regular expressions and {@code java.time} alone
 * decided before (the oracle below is that code, copied).
 */
class CalendarValues15Properties {
    private static final Column DATETIME = new Column("date_joined", "datetime", ColumnType.DATETIME, null, true, false, false);
    private static final Column DATE = new Column("birthday", "date", ColumnType.DATE, null, true, false, false);

    // The oracle: what ColumnValues decided before the shortcut (Django's parse_datetime and parse_date).
    private static final Pattern DATETIME_PATTERN = Pattern.compile(
            "(\\d{4})-(\\d{1,2})-(\\d{1,2})[T ](\\d{1,2}):(\\d{1,2})(?::(\\d{1,2})(?:\\.\\d{1,6})?)?\\s*(Z|[+-]\\d{2}(:?\\d{2})?)?");
    private static final Pattern DATE_PATTERN = Pattern.compile("(\\d{4})-(\\d{1,2})-(\\d{1,2})");

    /** Null when the oracle accepts the text, else the message it gave. */
    private static String oracle(String text, Pattern pattern, String expectation) {
        Matcher m = pattern.matcher(text);
        if (!m.matches()) {
            return expectation + ", got a string that is not";
        }
        try {
            LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            if (pattern == DATETIME_PATTERN) {
                LocalTime.of(Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        m.group(6) == null ? 0 : Integer.parseInt(m.group(6)));
            }
            return null;
        } catch (DateTimeException e) {
            return expectation + ", got one that is not on the calendar or the clock";
        }
    }

    private static String decision(String text, Column column) {
        try {
            ColumnValues.check(text, column, "t", "rows[0]", column.name());
            return null;
        } catch (InvalidBackupException e) {
            assertThat(e.place()).isEqualTo("rows[0]." + column.name());
            return e.getMessage().substring(e.getMessage().indexOf(": ") + 2);
        }
    }

    /** A datetime check decides every text as the regular expression and {@code java.time} alone decide it. */
    @Property(tries = 5000)
    void datetimeDecisionIsTheRegularExpressions(@ForAll("datetimeLike") String text) {
        assertThat(decision(text, DATETIME))
                .isEqualTo(oracle(text, DATETIME_PATTERN, "expected a date and time like 2022-05-19 22:34:19.600861"));
        if (ColumnValues.isPlainDatetime(text)) {
            assertThat(oracle(text, DATETIME_PATTERN, "")).isNull();
        }
    }

    /** A date check decides every text as the regular expression and {@code java.time} alone decide it. */
    @Property(tries = 5000)
    void dateDecisionIsTheRegularExpressions(@ForAll("dateLike") String text) {
        assertThat(decision(text, DATE)).isEqualTo(oracle(text, DATE_PATTERN, "expected a date like 2022-05-19"));
        if (ColumnValues.isPlainDate(text)) {
            assertThat(oracle(text, DATE_PATTERN, "")).isNull();
        }
    }

    @Example
    void theShortcutTakesWhatExportsWriteAndLeavesTheRestToTheRegularExpression() {
        assertThat(ColumnValues.isPlainDatetime("2022-05-19 22:34:19.600861")).isTrue();
        assertThat(ColumnValues.isPlainDatetime("2024-02-29T00:00:00")).isTrue();
        assertThat(ColumnValues.isPlainDatetime("2023-02-29 00:00:00")).isFalse();
        assertThat(ColumnValues.isPlainDatetime("2022-05-19 22:34:19+02:00")).isFalse();
        assertThat(ColumnValues.isPlainDatetime("2022-05-19 22:34:19.")).isFalse();
        assertThat(ColumnValues.isPlainDatetime("2022-05-19 22:34:19.1234567")).isFalse();
        assertThat(ColumnValues.isPlainDatetime("2022-05-19 24:00:00")).isFalse();
        assertThat(ColumnValues.isPlainDatetime("２022-05-19 22:34:19")).isFalse();
        assertThat(ColumnValues.isPlainDate("1900-02-29")).isFalse();
        assertThat(ColumnValues.isPlainDate("2000-02-29")).isTrue();
        // Left to the regular expression, which still accepts them:
        assertThat(decision("2022-5-9 2:03", DATETIME)).isNull();
        assertThat(decision("2022-05-19 22:34:19.600861Z", DATETIME)).isNull();
        assertThatThrownBy(() -> ColumnValues.check("2023-02-29 10:00:00", DATETIME, "auth_user", "users[3]", "date_joined"))
                .isInstanceOf(InvalidBackupException.class)
                .hasMessage("users[3].date_joined: expected a date and time like 2022-05-19 22:34:19.600861, got one that is"
                        + " not on the calendar or the clock");
    }

    /** Texts near the datetime form: real and impossible days and times, other separators, digits and lengths. */
    @Provide
    Arbitrary<String> datetimeLike() {
        Arbitrary<String> shaped = Combinators.combine(java.util.List.of(year(), Arbitraries.just("-"), number(2, 13),
                        Arbitraries.just("-"), number(2, 32), Arbitraries.of(" ", "T", "t", "_"), number(2, 25), Arbitraries.just(":"),
                        number(2, 61), Arbitraries.just(":"), number(2, 61), fraction(),
                        Arbitraries.of("", "", "", "Z", "+02:00", " ", "-0530")))
                .as(parts -> String.join("", parts));
        return Arbitraries.oneOf(shaped, shaped.map(CalendarValues15Properties::shorten), noise(28));
    }

    @Provide
    Arbitrary<String> dateLike() {
        Arbitrary<String> shaped = Combinators.combine(year(), number(2, 13), number(2, 32)).as((y, mo, d) -> y + "-" + mo + "-" + d);
        return Arbitraries.oneOf(shaped, shaped.map(CalendarValues15Properties::shorten), noise(12));
    }

    /** Years with every kind of February: leap, not, centuries that are (2000) and are not (1900). */
    private static Arbitrary<String> year() {
        Arbitrary<Integer> near = Arbitraries.integers().between(0, 9999);
        Arbitrary<Integer> centuries = Arbitraries.integers().between(0, 99).map(c -> c * 100);
        Arbitrary<Integer> leap = Arbitraries.integers().between(0, 2499).map(q -> q * 4);
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.oneOf(near, centuries, leap).map(y -> String.format("%04d", y))),
                Tuple.of(1, odd(4)));
    }

    /** Mostly {@code digits} ASCII digits for 0 to {@code dense} (just past a field's range), sometimes anything. */
    private static Arbitrary<String> number(int digits, int dense) {
        Arbitrary<String> near = Arbitraries.integers().between(0, dense).map(n -> String.format("%0" + digits + "d", n));
        Arbitrary<String> any = Arbitraries.integers().between(0, (int) Math.pow(10, digits) - 1)
                .map(n -> String.format("%0" + digits + "d", n));
        return Arbitraries.frequencyOf(Tuple.of(12, near), Tuple.of(2, any), Tuple.of(1, odd(digits)),
                Tuple.of(1, Arbitraries.integers().between(0, 9).map(String::valueOf)));
    }

    /** Another digit (Arabic-Indic, full-width), a sign or a space among ASCII digits. */
    private static Arbitrary<String> odd(int length) {
        return Arbitraries.strings().withChars("0123456789٣２+- ").ofLength(length);
    }

    private static Arbitrary<String> fraction() {
        return Arbitraries.oneOf(Arbitraries.just(""), Arbitraries.strings().numeric().ofMinLength(0).ofMaxLength(8).map(d -> "." + d),
                Arbitraries.strings().withChars("0123456789x٣").ofMinLength(1).ofMaxLength(7).map(d -> "." + d));
    }

    private static Arbitrary<String> noise(int maxLength) {
        return Arbitraries.strings().withChars("0123456789 T-:.Z+x٣").ofMaxLength(maxLength);
    }

    /** Drops one character somewhere: a one-digit month or hour, a missing separator. */
    private static String shorten(String text) {
        int at = Math.floorMod(text.hashCode(), Math.max(1, text.length()));
        return text.isEmpty() ? text : text.substring(0, at) + text.substring(at + 1);
    }
}
