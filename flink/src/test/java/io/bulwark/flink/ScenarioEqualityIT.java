package io.bulwark.flink;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;
import io.bulwark.simulate.Simulator;
import io.bulwark.transport.EdgeTap;
import io.bulwark.transport.EventCodec;
import io.bulwark.transport.TrafficEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One suite for both engines (architecture.md rule 4): every detector scenario of the app's suite
 * (app/src/test/resources/scenarios, packets and flows-only) is simulated, analysed by the
 * local engine with the edge recording its transport records, and the records are fed out
 * of order through the job's keyed function in Flink's operator harness. Both give the same
 * incidents, and every device's state and timers drain to zero at the end.
 */
class ScenarioEqualityIT {
    private static final Path SCENARIOS = Path.of("..", "app", "src", "test", "resources", "scenarios");
    private static final long BOUND = 5_000_000_000L;

    @TempDir
    Path tmp;

    static Stream<String> scenarios() throws IOException {
        try (Stream<Path> s = Files.list(SCENARIOS)) {
            List<String> names = s.filter(p -> Files.exists(p.resolve("scenario.json")))
                    .map(p -> p.getFileName().toString()).sorted().toList();
            assertThat(names).hasSizeGreaterThan(20);
            return names.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario_throughTheKeyedFunctionOutOfOrder_sameIncidentsAsLocalEngine(String name) throws Exception {
        JsonNode spec = new ObjectMapper().readTree(SCENARIOS.resolve(name).resolve("scenario.json").toFile());
        JsonNode sim = spec.get("simulate");
        Simulator.Options opts = Simulator.Options.defaults();
        if (sim.has("packets")) {
            opts = opts.withTargetPackets(sim.get("packets").asLong());
        }
        Path pcap = tmp.resolve(name + ".pcap");
        Simulator.write(sim.get("scenario").asText(), sim.get("seed").asLong(), pcap, opts);
        boolean flowsOnly = spec.has("analyze") && spec.get("analyze").toString().contains("--flows-only");

        AnalyzerConfig cfg = AnalyzerConfig.defaults().keyedOnly();
        List<byte[]> records = new ArrayList<>();
        EdgeTap tap = new EdgeTap(cfg.localNets(), new DeviceDetectors(Analyzer.detectors(cfg)), records::add);
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() {
        }, flowsOnly, tap);
        assertThat(a.add(pcap).error()).isNull();
        List<Incident> local = a.finish().incidents();
        assertThat(local).isNotEmpty();

        List<DeviceEvent> events = shuffledDeviceEvents(records, cfg.localNets(), name.hashCode());
        try (var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectFunction(JobSettings.defaults())), DeviceEvent::device, Types.STRING)) {
            h.open();
            long max = Long.MIN_VALUE;
            int n = 0;
            for (DeviceEvent e : events) {
                h.processElement(e, e.streamNanos());
                max = Math.max(max, e.streamNanos());
                if (++n % 500 == 0) {
                    h.processWatermark(max - BOUND);
                }
            }
            h.processWatermark(Long.MAX_VALUE);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(Outbreak.updateKeys(h.extractOutputValues())).containsExactlyElementsOf(Outbreak.keys(local));
        }
    }

    /**
     * The records routed to their devices as the job's route function does, each delayed by a
     * seeded random 0 to 2 s of stream time: out of order, within the watermark bound.
     */
    static List<DeviceEvent> shuffledDeviceEvents(List<byte[]> records, LocalNets nets, long seed) {
        java.util.Random r = new java.util.Random(seed);
        AnomalyCounters anomalies = new AnomalyCounters();
        record Delayed(long at, long i, DeviceEvent e) {
        }
        List<Delayed> d = new ArrayList<>();
        long i = 0;
        for (byte[] rec : records) {
            TrafficEvent e = EventCodec.decode(rec, anomalies);
            IpAddr src = e.flow() != null ? e.flow().src() : e.packet().src();
            IpAddr dst = e.flow() != null ? e.flow().dst() : e.packet().dst();
            long at = e.streamNanos() + (long) (r.nextDouble() * 2_000_000_000L);
            if (nets.isDevice(src.hi(), src.lo())) {
                d.add(new Delayed(at, i++, new DeviceEvent(src.toString(), e.streamNanos(), e.seq() * 2, true, rec)));
            }
            if (nets.isDevice(dst.hi(), dst.lo())) {
                d.add(new Delayed(at, i++, new DeviceEvent(dst.toString(), e.streamNanos(), e.seq() * 2 + 1, false, rec)));
            }
        }
        d.sort((x, y) -> x.at != y.at ? Long.compare(x.at, y.at) : Long.compare(x.i, y.i));
        return d.stream().map(Delayed::e).toList();
    }
}
