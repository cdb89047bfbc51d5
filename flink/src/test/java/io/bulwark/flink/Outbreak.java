package io.bulwark.flink;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.incident.Incident;
import io.bulwark.simulate.Simulator;
import io.bulwark.transport.EdgeTap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The simulator's Mirai outbreak (seed 1, 2026-01-15, about 250,000 packets over 20 minutes),
 * analysed once per JVM by the local engine with an {@link EdgeTap} recording the transport
 * records the same run would publish to Kafka.
 */
final class Outbreak {
    final Path dir;
    final Path pcap;
    final List<Incident> localIncidents;
    final List<byte[]> records;
    final EdgeTap tap;

    private static Outbreak instance;

    private Outbreak(Path dir) throws IOException {
        this.dir = dir;
        this.pcap = dir.resolve("mirai-outbreak.pcap");
        Simulator.write("mirai-outbreak", 1, pcap, Simulator.Options.defaults());
        AnalyzerConfig cfg = AnalyzerConfig.defaults().keyedOnly();
        List<byte[]> out = new ArrayList<>();
        tap = new EdgeTap(cfg.localNets(), new DeviceDetectors(Analyzer.detectors(cfg)), out::add);
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() {
        }, false, tap);
        if (a.add(pcap).error() != null) {
            throw new IllegalStateException("simulated capture did not read cleanly");
        }
        localIncidents = a.finish().incidents();
        records = List.copyOf(out);
    }

    static synchronized Outbreak get() {
        if (instance == null) {
            try {
                Path d = Files.createTempDirectory("bulwark-outbreak");
                d.toFile().deleteOnExit();
                instance = new Outbreak(d);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /**
     * The records out of order, as several partitions and producers would deliver them: each
     * record moves by a seeded random delay of up to {@code maxDelayNanos} of stream time.
     * Records are never moved further than that, so a watermark bound above it keeps them all
     * on time.
     */
    List<byte[]> shuffled(long seed, long maxDelayNanos) {
        Random r = new Random(seed);
        record Delayed(long at, int i) {
        }
        List<Delayed> d = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            long t = io.bulwark.transport.EventCodec.streamNanos(records.get(i));
            d.add(new Delayed(t + (long) (r.nextDouble() * maxDelayNanos), i));
        }
        d.sort((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Integer.compare(a.i, b.i));
        List<byte[]> out = new ArrayList<>(d.size());
        for (Delayed x : d) {
            out.add(records.get(x.i));
        }
        return out;
    }

    /** (kind, host, detected_at) of each incident: what the two engines must agree on. */
    static TreeSet<String> keys(List<Incident> incidents) {
        return incidents.stream().map(i -> i.kind() + " " + i.host() + " " + i.detectedAt())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The same triple from the job's output: the latest update of each incident id. */
    static TreeSet<String> updateKeys(List<IncidentUpdate> updates) {
        java.util.Map<String, IncidentUpdate> last = new java.util.LinkedHashMap<>();
        for (IncidentUpdate u : updates) {
            last.put(u.id(), u);
        }
        return last.values().stream().map(u -> u.kind() + " " + u.host() + " " + u.detectedAt())
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
