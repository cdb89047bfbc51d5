package io.bulwark.flow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FlowTableTest {
    private static final long S = 1_000_000_000L;
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final List<FlowRecord> ended = new ArrayList<>();
    private final FlowTable.Sink sink = (r, e) -> ended.add(r);

    private static Packet tcp(long ts, String src, int sp, String dst, int dp, int flags) {
        Packet p = new Packet();
        IpAddr s = IpAddr.parse(src);
        IpAddr d = IpAddr.parse(dst);
        p.tsNanos = ts;
        p.srcHi = s.hi();
        p.srcLo = s.lo();
        p.dstHi = d.hi();
        p.dstLo = d.lo();
        p.srcPort = sp;
        p.dstPort = dp;
        p.protocol = 6;
        p.tcpFlags = flags;
        p.ipLength = 60;
        p.fileOffset = ts / S;
        return p;
    }

    private static Packet udp(long ts, String src, int sp, String dst, int dp) {
        Packet p = tcp(ts, src, sp, dst, dp, 0);
        p.protocol = 17;
        return p;
    }

    @Test
    void add_bothDirections_landInOneFlowWithOriginatorFirst() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        t.add(tcp(0, "10.0.0.1", 40000, "1.2.3.4", 80, 0x02), sink);
        FlowEntry e = t.add(tcp(S / 100, "1.2.3.4", 80, "10.0.0.1", 40000, 0x12), sink);
        assertThat(e.fromOriginator()).isFalse();
        t.add(tcp(2 * S / 100, "10.0.0.1", 40000, "1.2.3.4", 80, 0x10), sink);
        t.add(tcp(3 * S / 100, "10.0.0.1", 40000, "1.2.3.4", 80, 0x11), sink);
        t.add(tcp(4 * S / 100, "1.2.3.4", 80, "10.0.0.1", 40000, 0x11), sink);
        assertThat(t.size()).isEqualTo(1);
        t.expire(10 * S, sink);
        assertThat(ended).singleElement().satisfies(r -> {
            assertThat(r.src()).hasToString("10.0.0.1");
            assertThat(r.dstPort()).isEqualTo(80);
            assertThat(r.packetsOut()).isEqualTo(3);
            assertThat(r.packetsIn()).isEqualTo(2);
            assertThat(r.bytesOut()).isEqualTo(180);
            assertThat(r.state()).isEqualTo("SF");
            assertThat(r.endReason()).isEqualTo(FlowRecord.EndReason.tcp_close);
            assertThat(r.firstOffset()).isZero();
        });
        assertThat(t.size()).isZero();
    }

    @Test
    void add_synAckFirst_makesTheReceiverTheOriginator() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        t.add(tcp(0, "1.2.3.4", 80, "10.0.0.1", 40000, 0x12), sink);
        t.flush(sink);
        assertThat(ended.get(0).src()).hasToString("10.0.0.1");
        assertThat(ended.get(0).packetsIn()).isEqualTo(1);
    }

    @Test
    void expire_unansweredSynRetries_splitAfterTheAttemptTimeoutLikeZeek() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        for (long at : new long[] {0, S, 3 * S, 7 * S, 9 * S}) {
            t.expire(at, sink);
            t.add(tcp(at, "10.0.0.1", 43324, "178.128.185.250", 50, 0x02), sink);
        }
        t.flush(sink);
        assertThat(ended).extracting(FlowRecord::packetsOut).containsExactly(3L, 2L);
        assertThat(ended).extracting(FlowRecord::state).containsOnly("S0");
    }

    @Test
    void add_pooledEntry_startsWithoutThePreviousFlowsScoresOrAttachments() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        FlowEntry first = t.add(udp(0, "10.0.0.1", 5353, "10.0.0.2", 53), sink);
        first.scoreA = 3.5f;
        first.scoreB = 7.25f;
        first.attachA = "device";
        t.expire(61 * S, sink);
        FlowEntry next = t.add(udp(62 * S, "10.0.0.3", 4000, "10.0.0.4", 123), sink);
        assertThat(next).isSameAs(first);
        assertThat(next.scoreA).isZero();
        assertThat(next.scoreB).isZero();
        assertThat(next.attachA).isNull();
    }

    @Test
    void expire_udpIdlePastTimeout_endsFlow() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        t.add(udp(0, "10.0.0.1", 5353, "10.0.0.2", 53), sink);
        t.expire(59 * S, sink);
        assertThat(ended).isEmpty();
        t.expire(61 * S, sink);
        assertThat(ended).singleElement().satisfies(r -> {
            assertThat(r.endReason()).isEqualTo(FlowRecord.EndReason.idle);
            assertThat(r.state()).isEqualTo("S0");
        });
    }

    @Test
    void add_pastActiveTimeout_emitsAndRestarts() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        for (long s = 0; s <= 3700; s += 30) {
            t.add(udp(s * S, "10.0.0.1", 1000, "10.0.0.2", 2000), sink);
        }
        assertThat(ended).singleElement().extracting(FlowRecord::endReason).isEqualTo(FlowRecord.EndReason.active);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void add_newSynOnClosedConnection_startsNewFlow() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        t.add(tcp(0, "10.0.0.1", 40000, "1.2.3.4", 80, 0x02), sink);
        t.add(tcp(1, "1.2.3.4", 80, "10.0.0.1", 40000, 0x14), sink);
        t.add(tcp(2, "10.0.0.1", 40000, "1.2.3.4", 80, 0x02), sink);
        assertThat(ended).singleElement().extracting(FlowRecord::state).isEqualTo("REJ");
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void add_millionsOfSpoofedFlows_staysAtTheBoundAndCountsEvictions() {
        FlowTable t = new FlowTable(FlowConfig.defaults().withMaxFlows(1000), anomalies, "test");
        Packet p = tcp(0, "10.0.0.1", 1, "10.0.0.2", 80, 0x02);
        for (int i = 0; i < 200_000; i++) {
            p.srcLo = 0x0000_ffff_0000_0000L | (0x0b000000L + i);
            p.tsNanos = i * 1000L;
            t.add(p, sink);
            assertThat(t.size()).isLessThanOrEqualTo(1000);
        }
        assertThat(t.evictions()).isEqualTo(199_000);
        assertThat(anomalies.get(Anomaly.flow_table_full)).isEqualTo(199_000);
        assertThat(ended).allSatisfy(r -> assertThat(r.endReason()).isEqualTo(FlowRecord.EndReason.evicted));
        t.flush(sink);
        assertThat(t.size()).isZero();
        assertThat(ended).hasSize(200_000);
    }

    @Test
    void add_outOfOrderTimestamps_neverShortenAFlow() {
        FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
        t.add(udp(10 * S, "10.0.0.1", 1, "10.0.0.2", 2), sink);
        t.add(udp(5 * S, "10.0.0.2", 2, "10.0.0.1", 1), sink);
        t.flush(sink);
        assertThat(ended).singleElement().satisfies(r -> {
            assertThat(r.startNanos()).isEqualTo(10 * S);
            assertThat(r.endNanos()).isEqualTo(10 * S);
            assertThat(r.packetsIn()).isEqualTo(1);
        });
    }

    @Test
    void uids_sameInputTwice_areIdentical() {
        List<String> first = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            ended.clear();
            FlowTable t = new FlowTable(FlowConfig.defaults(), anomalies, "test");
            for (int i = 0; i < 50; i++) {
                t.add(udp(i * S, "10.0.0.1", 1000 + i, "10.0.0.2", 53), sink);
            }
            t.flush(sink);
            List<String> uids = ended.stream().map(FlowRecord::uid).toList();
            if (run == 0) {
                first.addAll(uids);
            } else {
                assertThat(uids).isEqualTo(first);
            }
        }
        assertThat(first).doesNotHaveDuplicates().allMatch(u -> u.matches("C[0-9A-V]{13}"));
    }
}
