package io.bulwark.app.store;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.simulate.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Realistic store contents: what the real analyzer finds in the bundled sample
 * (samples/iot-lan-scan.pcap, one scanning DVR) and in the simulator's seeded mirai-outbreak
 * (scans, brute force, infections, floods and their victim). Computed once per JVM.
 */
final class Traffic {
    record Analysis(List<Incident> incidents, List<DeviceSummary> devices) {
    }

    private static Analysis cached;

    private Traffic() {
    }

    static synchronized Analysis get() {
        if (cached == null) {
            try {
                Path dir = Files.createTempDirectory("bulwark-store-traffic");
                Path outbreak = dir.resolve("mirai-outbreak.pcap");
                Simulator.write("mirai-outbreak", 1, outbreak, Simulator.Options.defaults());
                Analyzer.Result sample = analyze(sample());
                Analyzer.Result sim = analyze(outbreak);
                List<Incident> incidents = new ArrayList<>(sample.incidents());
                incidents.addAll(sim.incidents());
                // Both networks are 192.168.1.0/24: as in the store, the later analysis's
                // summary of an address replaces the earlier one.
                java.util.Map<String, DeviceSummary> byIp = new java.util.LinkedHashMap<>();
                sample.devices().forEach(d -> byIp.put(d.ip(), d));
                sim.devices().forEach(d -> byIp.put(d.ip(), d));
                List<DeviceSummary> devices = new ArrayList<>(byIp.values());
                Files.delete(outbreak);
                Files.delete(dir);
                cached = new Analysis(List.copyOf(incidents), List.copyOf(devices));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    static Path sample() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("samples/iot-lan-scan.pcap"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("samples/iot-lan-scan.pcap not found");
        }
        return p.resolve("samples/iot-lan-scan.pcap");
    }

    private static Analyzer.Result analyze(Path pcap) {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        Analyzer.InputStatus s = a.add(pcap);
        if (s.error() != null) {
            throw new IllegalStateException(pcap + ": " + s.error());
        }
        return a.finish();
    }
}
