package io.bulwark.decode.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.packet.Packet;
import io.bulwark.flow.IpAddr;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A real exporter: softflowd turns the bundled sample capture (samples/iot-lan-scan.pcap, made
 * by {@code bulwark simulate}, see its truth file) into NetFlow v5, v9 and IPFIX, and the
 * decoder must agree with softflowd's own statistics without a single anomaly.
 */
class NetflowSoftflowdTest {
    @TempDir
    static Path dir;
    static Path pcap;
    static long pcapPackets;
    static long firstNanos = Long.MAX_VALUE;
    static long lastNanos = Long.MIN_VALUE;

    @BeforeAll
    static void readCapture() throws Exception {
        Softflowd.requireInstalled();
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("samples/iot-lan-scan.pcap"))) {
            p = p.getParent();
        }
        assertThat(p).as("samples/iot-lan-scan.pcap above " + Path.of("").toAbsolutePath()).isNotNull();
        pcap = p.resolve("samples/iot-lan-scan.pcap");
        try (CaptureSource src = Captures.open(pcap, new AnomalyCounters())) {
            Packet packet = new Packet();
            while (src.next(packet)) {
                pcapPackets++;
                firstNanos = Math.min(firstNanos, packet.tsNanos);
                lastNanos = Math.max(lastNanos, packet.tsNanos);
            }
        }
        assertThat(pcapPackets).isEqualTo(40_714);
    }

    @ParameterizedTest(name = "-v {0}")
    @ValueSource(ints = {5, 9, 10})
    void softflowd_sampleCaptureExported_decodedTotalsMatchItsStatistics(int version) throws Exception {
        Softflowd.Export x = Softflowd.replay(pcap, version, pcapPackets, dir);
        AnomalyCounters anomalies = new AnomalyCounters();
        NetflowDecoder decoder = new NetflowDecoder(NetflowLimits.defaults(), anomalies);
        IpAddr loopback = IpAddr.parse("127.0.0.1");
        long[] records = new long[1];
        long[] packets = new long[1];
        long[] bytes = new long[1];
        long[] start = {Long.MAX_VALUE};
        long[] end = {Long.MIN_VALUE};
        long[] icmpOutOfRange = new long[1];
        ExportedFlow.Source want = version == 5 ? ExportedFlow.Source.netflow5
                : version == 9 ? ExportedFlow.Source.netflow9 : ExportedFlow.Source.ipfix;
        for (byte[] d : x.datagrams()) {
            decoder.decode(ByteBuffer.wrap(d), 0, d.length, loopback.hi(), loopback.lo(), x.exporterPort(), 0, f -> {
                assertThat(f.source).isEqualTo(want);
                records[0]++;
                packets[0] += f.packets + f.reversePackets;
                bytes[0] += f.bytes + f.reverseBytes;
                start[0] = Math.min(start[0], f.startNanos);
                end[0] = Math.max(end[0], f.endNanos);
                if (f.protocol == 1 && (f.srcPort > 255 || f.dstPort > 255)) {
                    icmpOutOfRange[0]++;
                }
            });
        }

        assertThat(anomalies.nonZero()).as("anomalies").isEmpty();
        assertThat(x.datagrams()).as("datagrams received").hasSize((int) x.exportPackets());
        assertThat(records[0]).as("records").isEqualTo(x.records());
        assertThat(packets[0]).as("packets").isEqualTo(x.packets()).isEqualTo(pcapPackets);
        assertThat(bytes[0]).as("bytes").isEqualTo(x.octets());
        // Export times are whole milliseconds, so the first packet's time rounds down; in v9
        // the header's unix_secs has no fraction (RFC 3954 section 5.1), so times taken
        // relative to sysUptime come out early by up to a second.
        long slack = version == 9 ? 1_000_000_000L : firstNanos % 1_000_000;
        assertThat(start[0]).as("first flow start").isGreaterThanOrEqualTo(firstNanos - slack);
        assertThat(end[0]).as("last flow end").isLessThanOrEqualTo(lastNanos);
        assertThat(icmpOutOfRange[0]).as("ICMP type/code as ports").isZero();
        ExporterStats stats = decoder.stats().iterator().next();
        assertThat(decoder.stats()).hasSize(1);
        assertThat(stats.source).isEqualTo(want);
        assertThat(stats.packets).isEqualTo(x.exportPackets());
        assertThat(stats.records).isEqualTo(x.records());
        assertThat(stats.sequenceGaps).isZero();
        assertThat(stats.malformed).isZero();
        assertThat(stats.templateMisses).isZero();
        System.out.printf("softflowd -v %d: %d datagrams, %d records, %d packets, %d bytes, flows %s .. %s%n",
                version, x.datagrams().size(), records[0], packets[0], bytes[0],
                java.time.Instant.ofEpochSecond(0, start[0]), java.time.Instant.ofEpochSecond(0, end[0]));
    }

    @ParameterizedTest(name = "-v {0} -s 10")
    @ValueSource(ints = {5, 9, 10})
    void softflowd_sampledOneInTen_countsScaledByTheAnnouncedRate(int version) throws Exception {
        Softflowd.Export x = Softflowd.replay(pcap, version, pcapPackets, dir, "-s", "10");
        AnomalyCounters anomalies = new AnomalyCounters();
        NetflowDecoder decoder = new NetflowDecoder(NetflowLimits.defaults(), anomalies);
        IpAddr loopback = IpAddr.parse("127.0.0.1");
        long[] records = new long[1];
        long[] packets = new long[1];
        long[] bytes = new long[1];
        java.util.Set<Integer> rates = new java.util.TreeSet<>();
        for (byte[] d : x.datagrams()) {
            decoder.decode(ByteBuffer.wrap(d), 0, d.length, loopback.hi(), loopback.lo(), x.exporterPort(), 0, f -> {
                records[0]++;
                packets[0] += f.packets;
                bytes[0] += f.bytes;
                rates.add(f.samplingRate);
            });
        }
        System.out.printf("softflowd -v %d -s 10: %d datagrams, %d records (%d), %d packets (%d), %d bytes (%d), rates %s%n",
                version, x.datagrams().size(), records[0], x.records(), packets[0], x.packets(), bytes[0], x.octets(), rates);

        assertThat(anomalies.nonZero()).as("anomalies").isEmpty();
        assertThat(rates).containsExactly(10);
        assertThat(records[0]).isEqualTo(x.records());
        assertThat(packets[0]).isEqualTo(10 * x.packets());
        assertThat(bytes[0]).isEqualTo(10 * x.octets());
    }
}
