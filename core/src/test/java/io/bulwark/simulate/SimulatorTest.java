package io.bulwark.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.bulwark.flow.IpAddr;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatorTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int DVR = Endpoint.v4("192.168.1.195");

    @TempDir
    static Path dir;
    static Path demo;
    static Simulator.Summary demoSummary;
    static List<CapturedFrame> demoFrames;

    @BeforeAll
    static void writeDemo() throws Exception {
        demo = dir.resolve("demo.pcap");
        demoSummary = Simulator.write("iot-lan-scan", 7, demo, Simulator.Options.defaults());
        demoFrames = CapturedFrame.readAll(demo);
    }

    @Test
    void scenarios_listed_demoBenchFloodAndMirai() {
        assertThat(Simulator.scenarios()).startsWith("iot-lan-scan", "bench", "syn-flood", "mirai-outbreak")
                .contains("variant-p2p", "telnet-bruteforce", "loader-wget", "loader-tftp", "loader-echo", "c2-keepalive",
                        "flood-greeth")
                .contains("spoofed-local").hasSize(6 + 5 + 10);
    }

    @Test
    void variantP2p_labels_oneLinePerFrame_maliciousOnlyFromTheTakeover_sameForTheSameSeed() throws Exception {
        Path pcap = dir.resolve("v.pcap");
        Path labels = dir.resolve("v.labels");
        Simulator.Summary s = Simulator.write("variant-p2p", 3, pcap, Simulator.Options.defaults(), labels);
        List<String> lines = java.nio.file.Files.readAllLines(labels);
        assertThat(lines.get(0)).startsWith(Simulator.LABELS_HEADER);
        List<String> perFrame = lines.subList(1, lines.size());
        assertThat(perFrame).hasSize((int) s.packets()).allMatch(l -> l.equals("0") || l.equals("1"));
        assertThat(s.malicious()).singleElement().satisfies(b -> assertThat(b.kind()).isEqualTo(Simulator.ANOMALY));
        List<CapturedFrame> frames = CapturedFrame.readAll(pcap);
        long takeover = s.malicious().get(0).startNanos() / 1000 * 1000;
        int firstBad = perFrame.indexOf("1");
        assertThat(frames.get(firstBad).tsNanos()).isGreaterThanOrEqualTo(takeover);
        assertThat(perFrame.stream().filter("1"::equals).count()).isGreaterThan(s.packets() / 2);
        Path again = dir.resolve("v2.labels");
        Simulator.write("variant-p2p", 3, dir.resolve("v2.pcap"), Simulator.Options.defaults(), again);
        assertThat(java.nio.file.Files.readAllLines(again)).isEqualTo(lines);
    }

    @Test
    void labels_ofAScenarioThatDoesNotMarkItsActors_areRefused() {
        assertThat(Simulator.labelled("bench")).isFalse();
        assertThat(Simulator.labelled("mirai-outbreak")).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Simulator.write("bench", 1, dir.resolve("b.pcap"),
                Simulator.Options.defaults().withTargetPackets(10), dir.resolve("b.labels")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void iotLanScan_sameSeed_byteIdenticalFile() throws Exception {
        Path again = dir.resolve("again.pcap");
        Simulator.write("iot-lan-scan", 7, again, Simulator.Options.defaults());
        assertThat(sha256(again)).isEqualTo(sha256(demo));
    }

    @Test
    void iotLanScan_differentSeed_differentFile() throws Exception {
        Path other = dir.resolve("other.pcap");
        Simulator.write("iot-lan-scan", 8, other, Simulator.Options.defaults());
        assertThat(sha256(other)).isNotEqualTo(sha256(demo));
    }

    @Test
    void iotLanScan_readBack_countMatchesSummaryAndTimeOrdered() {
        assertThat(demoFrames).hasSize((int) demoSummary.packets());
        assertThat(demoSummary.packets()).isBetween(20_000L, 60_000L);
        long start = Instant.parse("2026-01-15T10:00:00Z").getEpochSecond() * SECOND;
        assertThat(demoFrames.get(0).tsNanos()).isGreaterThanOrEqualTo(start);
        assertThat(demoFrames.get(demoFrames.size() - 1).tsNanos()).isLessThanOrEqualTo(start + 600 * SECOND);
        assertThat(demoSummary.span()).isBetween(Duration.ofSeconds(590), Duration.ofSeconds(600));
        for (int i = 1; i < demoFrames.size(); i++) {
            assertThat(demoFrames.get(i).tsNanos()).isGreaterThanOrEqualTo(demoFrames.get(i - 1).tsNanos());
        }
    }

    @Test
    void iotLanScan_everyFrame_checksumsRecomputeValid() {
        for (CapturedFrame f : demoFrames) {
            assertThat(f.etherType()).isEqualTo(0x0800);
            assertThat(f.b().length).isBetween(Frame.MIN_LENGTH, Frame.MAX_LENGTH);
            assertThat(WireCheck.valid(f.b(), CapturedFrame.IP)).as("frame at %d", f.tsNanos()).isTrue();
        }
    }

    @Test
    void iotLanScan_groundTruth_dvrScansAfterThreeBenignMinutes() {
        assertThat(demoSummary.malicious()).hasSize(1);
        Simulator.Behaviour scan = demoSummary.malicious().get(0);
        assertThat(scan.host()).isEqualTo(IpAddr.parse("192.168.1.195"));
        assertThat(scan.kind()).isEqualTo(Simulator.SCAN);
        long start = Simulator.Options.DEFAULT_START.getEpochSecond() * SECOND;
        assertThat(scan.startNanos() - start).isBetween(180 * SECOND, 196 * SECOND);
        assertThat(demoSummary.benignHosts()).extracting(IpAddr::toString)
                .containsExactly("192.168.1.1", "192.168.1.20", "192.168.1.21", "192.168.1.22", "192.168.1.30");
    }

    @Test
    void iotLanScan_scanSyns_miraiFingerprint() {
        List<CapturedFrame> syns = demoFrames.stream()
                .filter(f -> f.isTcp() && f.src() == DVR && f.tcpFlags() == Frame.SYN).toList();
        assertThat(syns.size()).isGreaterThan(10_000);
        long port23 = 0;
        for (CapturedFrame f : syns) {
            assertThat(f.seq()).isEqualTo(f.dst() & 0xffff_ffffL);
            assertThat(f.dstPort()).isIn(23, 2323);
            assertThat(f.tcpHeaderLength()).isEqualTo(20);
            assertThat(f.ttl()).isEqualTo(64);
            assertThat(f.dontFragment()).isFalse();
            assertThat(Internet.excludedByMirai(f.dst())).isFalse();
            port23 += f.dstPort() == 23 ? 1 : 0;
        }
        assertThat((double) port23 / syns.size()).isCloseTo(0.9, within(0.01));
        long truth = demoSummary.malicious().get(0).startNanos();
        assertThat(syns.get(0).tsNanos()).isEqualTo(truth / 1000 * 1000);
        double perSecond = syns.size() / ((syns.get(syns.size() - 1).tsNanos() - syns.get(0).tsNanos()) / 1e9);
        assertThat(perSecond).as("mean rate including quiet spells").isBetween(30.0, 300.0);
    }

    @Test
    void iotLanScan_answers_fewSynAcksEachResetByBot() {
        long synAcks = demoFrames.stream().filter(f -> f.isTcp() && f.dst() == DVR
                && f.tcpFlags() == (Frame.SYN | Frame.ACK)).count();
        long resets = demoFrames.stream().filter(f -> f.isTcp() && f.src() == DVR && f.tcpFlags() == Frame.RST).count();
        long syns = demoFrames.stream().filter(f -> f.isTcp() && f.src() == DVR && f.tcpFlags() == Frame.SYN).count();
        assertThat(synAcks).isEqualTo(resets);
        assertThat((double) synAcks / syns).isBetween(0.005, 0.03);
    }

    @Test
    void iotLanScan_benignSyns_carryOptionsAndRandomSeq() {
        List<CapturedFrame> syns = demoFrames.stream()
                .filter(f -> f.isTcp() && f.src() != DVR && (f.tcpFlags() & Frame.SYN) != 0).toList();
        assertThat(syns).isNotEmpty();
        for (CapturedFrame f : syns) {
            assertThat(f.tcpHeaderLength()).isGreaterThan(20);
            assertThat(f.seq()).isNotEqualTo(f.dst() & 0xffff_ffffL);
        }
    }

    @Test
    void bench_targetPackets_writesExactlyThatManyWithTruth() throws Exception {
        Path file = dir.resolve("bench.pcap");
        Simulator.Summary s = Simulator.write("bench", 3, file, Simulator.Options.defaults().withTargetPackets(50_000));
        List<CapturedFrame> frames = CapturedFrame.readAll(file);
        assertThat(s.packets()).isEqualTo(50_000);
        assertThat(frames).hasSize(50_000);
        assertThat(s.span().toMillis()).as("about 50k frames per second of traffic time").isBetween(700L, 1_800L);
        assertThat(s.malicious()).extracting(Simulator.Behaviour::kind).contains(Simulator.SCAN, Simulator.DDOS);
        assertThat(s.benignHosts()).hasSizeGreaterThan(190);
        assertThat(frames).allSatisfy(f -> assertThat(f.b().length).isBetween(60, 1514));
        assertThat(frames.stream().filter(f -> f.b().length == 1514).count()).isGreaterThan(10_000);
        for (int i = 0; i < frames.size(); i += 97) {
            assertThat(WireCheck.valid(frames.get(i).b(), CapturedFrame.IP)).isTrue();
        }
    }

    @Test
    void bench_sameSeed_byteIdenticalFile() throws Exception {
        Simulator.Options small = Simulator.Options.defaults().withTargetPackets(20_000);
        Path a = dir.resolve("a.pcap");
        Path b = dir.resolve("b.pcap");
        Simulator.write("bench", 11, a, small);
        Simulator.write("bench", 11, b, small);
        assertThat(sha256(a)).isEqualTo(sha256(b));
        Simulator.write("bench", 12, b, small);
        assertThat(sha256(a)).isNotEqualTo(sha256(b));
    }

    @Test
    void options_startTime_shiftsEveryFrame() throws Exception {
        Path file = dir.resolve("later.pcap");
        Instant later = Simulator.Options.DEFAULT_START.plusSeconds(3600);
        Simulator.Summary s = Simulator.write("bench", 3, file, Simulator.Options.defaults().withStart(later).withTargetPackets(1_000));
        assertThat(s.firstNanos()).isGreaterThanOrEqualTo(later.getEpochSecond() * SECOND);
    }

    @Test
    void write_unknownScenario_throws() {
        assertThatThrownBy(() -> Simulator.write("nope", 1, dir.resolve("x.pcap"), Simulator.Options.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("iot-lan-scan");
    }

    @Test
    void options_nonPositiveTarget_throws() {
        assertThatThrownBy(() -> Simulator.Options.defaults().withTargetPackets(0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String sha256(Path p) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
    }
}
