package io.bulwark.transport;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.simulate.Simulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class EventCodecTest {
    @TempDir
    static Path dir;
    static List<byte[]> records = new ArrayList<>();
    static EdgeTap tap;

    /** The transport records of a small simulated Mirai scan (packets and flows). */
    @BeforeAll
    static void simulate() throws Exception {
        Path pcap = dir.resolve("scan.pcap");
        Simulator.write("iot-lan-scan", 1, pcap, Simulator.Options.defaults().withTargetPackets(20_000));
        AnalyzerConfig cfg = AnalyzerConfig.defaults();
        tap = new EdgeTap(cfg.localNets(), new DeviceDetectors(Analyzer.detectors(cfg)), records::add);
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() {
        }, false, tap);
        assertThat(a.add(pcap).error()).isNull();
        a.finish();
    }

    @Test
    void simulatedCapture_everyRecord_decodesAndReencodesToTheSameBytes() {
        assertThat(tap.packetsPublished()).isPositive();
        assertThat(tap.flowsPublished()).isPositive();
        AnomalyCounters a = new AnomalyCounters();
        long lastSeq = -1, lastStream = Long.MIN_VALUE;
        for (byte[] r : records) {
            TrafficEvent e = EventCodec.decode(r, a);
            assertThat(e).isNotNull();
            assertThat(EventCodec.encode(e)).isEqualTo(r);
            assertThat(EventCodec.streamNanos(r)).isEqualTo(e.streamNanos());
            assertThat(e.seq()).isEqualTo(lastSeq + 1);
            assertThat(e.streamNanos()).isGreaterThanOrEqualTo(lastStream);
            lastSeq = e.seq();
            lastStream = e.streamNanos();
        }
        assertThat(a.total()).isZero();
    }

    @Test
    void flowRecord_fieldByField_survivesTheRoundTrip() {
        // An IPv6 flow from a conn.log (no packets, unknown offset, sampled 1:100).
        FlowRecord f = new FlowRecord("CAbc12", IpAddr.parse("2001:db8::5"), 51234, IpAddr.parse("fd00::1"), 23, 6,
                1_700_000_000_123_456_789L, 1_700_000_003_000_000_000L, 3, 180, 0, 0, 0x02, 0, "S0", 100,
                "conn.log", false, -1, FlowRecord.EndReason.exported);
        byte[] b = EventCodec.encode(new TrafficEvent(7, 1_700_000_004_000_000_000L, f, null));
        TrafficEvent e = EventCodec.decode(b, new AnomalyCounters());
        assertThat(e.flow()).isEqualTo(f);
        assertThat(e.seq()).isEqualTo(7);
        // Header (3) + seq + stream time + an IPv6 5-tuple (2 x 17) and counters: compact.
        assertThat(b.length).isLessThan(100);
    }

    @Test
    void truncatedAtEveryLength_isNullAndCounted_neverThrows() {
        for (byte[] r : List.of(records.get(0), records.get(records.size() / 2), records.get(records.size() - 1))) {
            for (int n = 0; n < r.length; n++) {
                AnomalyCounters a = new AnomalyCounters();
                byte[] cut = java.util.Arrays.copyOf(r, n);
                assertThat(EventCodec.decode(cut, a)).isNull();
                assertThat(a.total()).isEqualTo(1);
            }
        }
    }

    @Test
    void unknownVersion_isRefusedAndCounted() {
        byte[] r = records.get(0).clone();
        r[1] = 2;
        AnomalyCounters a = new AnomalyCounters();
        assertThat(EventCodec.decode(r, a)).isNull();
        assertThat(a.get(Anomaly.transport_version_unknown)).isEqualTo(1);
        assertThat(EventCodec.streamNanos(r)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void trailingBytes_areInvalid() {
        byte[] r = java.util.Arrays.copyOf(records.get(0), records.get(0).length + 1);
        AnomalyCounters a = new AnomalyCounters();
        assertThat(EventCodec.decode(r, a)).isNull();
        assertThat(a.get(Anomaly.transport_record_invalid)).isEqualTo(1);
    }

    @Test
    void randomCorruption_neverThrows() {
        Random rnd = new Random(1);
        AnomalyCounters a = new AnomalyCounters();
        for (int i = 0; i < 20_000; i++) {
            byte[] r = records.get(rnd.nextInt(records.size())).clone();
            int flips = 1 + rnd.nextInt(4);
            for (int k = 0; k < flips; k++) {
                r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
            }
            EventCodec.decode(r, a);
        }
        byte[] huge = {(byte) 0xB7, 1, 2, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f};
        assertThat(EventCodec.decode(huge, a)).isNull();
    }

    @Test
    void packetFacts_carryOnlyTheDeclaredPayload_andAReadPastItIsABug() {
        AnomalyCounters a = new AnomalyCounters();
        long carried = 0, captured = 0;
        PacketFact cut = null;
        for (byte[] r : records) {
            TrafficEvent e = EventCodec.decode(r, a);
            if (e.packet() != null) {
                carried += e.packet().payload().length;
                captured += e.packet().payloadLength();
                if (cut == null && e.packet().payload().length < e.packet().payloadLength()) {
                    cut = e.packet();
                }
            }
        }
        assertThat(carried).isLessThan(captured);
        PacketFact p = cut;
        assertThat(p).isNotNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> p.payloadByte(p.payload().length))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("payloadNeeded");
    }
}
