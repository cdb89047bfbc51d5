package io.bulwark.app.cli;

import io.bulwark.app.output.Json;
import io.bulwark.flow.IpAddr;
import io.bulwark.simulate.Simulator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code bulwark simulate --scenario NAME --out FILE.pcap}: seeded, deterministic traffic.
 * With {@code --truth} it also writes the ground truth in the format of
 * ../shared/tools/score.py, so a simulated run can be scored like the real datasets.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = "Writes realistic, seeded traffic for demos and tests (nothing is sent on a network).")
final class SimulateCommand implements Callable<Integer> {
    @Option(names = "--list", description = "print the scenario names, one per line, and exit")
    boolean list;

    @Option(names = "--scenario", paramLabel = "NAME",
            description = "one of: ${COMPLETION-CANDIDATES}", completionCandidates = Scenarios.class)
    String scenario;

    @Option(names = "--out", paramLabel = "FILE.pcap")
    Path out;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--packets", paramLabel = "N", description = "frames to write (scenarios that take a size)")
    Long packets;

    @Option(names = "--start", paramLabel = "TIME", description = "traffic time of the start, RFC 3339 (default 2026-01-15T10:00:00Z)")
    Instant start;

    @Option(names = "--truth", paramLabel = "FILE.json", description = "also write the ground truth for score.py")
    Path truth;

    @Option(names = "--labels", paramLabel = "FILE", description = "also write per-frame ground truth (1 = caused by a "
            + "malicious actor), for bulwark score; scenarios mirai-outbreak and variant-p2p")
    Path labels;

    static final class Scenarios extends ArrayList<String> {
        private static final long serialVersionUID = 1L;

        Scenarios() {
            super(Simulator.scenarios());
        }
    }

    @Override
    public Integer call() throws Exception {
        if (list) {
            Simulator.scenarios().forEach(System.out::println);
            return 0;
        }
        if (scenario == null || out == null) {
            System.err.println("bulwark: simulate needs --scenario NAME and --out FILE.pcap (or --list)");
            return 2;
        }
        if (!Simulator.scenarios().contains(scenario)) {
            System.err.println("bulwark: unknown scenario " + scenario + "; known: " + String.join(", ", Simulator.scenarios()));
            return 2;
        }
        Simulator.Options opts = Simulator.Options.defaults();
        if (start != null) {
            opts = opts.withStart(start);
        }
        if (packets != null) {
            opts = opts.withTargetPackets(packets);
        }
        if (labels != null && !Simulator.labelled(scenario)) {
            System.err.println("bulwark: scenario " + scenario + " has no per-frame labels");
            return 2;
        }
        Simulator.Summary s = Simulator.write(scenario, seed, out, opts, labels);
        System.out.printf(Locale.ROOT, "%s: %,d packets, %,d bytes, %s of traffic, seed %d -> %s%n",
                scenario, s.packets(), s.bytes(), s.span(), seed, out);
        for (Simulator.Behaviour b : s.malicious()) {
            System.out.println("  malicious: " + b.host() + " " + b.kind() + (b.vector() == null ? "" : "/" + b.vector())
                    + " from " + Json.time(b.startNanos()));
        }
        if (truth != null) {
            Files.writeString(truth, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(truthOf(s)));
        }
        return 0;
    }

    private Map<String, Object> truthOf(Simulator.Summary s) {
        List<Map<String, Object>> expected = new ArrayList<>();
        for (Simulator.Behaviour b : s.malicious()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("host", b.host().toString());
            e.put("kind", b.kind());
            if (b.vector() != null && Simulator.DDOS.equals(b.kind())) {
                e.put("vector", b.vector());
            }
            e.put("start", Json.time(b.startNanos()));
            e.put("required", true);
            e.put("source", "bulwark simulate --scenario " + s.scenario() + " --seed " + s.seed());
            expected.add(e);
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("case", "simulate_" + s.scenario() + "_" + s.seed());
        t.put("input", out.getFileName().toString());
        t.put("infected", s.malicious().stream().map(b -> b.host().toString()).distinct().toList());
        t.put("expected", expected);
        t.put("victims", s.victims().stream().map(IpAddr::toString).toList());
        t.put("must_not", s.benignHosts().stream().map(IpAddr::toString).toList());
        return t;
    }
}
