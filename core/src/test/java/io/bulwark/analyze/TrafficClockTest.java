package io.bulwark.analyze;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TrafficClockTest {
    private static final long S = 1_000_000_000L;
    private static final long T0 = 1_700_000_000L * S;

    @Test
    void admit_oneTimestampFromTheFarFuture_isClampedAndCounted() {
        AnomalyCounters an = new AnomalyCounters();
        TrafficClock c = new TrafficClock(an);
        assertThat(c.admit(T0, 0)).isEqualTo(T0);
        assertThat(c.admit(0xfffffff0L * S, 100)).isEqualTo(T0);
        assertThat(c.admit(T0 + S, 200)).isEqualTo(T0 + S);
        assertThat(an.get(Anomaly.capture_timestamp_jump)).isEqualTo(1);
        assertThat(an.firstOffset(Anomaly.capture_timestamp_jump)).isEqualTo(100);
    }

    @Test
    void admit_aGapConfirmedByTheNextPacket_isAccepted() {
        AnomalyCounters an = new AnomalyCounters();
        TrafficClock c = new TrafficClock(an);
        long later = T0 + 30L * 86_400 * S;
        c.admit(T0, 0);
        assertThat(c.admit(later, 1)).isEqualTo(T0);
        assertThat(c.admit(later + S, 2)).isEqualTo(later + S);
        assertThat(c.admit(later + 2 * S, 3)).isEqualTo(later + 2 * S);
    }

    @Test
    void admit_timeRunningBackwards_isKeptAsIs() {
        TrafficClock c = new TrafficClock(new AnomalyCounters());
        c.admit(T0 + 10 * S, 0);
        assertThat(c.admit(T0, 1)).isEqualTo(T0);
    }
}
