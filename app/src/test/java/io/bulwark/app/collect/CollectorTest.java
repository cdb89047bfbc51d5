package io.bulwark.app.collect;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.export.RandomExports;
import io.bulwark.detect.Finding;
import io.bulwark.flow.FlowStitcher;
import io.bulwark.flow.IpAddr;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The collector's own defences, on the path {@code bulwark collect} takes (listener offer,
 * queue, detector thread, Analyzer), with arrival times given rather than read from a clock:
 * the exporter allow-list, the record budget, random-bytes exporters, and a report that stays
 * short however many exporters there are.
 */
class CollectorTest {
    static final long T0 = 1_700_000_000_000_000_000L;
    static final long S = 1_000_000_000L;

    final List<Finding> found = new ArrayList<>();

    Analyzer analyzer(AnalyzerConfig cfg) {
        return new Analyzer(cfg, new Analyzer.Listener() {
            @Override
            public void finding(Finding f, String incidentId) {
                found.add(f);
            }
        }, true);
    }

    static Collector collector(Analyzer a, List<String> allowed) {
        return new Collector(a, 65_536, 256L << 20, null, S, () -> { }, new ExporterAllowList(allowed));
    }

    static Datagram from(String sender, byte[] data, long arrivalNanos) {
        IpAddr ip = IpAddr.parse(sender);
        return new Datagram(data, ip.hi(), ip.lo(), 2055, arrivalNanos);
    }

    /** Drains what was offered through the detector thread's loop, and ends the run. */
    static Analyzer.Result drain(Collector c, Analyzer a) throws InterruptedException {
        c.stop();
        c.run();
        return a.finish();
    }

    /**
     * A NetFlow v5 datagram of {@code n} ordinary records, exported at {@code arrivalNanos}:
     * answered-looking TCP between a local host and an outside one, 10 packets of 60 bytes.
     */
    static byte[] v5(long arrivalNanos, int n, int flowSequence) {
        ByteBuffer b = ByteBuffer.allocate(24 + 48 * n);
        long uptime = 3_600_000;
        b.putShort((short) 5).putShort((short) n).putInt((int) uptime).putInt((int) (arrivalNanos / S))
                .putInt((int) (arrivalNanos % S)).putInt(flowSequence).putShort((short) 0).putShort((short) 0);
        for (int i = 0; i < n; i++) {
            b.putInt(0xc0a8_0100 | (i & 0xff)).putInt(0xcb00_7101)     // 192.168.1.x -> 203.0.113.1
                    .putInt(0).putShort((short) 1).putShort((short) 2)
                    .putInt(10).putInt(600)
                    .putInt((int) uptime - 2000).putInt((int) uptime - 1000)
                    .putShort((short) (40_000 + i)).putShort((short) 443)
                    .put((byte) 0).put((byte) 0x1b).put((byte) 6).put((byte) 0)
                    .putShort((short) 0).putShort((short) 0).put((byte) 24).put((byte) 24).putShort((short) 0);
        }
        return b.array();
    }

