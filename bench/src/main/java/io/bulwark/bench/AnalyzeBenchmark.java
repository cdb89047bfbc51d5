package io.bulwark.bench;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.simulate.Simulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The whole local engine in steady state: capture reading, decoding, the flow table, all
 * detectors and the incident builder, on a 300,000-packet {@code bench} capture from the
 * simulator (written once to a temporary file). Reports packets/s. Output writing and JVM
 * start-up are not included; bench/compare.sh measures the whole command.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class AnalyzeBenchmark {
    static final int PACKETS = 300_000;
    private Path capture;

    /** With and without the anomaly detector, to show its cost (docs/anomaly.md). */
    @Param({"true", "false"})
    public boolean anomaly;

    @Setup(Level.Trial)
    public void write() throws IOException {
        capture = Files.createTempFile("bulwark-bench", ".pcap");
        Simulator.write("bench", 1, capture, Simulator.Options.defaults().withTargetPackets(PACKETS));
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(capture);
    }

    @Benchmark
    @OperationsPerInvocation(PACKETS)
    public int analyze() {
        AnalyzerConfig cfg = AnalyzerConfig.defaults();
        if (!anomaly) {
            io.bulwark.detect.anomaly.AnomalyConfig d = cfg.anomaly();
            cfg = cfg.withAnomaly(d.disabled());
        }
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() { });
        a.add(capture);
        return a.finish().incidents().size();
    }
}
