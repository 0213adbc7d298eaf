package io.djangouserbackup.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    /** PostgreSQL's ISO 8601 output, each part with its own sign; months are 30 days and years 365, as psycopg2 reads them. */
    @ParameterizedTest
    @CsvSource({
            "PT0S, 0",
            "PT-0.000001S, -1",
            "P1DT-0.000001S, 86399999999",
            "P-1DT23H59M59.999999S, -1",
            "P1DT2H3M4.000005S, 93784000005",
            "P1M, 2592000000000",
            "P1Y2M3DT4H5M6.7S, 36993906700000",
            "P106751991DT4H54.775807S, 9223372036854775807",
    })
    void anIntervalIsIntegerMicroseconds(String interval, long micros) {
        assertThat(Durations.fromIso8601(interval)).isEqualTo(micros);
    }

    @Test
    void beyond64BitsTheMicrosecondsStayExact() {
        assertThat(Durations.fromIso8601("P999999999D")).isEqualTo(new BigDecimal("86399999913600000000"));
    }

    /** What psycopg2 sends for Django's timedelta: the days carry the sign, the seconds are 0 to 86399.999999. */
    @ParameterizedTest
    @CsvSource({
            "0, 0 days 0.000000 seconds",
            "-1, -1 days 86399.999999 seconds",
            "93784000005, 1 days 7384.000005 seconds",
            "9223372036854775807, 106751991 days 14454.775807 seconds",
            "-9223372036854775808, -106751992 days 71945.224192 seconds",
    })
    void theTextWrittenIsPsycopgs(String micros, String text) {
        assertThat(Durations.toIntervalText(new BigInteger(micros))).isEqualTo(text);
    }
}
