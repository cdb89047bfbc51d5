package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.evidence.EvidenceArchive;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.detect.Finding;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code bulwark analyze INPUT... [--out DIR]}: the command-line contract of docs/architecture.md. */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Reads pcap, pcapng or Zeek conn.log files (recognised by content) and writes "
                + "incidents.ndjson, devices.ndjson and events.ndjson.")
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "capture or conn.log files")
    List<Path> inputs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bulwark-out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file overriding the embedded defaults")
    Path config;

    @Option(names = {"-q", "--quiet"}, description = "no progress and no summary")
    boolean quiet;

    @Option(names = "--evidence", paramLabel = "DIR", description = "keep evidence here: a pcapng excerpt and the record "
            + "of each incident, hashed into a signed append-only log (see bulwark evidence)")
    Path evidence;

    @Option(names = "--flows-only", description = "reduce captures to flow records first, as NetFlow/IPFIX "
            + "would give them, and detect from flows alone (no payload)")
    boolean flowsOnly;

    @Option(names = "--ioc", paramLabel = "FILE", description = "indicators of compromise: a STIX 2.1 bundle or a "
            + "text list (one address, domain or URL a line); replaces the config's ioc_file")
    Path ioc;

    @Option(names = "--mud", paramLabel = "FILE|URL", description = "a MUD file (RFC 8520), or an https:// MUD URL to "
            + "fetch, applied to devices that announce its URL in DHCP; repeatable; adds to the config's mud.profiles")
    List<String> mud = new ArrayList<>();

    @Option(names = "--mud-device", paramLabel = "ADDR=FILE", description = "assign a MUD file to a device by IP "
            + "or MAC address; repeatable; adds to the config's mud.devices")
    List<String> mudDevices = new ArrayList<>();

    @Option(names = "--scores", paramLabel = "FILE", description = "write the anomaly detector's score of every packet "
            + "and flow here, for bulwark score (tab-separated text)")
    Path scoresFile;

    @Mixin
    StoreOptions storage;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        try (StoreOptions.PendingStore store = storage.openInBackground()) {
            return run(store);
        }
    }

    /** What the store took, for the summary (null without a store). */
    private String storeLine;

    private Integer run(StoreOptions.PendingStore store) throws Exception {
        PrintStream err = System.err;
        byte[] configBytes = config == null ? null : ConfigFile.read(config);
        AnalyzerConfig asked = configBytes == null ? AnalyzerConfig.defaults() : ConfigFile.load(config, configBytes);
        if (ioc != null) {
            asked = asked.withIoc(asked.ioc().withList(IocFile.load(ioc)));
        }
        if (!mud.isEmpty() || !mudDevices.isEmpty()) {
            asked = asked.withPolicy(io.bulwark.app.mud.MudSetup.merge(asked.policy(), mud, mudDevices));
        }
        io.bulwark.detect.ioc.IocList iocs = asked.ioc().list();
        if (!quiet && (!iocs.isEmpty() || iocs.ignored() > 0 || iocs.dropped() > 0)) {
            // Said once up front: a partner feed whose patterns we cannot use should not look
            // like a quiet network.
            err.printf(Locale.ROOT, "bulwark: %,d indicators of compromise (%,d patterns ignored, %,d over the bound dropped)%n",
                    iocs.size(), iocs.ignored(), iocs.dropped());
        }
        AnalyzerConfig cfg = asked.fitTo(Runtime.getRuntime().maxMemory());
        if (cfg != asked) {
            err.printf(Locale.ROOT, "bulwark: lowered max_flows to %,d and max_devices to %,d to fit the %,d MiB heap (raise it with BULWARK_JAVA_OPTS=-Xmx...)%n",
                    cfg.flows().maxFlows(), cfg.maxDevices(), Runtime.getRuntime().maxMemory() >> 20);
        }
        long wallStart = System.nanoTime();
        java.time.Instant startedAt = java.time.Instant.now();   // the ingest record's wall time, not detection logic
        int fatal = 0;
        Analyzer.Result result;
        boolean published = true;
        try (RecordWriter writer = new RecordWriter(out); KafkaOptions.Edge edge = kafka.open(cfg);
             io.bulwark.app.score.ScoresWriter scoreOut = scoresFile == null ? null : new io.bulwark.app.score.ScoresWriter(scoresFile)) {
            Progress progress = new Progress(err, quiet);
            Analyzer[] self = new Analyzer[1];
            StoreFeed feed = store == null ? null : new StoreFeed(store::get, id -> self[0].incident(id), writer::storeCommit);
            Analyzer analyzer = new Analyzer(cfg, new Analyzer.Listener() {
                @Override
                public void finding(Finding f, String incidentId) {
                    writer.finding(f, incidentId);
                    if (feed != null) {
                        feed.found(incidentId);
                    }
                }

                @Override
                public void progress(String file, long done, long total, long packets) {
                    progress.update(file, done, total, packets);
                    if (feed != null) {
                        feed.tick();
                    }
                }

                @Override
                public boolean wantsScores() {
                    return scoreOut != null;
                }

                @Override
                public void packetScore(long number, long tsNanos, double score) {
                    scoreOut.packet(number, score);
                }

                @Override
                public void flowScore(io.bulwark.flow.FlowRecord f, io.bulwark.flow.IpAddr device, double score) {
                    scoreOut.flow(f, device, score);
                }
            }, flowsOnly, KafkaOptions.tap(edge));
            self[0] = analyzer;
            for (Path in : inputs) {
                Analyzer.InputStatus s = analyzer.add(in);
                progress.clear();
                if (s.error() != null) {
                    err.println("bulwark: " + s.error() + (s.fatal() ? "" : " (kept the " + s.packets() + " packets before it)"));
                }
                if (s.fatal()) {
                    fatal++;
                }
            }
            result = analyzer.finish();
            if (edge != null) {
                published = edge.finish(err, quiet);
            }
            writer.results(result, analyzer.exporterStats());
            if (feed != null) {
                feed.finish(result, "analyze", String.join(", ", inputs.stream()
                        .map(p -> p.getFileName() == null ? p.toString() : p.getFileName().toString()).toList()), startedAt);
                storeLine = String.format(Locale.ROOT, "store: %d incidents and %d devices committed (%d commits)",
                        result.incidents().size(), result.devices().size(), feed.commits());
            }
        }
        if (evidence != null) {
            EvidenceArchive.Recorded rec = EvidenceArchive.record(evidence, inputs, result.incidents(),
                    configBytes, java.time.Clock.systemUTC());
            if (!quiet) {
                err.printf(Locale.ROOT, "evidence: %d new excerpts, %d new incident records; log %s has %d entries, tree head signed%n",
                        rec.excerpts(), rec.incidents(), evidence.resolve("log"), rec.logSize());
            }
        }
        double secs = (System.nanoTime() - wallStart) / 1e9;
        if (!quiet) {
            summary(System.out, result, secs);
        }
        return fatal > 0 || !published ? 1 : 0;
    }

    private void summary(PrintStream o, Analyzer.Result r, double secs) {
        Analyzer.Stats s = r.stats();
        o.printf(Locale.ROOT, "bulwark analyze: %,d packets (%,d IP), %,d flows built, %,d flow records read, %,d devices%n",
                s.packets(), s.ipPackets(), s.flowsBuilt(), s.flowRecordsRead(), r.devices().size());
        if (r.exports().records() > 0) {
            o.printf(Locale.ROOT, "flow exports: %,d records, %,d packets, %,d bytes%n",
                    r.exports().records(), r.exports().packets(), r.exports().bytes());
        }
        StoreOptions.findings(o, r);
        if (!r.devices().isEmpty()) {
            java.util.Map<String, Long> classes = new java.util.TreeMap<>();
            long failing = 0;
            for (io.bulwark.inventory.DeviceSummary d : r.devices()) {
                classes.merge(d.profile().deviceClass(), 1L, Long::sum);
                if (d.posture().stream().anyMatch(c -> c.status() == io.bulwark.posture.PostureCheck.Status.failed)) {
                    failing++;
                }
            }
            StringBuilder sb = new StringBuilder();
            classes.forEach((k, n) -> sb.append(sb.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%,d %s", n, k)));
            o.printf(Locale.ROOT, "inventory: %s; %,d failing an ENISA baseline check (bulwark posture)%n", sb, failing);
        }
        o.printf(Locale.ROOT, "time: %.2f s, %,.0f packets/s%n", secs, s.packets() / Math.max(secs, 1e-9));
        o.println("output: " + out.toAbsolutePath());
        if (storeLine != null) {
            o.println(storeLine);
        }
    }

    /** Progress on stderr, only once a run has taken more than two seconds (wall clock, display only). */
    private static final class Progress {
        private final PrintStream err;
        private final boolean quiet;
        private final long start = System.nanoTime();
        private long lastPrint;
        private boolean shown;

        Progress(PrintStream err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        void update(String file, long done, long total, long packets) {
            long now = System.nanoTime();
            if (quiet || now - start < 2_000_000_000L || now - lastPrint < 500_000_000L) {
                return;
            }
            lastPrint = now;
            shown = true;
            double pct = total > 0 ? 100.0 * done / total : 0;
            double rate = packets / ((now - start) / 1e9);
            err.printf(Locale.ROOT, "\r%s: %5.1f%%  %,d records  %,.0f/s   ", file, pct, packets, rate);
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                shown = false;
            }
        }
    }
}
