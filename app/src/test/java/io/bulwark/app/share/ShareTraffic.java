package io.bulwark.app.share;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.incident.Incident;
import io.bulwark.simulate.Simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Incidents of the real analyzer on samples/iot-lan-scan.pcap (one scanning DVR) and on the
 * simulator's seeded mirai-outbreak (every kind Bulwark's detectors emit). Computed once per JVM.
 */
public final class ShareTraffic {
    private static List<Incident> cached;

    private ShareTraffic() {
    }

    public static synchronized List<Incident> incidents() {
        if (cached == null) {
            try {
                Path dir = Files.createTempDirectory("bulwark-share");
                Path outbreak = dir.resolve("mirai-outbreak.pcap");
                Simulator.write("mirai-outbreak", 1, outbreak, Simulator.Options.defaults());
                List<Incident> all = new ArrayList<>(analyze(sample()));
                all.addAll(analyze(outbreak));
                Files.delete(outbreak);
                Files.delete(dir);
                cached = List.copyOf(all);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return cached;
    }

    private static Path sample() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("samples/iot-lan-scan.pcap"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("samples/iot-lan-scan.pcap not found");
        }
        return p.resolve("samples/iot-lan-scan.pcap");
    }

    private static List<Incident> analyze(Path pcap) {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        Analyzer.InputStatus s = a.add(pcap);
        if (s.error() != null) {
            throw new IllegalStateException(pcap + ": " + s.error());
        }
        return a.finish().incidents();
    }
}
