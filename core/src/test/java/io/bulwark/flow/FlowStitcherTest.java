package io.bulwark.flow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportedFlow;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlowStitcherTest {
    static final long S = 1_000_000_000L;
    static final long T0 = 1_768_471_200L * S;
    static final int SYN = 0x02, ACK = 0x10, FIN = 0x01, RST = 0x04, PSH = 0x08;

    final AnomalyCounters anomalies = new AnomalyCounters();
    final List<FlowRecord> out = new ArrayList<>();

    FlowStitcher stitcher(FlowStitcher.Config cfg) {
        return new FlowStitcher(cfg, anomalies, out::add);
    }

    static ExportedFlow rec(int src, int sport, int dst, int dport, int proto, long start, long end,
                            long pkts, long bytes, int flags) {
        ExportedFlow f = new ExportedFlow();
        f.clear();
        f.source = ExportedFlow.Source.netflow9;
        f.ipVersion = 4;
        IpAddr s = IpAddr.ofV4(src), d = IpAddr.ofV4(dst);
        f.srcHi = s.hi(); f.srcLo = s.lo(); f.dstHi = d.hi(); f.dstLo = d.lo();
        f.srcPort = sport; f.dstPort = dport; f.protocol = proto;
        f.startNanos = start; f.endNanos = end; f.packets = pkts; f.bytes = bytes; f.tcpFlags = flags;
        IpAddr ex = IpAddr.ofV4(0x7f000001);
        f.exporterHi = ex.hi(); f.exporterLo = ex.lo();
        return f;
    }

    static final int A = 0xc0a80116, B = 0x3c995b25;

    @Test
    void add_bothDirections_oneBidirectionalRecordFromTheSynSender() {
        FlowStitcher s = stitcher(FlowStitcher.Config.defaults());
        // The server's record arrives first, as exporters often send them.
        s.add(rec(B, 443, A, 52350, 6, T0, T0 + S, 59, 81798, SYN | ACK | PSH | FIN));
        s.add(rec(A, 52350, B, 443, 6, T0, T0 + S, 36, 3290, SYN | ACK | PSH | FIN));
        s.flush();
        assertThat(out).hasSize(1);
        FlowRecord r = out.get(0);
        assertThat(r.src()).isEqualTo(IpAddr.ofV4(A));
        assertThat(r.dstPort()).isEqualTo(443);
        assertThat(r.packetsOut()).isEqualTo(36);
        assertThat(r.bytesIn()).isEqualTo(81798);
        assertThat(r.state()).isEqualTo("SF");
        assertThat(r.endReason()).isEqualTo(FlowRecord.EndReason.exported);
        assertThat(r.exporter()).isEqualTo("127.0.0.1");
        assertThat(s.paired()).isEqualTo(1);
        assertThat(s.waiting()).isZero();
    }

    @Test
    void add_unansweredSyn_leavesOneWayAsS0AfterThePairingWindow() {
        FlowStitcher s = stitcher(new FlowStitcher.Config(30 * S, 1000, 0, 1000));
        s.add(rec(A, 40000, B, 23, 6, T0, T0, 1, 40, SYN));
        // Traffic time moves on by more than the window, over more than one sweep.
        for (int i = 0; i < 10_000; i++) {
            s.add(rec(A + 1, 1000 + (i % 50_000), B + 1, 53, 17, T0 + 60 * S + i, T0 + 60 * S + i, 1, 60, 0));
        }
        assertThat(out).anySatisfy(r -> {
            assertThat(r.dstPort()).isEqualTo(23);
            assertThat(r.state()).isEqualTo("S0");
            assertThat(r.unanswered()).isTrue();
        });
    }

    @Test
    void add_refusedSyn_pairsWithTheResetAsRej() {
        FlowStitcher s = stitcher(FlowStitcher.Config.defaults());
        s.add(rec(A, 40000, B, 23, 6, T0, T0, 1, 40, SYN));
        s.add(rec(B, 23, A, 40000, 6, T0, T0, 1, 40, RST | ACK));
        s.flush();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.src()).isEqualTo(IpAddr.ofV4(A));
            assertThat(r.state()).isEqualTo("REJ");
        });
    }

    @Test
    void add_sameDirectionPiecesOverlapping_areAddedTogether() {
        FlowStitcher s = stitcher(FlowStitcher.Config.defaults());
        // sFlow-style samples of one conversation: one packet each, scaled by the rate.
        for (int i = 0; i < 5; i++) {
            ExportedFlow f = rec(A, 5000, B, 80, 6, T0 + i * S, T0 + i * S, 100, 150_000, ACK);
            f.samplingRate = 100;
            s.add(f);
        }
        s.flush();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.packetsOut()).isEqualTo(500);
            assertThat(r.bytesOut()).isEqualTo(750_000);
            assertThat(r.samplingRate()).isEqualTo(100);
            assertThat(r.durationNanos()).isEqualTo(4 * S);
        });
    }

    @Test
    void add_biflow_isOneRecordAtOnce() {
        FlowStitcher s = stitcher(FlowStitcher.Config.defaults());
        ExportedFlow f = rec(A, 5000, B, 80, 6, T0, T0 + S, 10, 1000, SYN | ACK);
        f.reversePackets = 8;
        f.reverseBytes = 9000;
        f.reverseTcpFlags = SYN | ACK | FIN;
        s.add(f);
        s.flush();
        assertThat(out).singleElement().satisfies(r -> {
            assertThat(r.packetsIn()).isEqualTo(8);
            assertThat(r.bytesIn()).isEqualTo(9000);
            assertThat(r.tcpFlagsIn()).isEqualTo(SYN | ACK | FIN);
        });
    }

    @Test
    void add_burstInAnyOrder_comesOutInStartOrder() {
        FlowStitcher s = stitcher(FlowStitcher.Config.defaults());
        long[] starts = {300, 5, 120, 7, 599, 0, 42};
        for (long st : starts) {
            s.add(rec(A, (int) (1000 + st), B, 53, 17, T0 + st * S, T0 + st * S, 1, 70, 0));
        }
        s.flush();
        assertThat(out).extracting(FlowRecord::startNanos).isSorted();
        assertThat(out).hasSize(starts.length);
        assertThat(s.late()).isZero();
    }

    @Test
    void add_recordLaterThanTheWatermark_goesOnAtOnceAndIsCounted() {
        FlowStitcher s = stitcher(new FlowStitcher.Config(S, 1000, 10 * S, 1000));
        s.add(rec(A, 1, B, 53, 17, T0 + 100 * S, T0 + 100 * S, 1, 70, 0));
        s.add(rec(A, 2, B, 53, 17, T0 + 200 * S, T0 + 200 * S, 1, 70, 0));
        for (int i = 0; i < 5000; i++) {   // enough records for the sweeps to let them leave
            s.add(rec(A, 3 + i, B + 1, 53, 17, T0 + 300 * S, T0 + 300 * S, 1, 70, 0));
        }
        s.add(rec(A, 60000, B + 2, 53, 17, T0 + 50 * S, T0 + 50 * S, 1, 70, 0));
        for (int i = 0; i < 10_000; i++) {   // it waits for a reverse first, then leaves late
            s.add(rec(A, 3 + i, B + 3, 53, 17, T0 + 300 * S, T0 + 300 * S, 1, 70, 0));
        }
        assertThat(s.late()).isEqualTo(1);
        assertThat(anomalies.get(Anomaly.export_record_late)).isEqualTo(1);
        assertThat(out).anySatisfy(r -> assertThat(r.srcPort()).isEqualTo(60000));
    }

    @Test
    void add_floodOfOneWayRecords_staysWithinItsBounds() {
        FlowStitcher s = stitcher(new FlowStitcher.Config(30 * S, 1000, 600 * S, 2000));
        for (int i = 0; i < 100_000; i++) {   // spoofed sources, all at the same instant
            s.add(rec(0x0a000000 + i, 1024, B, 80, 6, T0, T0, 1, 40, SYN));
            assertThat(s.waiting()).isLessThanOrEqualTo(3000);
        }
        assertThat(anomalies.get(Anomaly.stitch_pending_full)).isPositive();
        assertThat(anomalies.get(Anomaly.reorder_buffer_full)).isPositive();
        s.flush();
        assertThat(out).hasSize(100_000);
        assertThat(s.waiting()).isZero();
    }
}
