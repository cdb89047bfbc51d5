package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.capture.Dumpcap;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.app.store.Store;
import io.bulwark.decode.capture.InterfaceStatistics;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bulwark capture -i IFACE [-i IFACE]... [--filter BPF] [--snaplen N] --out DIR}: a live
 * sensor. Wireshark's dumpcap captures (it holds the privileges, applies the BPF filter in the
 * kernel) and writes pcapng to a pipe; the detectors read it as a stream, in traffic time, as
 * {@code analyze} reads a file. Runs until SIGTERM (or Ctrl-C): dumpcap is told to stop, writes
 * its drop counters and closes the pipe; what it had is read to the end, every open flow and
 * device ended, and the same three files written as {@code analyze}. events.ndjson gets each
 * finding as it happens and the drop counters as dumpcap gives them (docs/capture.md).
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Captures on network interfaces through dumpcap (Wireshark's capture engine), runs the detectors "
                + "on the packets, and on SIGTERM writes incidents.ndjson, devices.ndjson and events.ndjson.")
final class CaptureCommand implements Callable<Integer> {
    @Option(names = {"-i", "--interface"}, paramLabel = "IFACE", required = true,
            description = "capture on this interface (repeatable)")
    List<String> interfaces = new ArrayList<>();

    @Option(names = {"-f", "--filter"}, paramLabel = "BPF", description = "capture filter in libpcap syntax, applied in the kernel")
    String filter;

    @Option(names = {"-s", "--snaplen"}, paramLabel = "BYTES", defaultValue = "0",
            description = "bytes kept of each packet (default: dumpcap's, 262144)")
    int snaplen;

    @Option(names = "--buffer", paramLabel = "MiB", defaultValue = "32",
            description = "kernel capture buffer per interface (default: ${DEFAULT-VALUE}; dumpcap's own is 2)")
    int bufferMiB;

    @Option(names = "--dumpcap", paramLabel = "PATH", defaultValue = "dumpcap",
            description = "the dumpcap program (default: ${DEFAULT-VALUE}, from PATH; Debian package wireshark-common)")
    String dumpcapPath;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bulwark-out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file overriding the embedded defaults")
    Path config;

