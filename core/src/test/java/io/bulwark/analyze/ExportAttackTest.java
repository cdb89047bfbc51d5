package io.bulwark.analyze;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.RandomExports;
import io.bulwark.detect.Finding;
import io.bulwark.detect.Kind;
import io.bulwark.flow.IpAddr;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random-bytes exporters (issue 26): thousands of seeded random datagrams of each format, framed
 * well enough to get past each format's first checks, go the way {@code bulwark collect} sends
 * datagrams (Analyzer.exportDatagram: decoders, bounds, pairing, detectors). One such NetFlow
 * v5 datagram used to raise a high-severity ddos_target of 2,130,569,217 packets/s.
 */
class ExportAttackTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    /** -Dbulwark.attack.datagrams and -Dbulwark.attack.seed try more, or other, datagrams. */
    static final int DATAGRAMS = Integer.getInteger("bulwark.attack.datagrams", 5_000);
    static final long SEED = Long.getLong("bulwark.attack.seed", 26);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"v5", "v9", "ipfix", "sflow"})
    void randomDatagrams_createNoIncident(String format) {
        List<Finding> found = new ArrayList<>();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
            @Override
            public void finding(Finding f, String incidentId) {
                found.add(f);
            }
        }, true);
        RandomExports random = new RandomExports(SEED * 31 + format.hashCode());
        for (int i = 0; i < DATAGRAMS; i++) {
            long arrival = T0 + i * 1_000_000L;
            byte[] d = random.next(format, arrival);
            IpAddr exporter = IpAddr.parse("192.0.2." + (1 + i % 4));
            a.exportDatagram(ByteBuffer.wrap(d), 0, d.length, exporter.hi(), exporter.lo(), 2055, arrival);
        }
        Analyzer.Result r = a.finish();
        long refused = 0;
        for (Anomaly x : List.of(Anomaly.export_record_time_implausible, Anomaly.export_record_size_implausible,
                Anomaly.export_record_rate_implausible, Anomaly.export_sampling_rate_implausible,
                Anomaly.export_record_fields_invalid)) {
            refused += r.anomalies().get(x);
        }
        System.out.printf("%s: %d datagrams, %d records delivered, %d refused as implausible, anomalies %s%n",
                format, DATAGRAMS, r.exports().records(), refused, r.anomalies().nonZero());

        assertThat(found).as("findings").isEmpty();
        assertThat(r.incidents()).as("incidents").isEmpty();
        assertThat(refused).as("records refused by the bounds").isPositive();
    }
    /**
     * A random-port flood as an exporter reports it: spoofed local sources send SYNs, or Mirai's
     * ACK/PSH packets with 512 bytes of payload, to random outside hosts and ports, one packet
     * per record; one record in 200 goes to TCP 48101, Mirai's scan-report port. Such floods
     * made 31 to 43 false c2 incidents ("reported to a scan-report server"). None is a
     * connection, so none is c2 (the flood itself may well be reported, as scan or ddos).
     */
    @Test
    void randomPortFloodOfExportedRecords_hittingTheReportPort_isNoC2() {
        List<Finding> found = new ArrayList<>();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
            @Override
            public void finding(Finding f, String incidentId) {
                found.add(f);
            }
        }, true);
        SplittableRandom rnd = new SplittableRandom(48101);
        IpAddr exporter = IpAddr.parse("192.0.2.1");
        int reportPort = 0;
        for (int i = 0; i < 2_000; i++) {
            long arrival = T0 + i * 5_000_000L;   // 30 records every 5 ms: 6,000 records/s
            ByteBuffer b = ByteBuffer.allocate(24 + 30 * 48);
            long uptime = 3_600_000 + i * 5L;
            b.putShort((short) 5).putShort((short) 30).putInt((int) uptime)
                    .putInt((int) (arrival / 1_000_000_000L)).putInt((int) (arrival % 1_000_000_000L))
                    .putInt(i * 30).putShort((short) 0).putShort((short) 0);
            for (int r = 0; r < 30; r++) {
                boolean ack = rnd.nextBoolean();
                int port = rnd.nextInt(200) == 0 ? 48101 : rnd.nextInt(1, 65536);
                reportPort += port == 48101 ? 1 : 0;
                b.putInt(0x0a00_0000 | rnd.nextInt(1 << 24))                 // spoofed 10.0.0.0/8 source
                        .putInt(0x0100_0000 + rnd.nextInt(0x0800_0000))      // 1.0.0.0 - 8.255.255.255
                        .putInt(0).putShort((short) 1).putShort((short) 2)
                        .putInt(1).putInt(ack ? 552 : 40)                     // one packet
                        .putInt((int) (uptime - 20)).putInt((int) (uptime - 20))
                        .putShort((short) rnd.nextInt(1024, 65536)).putShort((short) port)
                        .put((byte) 0).put((byte) (ack ? 0x18 : 0x02)).put((byte) 6).put((byte) 0)
                        .putShort((short) 0).putShort((short) 0).put((byte) 8).put((byte) 8).putShort((short) 0);
            }
            a.exportDatagram(b, 0, b.capacity(), exporter.hi(), exporter.lo(), 2055, arrival);
        }
        Analyzer.Result r = a.finish();

        assertThat(reportPort).as("records to 48101").isGreaterThan(250);
        assertThat(r.exports().records()).as("every flood record believed").isEqualTo(60_000);
        assertThat(found).as("c2 findings").noneMatch(f -> f.kind() == Kind.c2);
    }
}
