package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ZeekValuesTest {

    @ParameterizedTest(name = "{0} s -> {1} ns")
    @CsvSource({
        "1533042911.474174,      1533042911474174000", // first ts of IoT-23 capture 8-1
        "0.114184,               114184000",
        "0.000000,               0",
        "5,                      5000000000",
        "78840.329310,           78840329310000",
        "1e-06,                  1000",                // a JSON writer's shortest form
        "1.5E3,                  1500000000000",
        "2.5e+1,                 25000000000",
        "0.0000000005,           1",                   // half a nanosecond rounds up, once
        "0.0000000004999,        0",
        "5e-11,                  0",                   // 0.05 ns: far below the rounding digit
        "1.0000000009,           1000000001",
        "0.1234567894,           123456789",
        "9223372036.854775807,   9223372036854775807", // the last nanosecond a long holds
        "0e999,                  0",
    })
    void secondsToNanos_decimal_scalesExactly(String text, long nanos) {
        assertThat(ZeekValues.secondsToNanos(text)).isEqualTo(nanos);
    }

    @Test
    void secondsToNanos_epochMicros_differsFromDoubleArithmetic() {
        // Why the text is scaled digit by digit: through a double the same value is off.
        long viaDouble = (long) (Double.parseDouble("1533042911.474174") * 1e9);

        assertThat(viaDouble).isNotEqualTo(1533042911474174000L);
        assertThat(ZeekValues.secondsToNanos("1533042911.474174")).isEqualTo(1533042911474174000L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-", "-1", "+1", "1.", ".5", "1e", "1e+", "1e-", "abc", "1.2.3", " 1", "1 ",
        "1e99999", "NaN", "Infinity", "0x10", "1,5", "9223372036.854775808", "9223372037", "1e19", "١٢٣",
        "12345678901234567890123456789012345678901234567890123456789012345"})
    void secondsToNanos_notADecimal_returnsMinusOne(String text) {
        assertThat(ZeekValues.secondsToNanos(text)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "1533042911.474174,              1533042911474174000",
        "2018-07-31T13:15:11.474174Z,    1533042911474174000",
        "2018-07-31T15:15:11.474174+02:00, 1533042911474174000",
    })
    void timestampNanos_decimalOrIso8601_givesSameInstant(String text, long nanos) {
        assertThat(ZeekValues.timestampNanos(text)).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2018-07-31T25:15:11Z", "2018-07-31T13:15:11", "1969-12-31T23:59:59Z", "T", "-1"})
    void timestampNanos_badOrNegative_returnsMinusOne(String text) {
        assertThat(ZeekValues.timestampNanos(text)).isEqualTo(-1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"0, 0", "76, 76", "9223372036854775807, 9223372036854775807"})
    void count_digits_parses(String text, long value) {
        assertThat(ZeekValues.count(text)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-1", "+1", "1.0", "1e3", "9223372036854775808", "18446744073709551615", " 1", "0x1"})
    void count_notACount_returnsMinusOne(String text) {
        assertThat(ZeekValues.count(text)).isEqualTo(-1);
    }

    @Test
    void port_range_isZeroTo65535() {
        assertThat(ZeekValues.port("0")).isZero();
        assertThat(ZeekValues.port("65535")).isEqualTo(65535);
        assertThat(ZeekValues.port("65536")).isEqualTo(-1);
        assertThat(ZeekValues.port("123456")).isEqualTo(-1);
        assertThat(ZeekValues.port("-")).isEqualTo(-1);
    }
}
