package io.bulwark.detect.scan;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import io.bulwark.detect.Finding;
import io.bulwark.detect.Kind;
import io.bulwark.detect.LocalEngine;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.FlowTable;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Drives the scan detector through the local engine, as analyze does, in traffic time. */
class ScanDetectorTest {
    private static final long MS = 1_000_000L;
    private static final long T0 = 1_700_000_000_000_000_000L;
    private final List<Finding> findings = new ArrayList<>();
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final LocalEngine engine = new LocalEngine(List.of(new ScanDetector(ScanConfig.defaults())),
            LocalNets.defaults(), 1000, anomalies, findings::add, (ip, a) -> { });
    private final FlowTable table = new FlowTable(FlowConfig.defaults(), anomalies, "test");
    private final FlowTable.Sink flows = engine::onFlow;
    private final SplittableRandom rnd = new SplittableRandom(7);

    private void packet(long ts, int src, int sport, int dst, int dport, int flags, long seq) {
        Packet p = new Packet();
        p.tsNanos = ts;
        p.ipVersion = 4;
        p.srcHi = 0;
        p.srcLo = IpAddr.ofV4(src).lo();
        p.dstHi = 0;
        p.dstLo = IpAddr.ofV4(dst).lo();
        p.srcPort = sport;
        p.dstPort = dport;
        p.protocol = 6;
        p.tcpFlags = flags;
        p.seq = seq;
        p.ipLength = 40;
        p.fileOffset = 24;
        p.recordLength = 70;
        table.expire(ts, flows);
        FlowEntry e = table.add(p, flows);
        engine.onPacket(p, e, "test.pcap");
    }

    private int publicTarget() {
        return 0x2d000000 | rnd.nextInt(1 << 24);
    }

    private static final int DVR = 0xc0a801c3; // 192.168.1.195

    @Test
    void miraiScan_isFoundWithinTheFirstTargetsWithFingerprintAndPortShares() {
        for (int i = 0; i < 2000; i++) {
            int dst = publicTarget();
            packet(T0 + i * 5 * MS, DVR, 30000 + i % 20000, dst, rnd.nextInt(10) == 0 ? 2323 : 23, 0x02, dst & 0xffff_ffffL);
        }
        table.flush(flows);
        engine.finish(T0 + 10_000 * MS);
        assertThat(findings).isNotEmpty().allMatch(f -> f.kind() == Kind.scan && f.host().toString().equals("192.168.1.195"));
        Finding first = findings.get(0);
        assertThat(first.detectedAt() - T0).isLessThan(100 * MS);
        assertThat(first.firstSeen()).isEqualTo(T0);
        Finding last = findings.get(findings.size() - 1);
        assertThat(last.detail()).containsEntry("mirai_fingerprint", true);
        assertThat((long) last.detail().get("targets")).isBetween(1800L, 2200L);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ports = (List<Map<String, Object>>) last.detail().get("ports");
        assertThat(ports.get(0)).containsEntry("port", 23);
        assertThat((double) ports.get(0).get("share")).isBetween(0.85, 0.95);
        assertThat(last.summary()).contains("TCP/23 and 2323 with Mirai's fingerprint");
        assertThat(last.evidence()).hasSize(8).allSatisfy(ev -> {
            assertThat(ev.flowUid()).startsWith("C");
            assertThat(ev.communityId()).startsWith("1:");
            assertThat(ev.file()).isEqualTo("test.pcap");
        });
    }