    @Option(names = "--stats-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "print counters this often (default: ${DEFAULT-VALUE}; 0: only at the end)")
    double statsEvery;

    @Option(names = {"-q", "--quiet"}, description = "no counters and no summary")
    boolean quiet;

    @Mixin
    StoreOptions storage;

    @Mixin
    KafkaOptions kafka;

    private final CountDownLatch done = new CountDownLatch(1);
    /** The latest ISB of each interface, by name; read by the stats thread. */
    private final Map<String, InterfaceStatistics> latest = new ConcurrentHashMap<>();
    private volatile long packetsSoFar;

    @Override
    public Integer call() throws Exception {
        if (snaplen < 0 || bufferMiB < 0) {
            System.err.println("bulwark capture: --snaplen and --buffer must not be negative");
            return 2;
        }
        try (Store store = storage.open()) {
            return run(store);
        } finally {
            // Only now may the shutdown hook return (and the JVM halt): outputs and store are closed.
            done.countDown();
        }
    }

    private Integer run(Store store) throws Exception {
        PrintStream err = System.err;
        java.time.Instant startedAt = java.time.Instant.now();   // the ingest record's wall time
        AnalyzerConfig cfg = config == null ? AnalyzerConfig.defaults() : ConfigFile.load(config, ConfigFile.read(config));
        cfg = cfg.fitTo(Runtime.getRuntime().maxMemory());
        List<String> cmd = Dumpcap.command(dumpcapPath, interfaces, filter, snaplen, bufferMiB);
        Dumpcap dumpcap;
        try {
            dumpcap = Dumpcap.start(cmd, quiet ? null : err);
        } catch (IOException e) {
            err.println("bulwark capture: cannot run " + dumpcapPath + " (" + Main.oneLine(e)
                    + "); install it (Debian: apt install wireshark-common) or give --dumpcap PATH");
            return 1;
        }
        String source = String.join(", ", interfaces);
        Analyzer.Result result;
        Analyzer.InputStatus status;
        boolean published = true;
        Thread stats = null;
        try (RecordWriter writer = new RecordWriter(out); KafkaOptions.Edge edge = kafka.open(cfg)) {
            Analyzer[] self = new Analyzer[1];
            StoreFeed feed = store == null ? null : new StoreFeed(() -> store, id -> self[0].incident(id), writer::storeCommit);
            Analyzer analyzer = new Analyzer(cfg, Sensor.listener(writer, feed, p -> packetsSoFar = p), false,
                    KafkaOptions.tap(edge));
            self[0] = analyzer;
            Sensor.onShutdown("capture", dumpcap::stop, done);
            if (!quiet && statsEvery > 0) {
                stats = new Thread(() -> statsLoop(err, (long) (statsEvery * 1000)), "bulwark-capture-stats");
                stats.setDaemon(true);
                stats.start();
            }
            status = analyzer.add(dumpcap.output(), "capture:" + source, s -> {
                String name = s.interfaceName() != null ? s.interfaceName() : "if" + s.interfaceId();
                latest.put(name, s);
                // The ISB's own timestamp is left out: dumpcap 4.0 wrote it in another resolution
                // than its interface's (docs/capture.md), and it is the engine's clock anyway.
                writer.captureStats(name, s.received(), s.dropped(), s.osDropped(), -1, -1, -1, false);
            });
            if (stats != null) {
                stats.interrupt();
            }
            int exit = dumpcap.await(30);
            boolean died = !dumpcap.stopRequested();
            if (status.fatal()) {
                // Nothing came through the pipe: dumpcap could not start capturing.
                String why = dumpcap.failure();
                err.println("bulwark capture: dumpcap " + (exit >= 0 ? "exited with status " + exit : "did not exit")
                        + (why != null ? ": " + why : ": " + status.error()));
                if (died) {
                    return 1;
                }
            } else if (died) {
                String why = dumpcap.failure();
                err.println("bulwark capture: dumpcap stopped on its own (exit status " + exit + ")"
                        + (why != null ? ": " + why : "") + "; writing what was found");
            } else if (status.error() != null) {
                err.println("bulwark capture: " + status.error());
            }
            for (String i : interfaces) {
                InterfaceStatistics isb = latest.get(i);
                Dumpcap.ExitStats x = dumpcap.exitStats(i);
                if (isb != null || x != null) {
                    writer.captureStats(i,
                            x != null ? x.received() : isb.received(), isb != null && isb.dropped() >= 0 ? isb.dropped()
                                    : x.dropped(),
                            isb == null ? -1 : isb.osDropped(), x == null ? -1 : x.kernelDropped(),
                            x == null ? -1 : x.engineDropped() + x.flushed(), x == null ? -1 : x.interfaceDropped(), true);
                }
            }
            result = analyzer.finish();
            if (edge != null) {
                published = edge.finish(err, quiet);
            }
            writer.results(result, analyzer.exporterStats());
            if (feed != null) {
                feed.finish(result, "capture", source, startedAt);
            }
            if (!quiet) {
                summary(err, result, dumpcap);
            }
            if (died || status.fatal()) {
                return 1;
            }
        } finally {
            if (stats != null) {
                stats.interrupt();
            }
        }
        return published ? 0 : 1;
    }

    /** The periodic line (wall clock: reporting only, never detection). */
    private void statsLoop(PrintStream err, long everyMillis) {
        long lastPackets = 0;
        long last = System.nanoTime();
        try {
            while (true) {
                Thread.sleep(everyMillis);
                long now = System.nanoTime();
                long p = packetsSoFar;
                err.printf(Locale.ROOT, "capture: packets %,d (%,.0f/s); %s%n", p,
                        (p - lastPackets) / Math.max((now - last) / 1e9, 1e-9), drops());
                lastPackets = p;
                last = now;
            }
        } catch (InterruptedException e) {
            // stopped
        }
    }

    /** Drop counters as of the latest ISB of each interface, or that dumpcap has not given them yet. */
    private String drops() {
        StringBuilder b = new StringBuilder();
        for (String i : interfaces) {
            InterfaceStatistics s = latest.get(i);
            b.append(b.length() == 0 ? "" : "; ").append(i).append(": ");
            if (s == null) {
                b.append("drops not reported yet (dumpcap reports them when it stops)");
            } else {
                b.append(String.format(Locale.ROOT, "received %s, dropped %s (kernel and dumpcap)",
                        count(s.received()), count(s.dropped())));
            }
        }
        return b.toString();
    }

    private static String count(long v) {
        return v < 0 ? "unknown" : String.format(Locale.ROOT, "%,d", v);
    }

    private void summary(PrintStream o, Analyzer.Result r, Dumpcap dumpcap) {
        Analyzer.Stats s = r.stats();
        o.printf(Locale.ROOT, "bulwark capture: %,d packets (%,d IP), %,d flows built, %,d devices%n",
                s.packets(), s.ipPackets(), s.flowsBuilt(), r.devices().size());
        for (String i : interfaces) {
            InterfaceStatistics isb = latest.get(i);
            Dumpcap.ExitStats x = dumpcap.exitStats(i);
            if (x != null) {
                o.printf(Locale.ROOT, "capture %s: received %,d, dropped %,d (kernel %,d, dumpcap %,d, interface %,d)%n",
                        i, x.received(), x.dropped(), x.kernelDropped(), x.engineDropped() + x.flushed(), x.interfaceDropped());
            } else if (isb != null) {
                o.printf(Locale.ROOT, "capture %s: received %s, dropped %s (kernel and dumpcap)%n",
                        i, count(isb.received()), count(isb.dropped()));
            } else {
                o.printf(Locale.ROOT, "capture %s: WARNING: dumpcap reported no drop counters; losses unknown%n", i);
            }
        }
        StoreOptions.findings(o, r);
        o.println("output: " + out.toAbsolutePath());
    }
}