    @Test
    void datagramFromASenderNotOnTheList_droppedAndCountedPerSource() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of("192.0.2.0/30", "2001:db8::1"));
        c.offer(from("192.0.2.1", v5(T0, 2, 0), T0));
        c.offer(from("203.0.113.9", v5(T0, 30, 0), T0));
        c.offer(from("203.0.113.9", v5(T0, 30, 30), T0));
        c.offer(from("192.0.2.4", v5(T0, 30, 0), T0));           // just outside the /30
        c.offer(from("2001:db8::1", v5(T0, 1, 0), T0));
        Analyzer.Result r = drain(c, a);

        assertThat(c.received()).isEqualTo(5);
        assertThat(c.dropped()).as("queue drops").isZero();
        assertThat(r.exports().records()).as("records from listed exporters").isEqualTo(3);
        assertThat(r.anomalies().get(Anomaly.export_exporter_not_allowed)).isEqualTo(3);
        assertThat(c.allowList().refused()).isEqualTo(3);
        assertThat(c.allowList().refusedSources()).isEqualTo(2);
        assertThat(c.allowList().topRefused(5)).extracting(e -> e.getKey() + "=" + e.getValue())
                .containsExactly("203.0.113.9=2", "192.0.2.4=1");
        assertThat(a.exporterStats()).extracting(s -> s.exporter)
                .containsExactlyInAnyOrder("192.0.2.1:2055", "[2001:db8::1]:2055");
        assertThat(c.refusedText()).isEqualTo(", not allowed 3 from 2 senders: 203.0.113.9 (2), 192.0.2.4 (1)");
    }

    @Test
    void noList_everySenderTaken() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of());
        c.offer(from("203.0.113.9", v5(T0, 30, 0), T0));
        Analyzer.Result r = drain(c, a);

        assertThat(r.exports().records()).isEqualTo(30);
        assertThat(c.allowList().isEmpty()).isTrue();
        assertThat(c.refusedText()).isEmpty();
    }

    @Test
    void recordBudget_enforcedPerExporterInArrivalTime_andCounted() throws Exception {
        AnalyzerConfig d = AnalyzerConfig.defaults();
        FlowStitcher.Config x = d.stitch();
        ExportBounds budget = new ExportBounds(100e9, 7 * 86_400 * S, 100, 200);   // 100/s, bursts of 200
        AnalyzerConfig cfg = new AnalyzerConfig(d.flows(), d.scan(), d.c2(), d.infection(), d.ddos(), d.target(),
                d.bruteforce(), d.ioc(), d.anomaly(), d.localNets(), d.maxDevices(),
                new FlowStitcher.Config(x.pairNanos(), x.maxPending(), x.latenessNanos(), x.maxReorder(), budget),
                d.detectors(), d.policy());
        Analyzer a = analyzer(cfg);
        Collector c = collector(a, List.of());
        for (int i = 0; i < 30; i++) {          // 900 records within one millisecond
            c.offer(from("192.0.2.1", v5(T0, 30, 30 * i), T0 + i * 1000L));
        }
        c.offer(from("192.0.2.2", v5(T0, 30, 0), T0));    // another exporter has its own budget
        c.offer(from("192.0.2.1", v5(T0 + S, 30, 900), T0 + S));   // a second later: 100 more
        Analyzer.Result r = drain(c, a);

        ExporterStats one = a.exporterStats().stream().filter(s -> s.exporter.equals("192.0.2.1:2055")).findFirst()
                .orElseThrow();
        assertThat(one.records).isEqualTo(200 + 30);
        assertThat(one.overBudget).isEqualTo(700);
        assertThat(r.anomalies().get(Anomaly.export_record_budget_exceeded)).isEqualTo(700);
        assertThat(r.exports().records()).isEqualTo(200 + 30 + 30);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        c.report(new PrintStream(text, true, StandardCharsets.UTF_8), 1);
        assertThat(text.toString(StandardCharsets.UTF_8))
                .contains("exporter 192.0.2.1:2055 netflow5: packets 31, records 230, ")
                .contains("implausible 0, over budget 700, 230 records/s");
    }

    @Test
    void randomBytesFromEveryFormat_throughTheCollector_createNoIncident() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of());
        RandomExports random = new RandomExports(2026);
        String[] formats = {"v5", "v9", "ipfix", "sflow"};
        int n = 0;
        for (int i = 0; i < 2_000; i++) {
            for (String format : formats) {
                long arrival = T0 + n * 250_000L;
                c.offer(from("198.51.100." + (1 + n % 16), random.next(format, arrival), arrival));
                n++;
            }
            if (i % 500 == 499) {
                c.stop();          // drain now and then: the queue holds 65,536
                c.run();
                c = new Collector(a, 65_536, 256L << 20, null, S, () -> { }, new ExporterAllowList(List.of()));
            }
        }
        Analyzer.Result r = drain(c, a);
        long refused = r.anomalies().get(Anomaly.export_record_time_implausible)
                + r.anomalies().get(Anomaly.export_record_size_implausible)
                + r.anomalies().get(Anomaly.export_record_rate_implausible)
                + r.anomalies().get(Anomaly.export_sampling_rate_implausible)
                + r.anomalies().get(Anomaly.export_record_fields_invalid);

        assertThat(found).as("findings").isEmpty();
        assertThat(r.incidents()).isEmpty();
        assertThat(refused).isGreaterThan(10_000);
    }

    @Test
    void randomBytesFromSendersNotOnTheList_neverReachTheDecoders() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of("192.0.2.1"));
        RandomExports random = new RandomExports(7);
        for (int i = 0; i < 1_000; i++) {
            c.offer(from("198.51.100." + (i % 250), random.next("v5", T0 + i), T0 + i));
        }
        Analyzer.Result r = drain(c, a);

        assertThat(a.exporterStats()).isEmpty();
        assertThat(r.anomalies().get(Anomaly.export_exporter_not_allowed)).isEqualTo(1_000);
        assertThat(r.anomalies().get(Anomaly.export_version_unknown)).isZero();
        assertThat(c.allowList().refusedSources()).isEqualTo(250);
    }

    @Test
    void refusedSources_boundedTable() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of("192.0.2.1"));
        byte[] d = v5(T0, 1, 0);
        for (int i = 0; i < 3 * ExporterAllowList.MAX_SOURCES; i++) {
            IpAddr spoofed = new IpAddr(0, 0x0000_ffff_0a00_0000L | i);
            c.offer(new Datagram(d, spoofed.hi(), spoofed.lo(), 2055, T0));
        }
        drain(c, a);

        assertThat(c.allowList().refused()).isEqualTo(3L * ExporterAllowList.MAX_SOURCES);
        assertThat(c.allowList().refusedSources()).isEqualTo(ExporterAllowList.MAX_SOURCES);
        assertThat(c.refusedText()).startsWith(", not allowed 3,072 from at least 1,024 senders: ");
    }

    @Test
    void report_namesTheTopTenExportersAndSumsTheRestInOneLine() throws Exception {
        Analyzer a = analyzer(AnalyzerConfig.defaults());
        Collector c = collector(a, List.of());
        for (int e = 1; e <= 25; e++) {
            for (int k = 0; k < e; k++) {       // exporter 192.0.2.e sends e datagrams of 2 records
                c.offer(from("192.0.2." + e, v5(T0, 2, 2 * k), T0));
            }
        }
        c.stop();
        c.run();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        c.report(new PrintStream(text, true, StandardCharsets.UTF_8), 10);
        List<String> lines = text.toString(StandardCharsets.UTF_8).lines().toList();

        assertThat(lines).hasSize(Collector.TOP_EXPORTERS + 2);
        assertThat(lines.get(0)).startsWith("exporter 192.0.2.25:2055 netflow5: packets 25, records 50, ")
                .endsWith(", 5 records/s");
        assertThat(lines.get(9)).startsWith("exporter 192.0.2.16:2055 netflow5: ");
        // 1 + 2 + ... + 15 datagrams: 120 packets, 240 records
        assertThat(lines.get(10)).isEqualTo("exporters: 15 more: packets 120, records 240, template misses 0, "
                + "malformed 0, sequence gaps 0, counter samples 0, implausible 0, over budget 0, 24 records/s");
        assertThat(lines.get(11)).startsWith("collector: datagrams received 325, dropped 0 (queue full), queued 0");
    }
}
