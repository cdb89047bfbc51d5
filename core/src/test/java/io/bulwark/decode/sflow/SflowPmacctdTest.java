package io.bulwark.decode.sflow;

import static io.bulwark.decode.sflow.SflowFixtures.v4;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import io.bulwark.decode.sflow.SflowFixtures.Flow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real sFlow v5 from a real exporter: pmacctd's sfprobe replays the bundled capture
 * samples/iot-lan-scan.pcap (40,714 Ethernet/IPv4 packets from {@code bulwark simulate}) to a
 * loopback socket, and every decoded sample is compared with the packet it came from.
 */
class SflowPmacctdTest {
    private static final Path PCAP = Path.of("../samples/iot-lan-scan.pcap");
    private static final int PCAP_PACKETS = 40_714;
    private static final String AGENT = "127.0.0.2";
    private static final int SUB_AGENT = 9;
    /**
     * pmacctd drops its last, unflushed datagram at exit (see {@link Pmacctd}); with headers of
     * 60 to 128 bytes it fits 9 samples in a datagram, so the tail it loses is shorter than this.
     */
    private static final int MAX_UNFLUSHED = 16;

    /** What a sample must reproduce of its packet: 5-tuple, TCP flags and IP length. */
    record Sampled(long src, long dst, int srcPort, int dstPort, int protocol, int tcpFlags, long ipLength) {
        static Sampled of(Flow f) {
            return new Sampled(f.srcLo(), f.dstLo(), f.srcPort(), f.dstPort(), f.protocol(), f.tcpFlags(),
                    f.bytes() / f.samplingRate());
        }
    }

    private static List<Sampled> pcap;

    @TempDir
    Path dir;

    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final SflowDecoder decoder = new SflowDecoder(anomalies);

    @BeforeAll
    static void readPcap() throws Exception {
        pcap = new ArrayList<>();
        AnomalyCounters a = new AnomalyCounters();
        PacketDecoder pd = new PacketDecoder(a);
        try (CaptureSource src = Captures.open(PCAP, a)) {
            Packet p = new Packet();
            while (src.next(p)) {
                assertThat(pd.decode(p)).isTrue();
                pcap.add(new Sampled(p.srcLo, p.dstLo, p.srcPort, p.dstPort, p.protocol, p.tcpFlags, p.ipLength));
            }
        }
        assertThat(pcap).hasSize(PCAP_PACKETS);
        assertThat(a.nonZero()).isEmpty();
    }

    private List<Flow> decodeAll(List<byte[]> datagrams) {
        List<Flow> flows = new ArrayList<>();
        long t = 1_000_000_000L;
        for (byte[] d : datagrams) {
            SflowFixtures.decode(decoder, d, t++, flows::add);
        }
        return flows;
    }

    private ExporterStats assertCleanExport(List<byte[]> datagrams, List<Flow> flows) {
        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(decoder.stats()).singleElement().satisfies(s -> {
            assertThat(s.exporter).isEqualTo(AGENT + "/" + SUB_AGENT);
            assertThat(s.packets).isEqualTo(datagrams.size());
            assertThat(s.records).isEqualTo(flows.size());
            assertThat(s.malformed).isZero();
            assertThat(s.sequenceGaps).isZero();
        });
        assertThat(flows).allSatisfy(f -> {
            assertThat(f.exporterLo()).isEqualTo(v4(AGENT));
            assertThat(f.domain() >>> 32).isEqualTo(SUB_AGENT);
            assertThat(f.ipVersion()).isEqualTo(4);
        });
        return decoder.stats().iterator().next();
    }

    @Test
    void pmacctd_samplingRate1_samplesArePcapPacketsInOrder() throws Exception {
        List<byte[]> datagrams = Pmacctd.export(dir, PCAP, 1, AGENT, SUB_AGENT);
        List<Flow> flows = decodeAll(datagrams);

        assertCleanExport(datagrams, flows);
        int n = flows.size();
        assertThat(n).isBetween(PCAP_PACKETS - MAX_UNFLUSHED, PCAP_PACKETS);
        long bytes = 0;
        long pcapBytes = 0;
        for (int i = 0; i < n; i++) {
            Flow f = flows.get(i);
            assertThat(f.packets()).isEqualTo(1);
            assertThat(Sampled.of(f)).as("sample %d", i).isEqualTo(pcap.get(i));
            bytes += f.bytes();
            pcapBytes += pcap.get(i).ipLength();
        }
        assertThat(bytes).isEqualTo(pcapBytes);
    }

    @Test
    void pmacctd_samplingRate10_samplesAreAnOrderedSubsetScaledByTen() throws Exception {
        List<byte[]> datagrams = Pmacctd.export(dir, PCAP, 10, AGENT, SUB_AGENT);
        List<Flow> flows = decodeAll(datagrams);

        assertCleanExport(datagrams, flows);
        // Random 1-in-10 sampling of 40,714 packets: 4,071 expected, standard deviation ~61.
        assertThat(flows.size()).isBetween(3_700, 4_450);
        int j = 0;
        for (int i = 0; i < flows.size(); i++) {
            Flow f = flows.get(i);
            assertThat(f.packets()).isEqualTo(10);
            assertThat(f.samplingRate()).isEqualTo(10);
            assertThat(f.bytes() % 10).isZero();
            Sampled s = Sampled.of(f);
            while (j < pcap.size() && !pcap.get(j).equals(s)) {
                j++;
            }
            assertThat(j).as("sample %d is a later packet of the pcap", i).isLessThan(pcap.size());
            j++;
        }
    }
}
