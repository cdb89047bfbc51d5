package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.collect.Collector;
import io.bulwark.app.collect.ExporterAllowList;
import io.bulwark.app.collect.UdpListener;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.app.store.Store;
import io.bulwark.net.LocalNets;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bulwark collect --netflow HOST:PORT [--sflow HOST:PORT] [--exporter PREFIX...] [--out DIR]}:
 * a live flow collector running the detectors in flow mode. Only listed exporters are believed
 * when there is a list (collect.exporters, --exporter). Runs until SIGTERM (or Ctrl-C), then drains
 * what was received, ends every open flow and device, and writes the same three files as
 * {@code analyze}. events.ndjson gets each finding as it happens.
 */
@Command(name = "collect", mixinStandardHelpOptions = true,
        description = "Receives NetFlow v5/v9, IPFIX (one port, told apart by version) and sFlow v5 over UDP, "
                + "runs the detectors on the flows, and on SIGTERM writes incidents.ndjson, devices.ndjson and "
                + "events.ndjson.")
final class CollectCommand implements Callable<Integer> {
    @Option(names = "--netflow", paramLabel = "HOST:PORT", description = "listen for NetFlow v5/v9 and IPFIX (port 0: any free port)")
    String netflow;

    @Option(names = "--sflow", paramLabel = "HOST:PORT", description = "listen for sFlow v5")
    String sflow;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bulwark-out",
            description = "output directory (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file overriding the embedded defaults")
    Path config;

    @Option(names = "--stats-every", paramLabel = "SECONDS", defaultValue = "10",
            description = "print per-exporter counters this often (default: ${DEFAULT-VALUE}; 0: only at the end)")
    double statsEvery;

    @Option(names = "--queue", paramLabel = "DATAGRAMS", defaultValue = "65536",
            description = "datagrams waiting for the detectors before new ones are dropped and counted (default: ${DEFAULT-VALUE})")
    int queue;

    @Option(names = "--receive-buffer", paramLabel = "BYTES", defaultValue = "33554432",
            description = "socket receive buffer asked of the kernel (default: ${DEFAULT-VALUE}; capped by net.core.rmem_max)")
    int receiveBuffer;

    @Option(names = "--exporter", paramLabel = "ADDR[/LEN]",
            description = "take exports only from this address or prefix (repeatable; adds to collect.exporters; "
                    + "default: from any sender)")
    List<String> exporters = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "no counters and no summary")
    boolean quiet;

    @Mixin
    StoreOptions storage;

    @Mixin
    KafkaOptions kafka;

    @Override
    public Integer call() throws Exception {
        if (netflow == null && sflow == null) {
            System.err.println("bulwark collect: give --netflow HOST:PORT and/or --sflow HOST:PORT");
            return 2;
        }
        for (String e : exporters) {
            try {
                LocalNets.of(List.of(e));
            } catch (IllegalArgumentException x) {
                System.err.println("bulwark collect: --exporter: " + x.getMessage());
                return 2;
            }
        }
        try (Store store = storage.open()) {
            return run(store);
        } finally {
            // Only now may the shutdown hook return (and the JVM halt): the events file and the
            // store are closed, so nothing written at shutdown is lost.
            done.countDown();
        }
    }

    private final CountDownLatch done = new CountDownLatch(1);

    private Integer run(Store store) throws Exception {
        PrintStream err = System.err;
        java.time.Instant startedAt = java.time.Instant.now();   // the ingest record's wall time
        AnalyzerConfig cfg = AnalyzerConfig.defaults();
        List<String> allowed = new ArrayList<>();
        if (config != null) {
            byte[] bytes = ConfigFile.read(config);
            cfg = ConfigFile.load(config, bytes);
            allowed.addAll(ConfigFile.exporters(config, bytes));
        }
        cfg = cfg.fitTo(Runtime.getRuntime().maxMemory());
        allowed.addAll(exporters);
        ExporterAllowList allow = new ExporterAllowList(allowed);
        List<UdpListener> listeners = new ArrayList<>();
        Analyzer.Result result;
        Collector collector;
        boolean published = true;
        try (RecordWriter writer = new RecordWriter(out); KafkaOptions.Edge edge = kafka.open(cfg)) {
            Analyzer[] self = new Analyzer[1];
            StoreFeed feed = store == null ? null : new StoreFeed(() -> store, id -> self[0].incident(id), writer::storeCommit);
            Analyzer analyzer = new Analyzer(cfg, Sensor.listener(writer, feed, null), true, KafkaOptions.tap(edge));
            self[0] = analyzer;
            collector = new Collector(analyzer, queue, 256L << 20, quiet || statsEvery <= 0 ? null : err,
                    (long) (Math.max(statsEvery, 0.1) * 1e9), feed == null ? () -> { } : feed::tick, allow);
            Clock clock = Clock.systemUTC();   // arrival stamps only; detection runs on the exports' times
            try {
                if (netflow != null) {
                    listeners.add(new UdpListener("netflow", address(netflow), receiveBuffer, collector, clock));
                }
                if (sflow != null) {
                    listeners.add(new UdpListener("sflow", address(sflow), receiveBuffer, collector, clock));
                }
            } catch (IOException e) {
                for (UdpListener l : listeners) {
                    l.close();
                }
                err.println("bulwark collect: cannot listen: " + e.getMessage());
                return 2;
            }
            warnWithoutAllowList(err, allow, listeners);
            for (UdpListener l : listeners) {
                InetSocketAddress a = l.local();
                err.printf(Locale.ROOT, "bulwark collect: listening for %s on %s:%d%n",
                        l.name().equals("netflow") ? "NetFlow v5/v9 and IPFIX" : "sFlow v5",
                        a.getAddress().getHostAddress(), a.getPort());
                if (l.grantedReceiveBuffer() < receiveBuffer) {
                    err.printf(Locale.ROOT, "bulwark collect: warning: the kernel granted a %,d-byte receive buffer of the %,d asked; "
                            + "export bursts may be lost (raise net.core.rmem_max)%n", l.grantedReceiveBuffer(), receiveBuffer);
                }
                Thread t = new Thread(l, "bulwark-" + l.name());
                t.setDaemon(true);
                t.start();
            }
            Sensor.onShutdown("collect", () -> {
                for (UdpListener l : listeners) {
                    try {
                        l.close();
                    } catch (IOException ignored) {
                        // closing a UDP socket cannot lose data we still need
                    }
                }
                collector.stop();
            }, done);
            try {
                collector.run();
                result = analyzer.finish();
                if (edge != null) {
                    published = edge.finish(err, quiet);
                }
                writer.results(result, analyzer.exporterStats());
                if (feed != null) {
                    feed.finish(result, "collect", String.join(", ",
                            netflow == null ? "" : "netflow " + netflow, sflow == null ? "" : "sflow " + sflow).replaceAll("^, |, $", ""),
                            startedAt);
                }
                if (!quiet) {
                    collector.report(err, 0);
                    summary(err, result, collector);
                }
            } finally {
                collector.stop();
            }
        }
        if (collector.failure() != null) {
            err.println("bulwark collect: " + collector.failure());
            return 1;
        }
        return published ? 0 : 1;
    }

    /**
     * One line when no exporter is listed and a socket is reachable from beyond this host: then
     * anyone who can send it UDP is believed.
     */
    static void warnWithoutAllowList(PrintStream err, ExporterAllowList allow, List<UdpListener> listeners) {
        if (!allow.isEmpty()) {
            List<String> p = allow.prefixes();
            err.printf(Locale.ROOT, "bulwark collect: taking exports only from %s%s%n", String.join(", ", p.subList(0, Math.min(8, p.size()))),
                    p.size() > 8 ? String.format(Locale.ROOT, " and %,d more", p.size() - 8) : "");
            return;
        }
        List<String> open = new ArrayList<>();
        for (UdpListener l : listeners) {
            if (!l.local().getAddress().isLoopbackAddress()) {
                String host = io.bulwark.flow.IpAddr.fromBytes(l.local().getAddress().getAddress()).toString();
                open.add((host.contains(":") ? "[" + host + "]" : host) + ":" + l.local().getPort());
            }
        }
        if (!open.isEmpty()) {
            err.printf(Locale.ROOT, "bulwark collect: warning: no exporter allow-list: any host that can send UDP to %s "
                    + "is believed; list your exporters in collect.exporters or with --exporter%n", String.join(" and ", open));
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("not HOST:PORT: " + hostPort);
        }
        String host = hostPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a port number in " + hostPort);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + hostPort);
        }
        return new InetSocketAddress(host, port);
    }

    private void summary(PrintStream o, Analyzer.Result r, Collector c) {
        Analyzer.Stats s = r.stats();
        o.printf(Locale.ROOT, "bulwark collect: %,d datagrams (%,d dropped), %,d export records (%,d packets, %,d bytes), "
                        + "%,d flows after pairing, %,d devices%n",
                c.received(), c.dropped(), r.exports().records(), r.exports().packets(), r.exports().bytes(),
                s.flowRecordsRead(), r.devices().size());
        if (c.allowList().refused() > 0) {
            o.printf(Locale.ROOT, "bulwark collect: refused %,d datagrams from %s%,d senders not on the exporter allow-list "
                            + "(anomaly export_exporter_not_allowed)%n", c.allowList().refused(),
                    c.allowList().refusedSources() >= ExporterAllowList.MAX_SOURCES ? "at least " : "",
                    c.allowList().refusedSources());
        }
        StoreOptions.findings(o, r);
        o.println("output: " + out.toAbsolutePath());
    }
}
