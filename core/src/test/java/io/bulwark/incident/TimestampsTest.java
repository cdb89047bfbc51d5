package io.bulwark.incident;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {
    @Test
    void rfc3339_microsecondSource_writesSixDigits() {
        assertThat(Timestamps.rfc3339(1_768_471_200_123_456_000L)).isEqualTo("2026-01-15T10:00:00.123456Z");
        assertThat(Timestamps.rfc3339(0)).isEqualTo("1970-01-01T00:00:00.000000Z");
    }

    @Test
    void rfc3339_nanosecondSource_writesNineDigits() {
        assertThat(Timestamps.rfc3339(1_768_471_200_123_456_789L)).isEqualTo("2026-01-15T10:00:00.123456789Z");
    }

    @Test
    void rfc3339_beforeTheEpoch_countsBackwards() {
        assertThat(Timestamps.rfc3339(-1_000L)).isEqualTo("1969-12-31T23:59:59.999999Z");
    }
}
