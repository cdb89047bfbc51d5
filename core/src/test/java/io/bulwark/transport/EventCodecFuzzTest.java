package io.bulwark.transport;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;

/**
 * Fuzzes the transport decoder: any bytes give an event or null with one anomaly counted,
 * never an exception; an event that decodes re-encodes to a record that decodes to the same
 * bytes again (the encoding is canonical from then on).
 */
class EventCodecFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void decode_fuzzedRecords_neverThrow(byte[] input) {
        AnomalyCounters a = new AnomalyCounters();
        TrafficEvent e = EventCodec.decode(input, a);
        if (e == null) {
            assertThat(a.total()).isEqualTo(1);
            return;
        }
        assertThat(a.total()).isZero();
        assertThat(e.packet() == null ? 0 : e.packet().payload().length)
                .isLessThanOrEqualTo(e.packet() == null ? 0 : e.packet().payloadLength());
        byte[] again = EventCodec.encode(e);
        TrafficEvent e2 = EventCodec.decode(again, a);
        assertThat(e2).isNotNull();
        assertThat(EventCodec.encode(e2)).isEqualTo(again);
        assertThat(EventCodec.streamNanos(again)).isEqualTo(e.streamNanos());
    }
}