    @Test
    void scanWithoutFingerprint_needsTheFullTargetCount() {
        for (int i = 0; i < 63; i++) {
            packet(T0 + i * 10 * MS, DVR, 30000 + i, publicTarget(), 22, 0x02, rnd.nextInt() & 0xffff_ffffL);
        }
        assertThat(findings).isEmpty();
        for (int i = 63; i < 100; i++) {
            packet(T0 + i * 10 * MS, DVR, 30000 + i, publicTarget(), 22, 0x02, rnd.nextInt() & 0xffff_ffffL);
        }
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).detail()).containsEntry("mirai_fingerprint", false);
    }

    @Test
    void browsingManyAnsweredServers_isNotAScan() {
        int laptop = 0xc0a8011e;
        for (int i = 0; i < 300; i++) {
            long t = T0 + i * 100 * MS;
            int dst = publicTarget();
            packet(t, laptop, 40000 + i, dst, 443, 0x02, rnd.nextInt() & 0xffff_ffffL);
            packet(t + 20 * MS, dst, 443, laptop, 40000 + i, 0x12, 1);
            packet(t + 21 * MS, laptop, 40000 + i, dst, 443, 0x10, 2);
        }
        table.flush(flows);
        engine.finish(T0 + 60_000 * MS);
        assertThat(findings).isEmpty();
    }

    @Test
    void flowMode_unansweredAttemptsFromConnLog_areAScan() {
        IpAddr dvr = IpAddr.ofV4(DVR);
        for (int i = 0; i < 100; i++) {
            FlowRecord f = new FlowRecord("Cz" + i, dvr, 30000 + i, IpAddr.ofV4(publicTarget()), 23, 6,
                    T0 + i * 50 * MS, T0 + i * 50 * MS, 1, 40, 0, 0, 0x02, 0, "S0", 1, "conn.log", false, 100L * i,
                    FlowRecord.EndReason.exported);
            engine.onFlow(f, null);
        }
        engine.finish(T0 + 10_000 * MS);
        assertThat(findings).isNotEmpty();
        assertThat(findings.get(0).detectedAt()).isEqualTo(T0 + 63 * 50 * MS);
        assertThat(findings.get(0).evidence()).allSatisfy(ev -> assertThat(ev.file()).isNull());
    }

    @Test
    void flowMode_packetBuiltFlows_areNotCountedTwice() {
        IpAddr dvr = IpAddr.ofV4(DVR);
        for (int i = 0; i < 100; i++) {
            FlowRecord f = new FlowRecord("Cz" + i, dvr, 30000 + i, IpAddr.ofV4(publicTarget()), 23, 6,
                    T0 + i * 50 * MS, T0 + i * 50 * MS, 1, 40, 0, 0, 0x02, 0, "S0", 1, "pcap", true, -1,
                    FlowRecord.EndReason.idle);
            engine.onFlow(f, null);
        }
        engine.finish(T0 + 10_000 * MS);
        assertThat(findings).isEmpty();
    }

    @Test
    void scanThatStops_endsItsEpisodeAndALaterScanIsANewFinding() {
        for (int i = 0; i < 200; i++) {
            int dst = publicTarget();
            packet(T0 + i * 10 * MS, DVR, 30000 + i, dst, 23, 0x02, dst & 0xffff_ffffL);
        }
        long later = T0 + 600_000 * MS;
        for (int i = 0; i < 200; i++) {
            int dst = publicTarget();
            packet(later + i * 10 * MS, DVR, 40000 + i, dst, 23, 0x02, dst & 0xffff_ffffL);
        }
        engine.finish(later + 10_000 * MS);
        assertThat(findings).extracting(Finding::firstSeen).containsOnly(T0, later);
        assertThat(findings.get(findings.size() - 1).firstSeen()).isEqualTo(later);
    }

    @Test
    void state_serialisedMidScan_resumesWhereItLeftOff() throws Exception {
        ScanDetector d = new ScanDetector(ScanConfig.defaults());
        ScanState s = d.newState();
        io.bulwark.detect.Device dev = new io.bulwark.detect.Device() {
            @Override
            public IpAddr ip() {
                return IpAddr.ofV4(DVR);
            }

            @Override
            public long mac() {
                return -1;
            }
        };
        for (int i = 0; i < 40; i++) {
            FlowRecord f = new FlowRecord("Cz" + i, dev.ip(), 30000 + i, IpAddr.ofV4(publicTarget()), 23, 6,
                    T0 + i * 50 * MS, T0 + i * 50 * MS, 1, 40, 0, 0, 0x02, 0, "S0", 1, "conn.log", false, -1,
                    FlowRecord.EndReason.exported);
            d.onFlow(s, dev, f, true, findings::add);
        }
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        ScanState copy;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ScanState) in.readObject();
        }
        assertThat(bytes.size()).isLessThan(4096);
        for (int i = 40; i < 100; i++) {
            FlowRecord f = new FlowRecord("Cz" + i, dev.ip(), 30000 + i, IpAddr.ofV4(publicTarget()), 23, 6,
                    T0 + i * 50 * MS, T0 + i * 50 * MS, 1, 40, 0, 0, 0x02, 0, "S0", 1, "conn.log", false, -1,
                    FlowRecord.EndReason.exported);
            d.onFlow(copy, dev, f, true, findings::add);
        }
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).firstSeen()).isEqualTo(T0);
    }
}
