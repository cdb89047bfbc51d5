package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.output.Json;
import io.bulwark.detect.scan.ScanConfig;
import io.bulwark.flow.FlowConfig;
import io.bulwark.net.LocalNets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads an {@code --config} JSON file over the embedded defaults. Only the keys present are
 * changed; unknown keys are an error, so that a typo never silently leaves a default in place.
 * Durations are in seconds. See docs/configuration.md.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    static AnalyzerConfig load(Path path) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(path.toFile());
        } catch (IOException e) {
            throw new IOException(path + ": cannot read config: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IOException(path + ": config must be a JSON object");
        }
        check(path, root, "", Set.of("local_nets", "max_devices", "incident_merge_gap_s", "flows", "scan"));
        AnalyzerConfig d = AnalyzerConfig.defaults();
        LocalNets nets = d.localNets();
        if (root.has("local_nets")) {
            List<String> cidrs = new ArrayList<>();
            root.get("local_nets").forEach(n -> cidrs.add(n.asText()));
            try {
                nets = LocalNets.of(cidrs);
            } catch (IllegalArgumentException e) {
                throw new IOException(path + ": local_nets: " + e.getMessage());
            }
        }
        FlowConfig f = d.flows();
        JsonNode fl = root.path("flows");
        if (fl.isObject()) {
            check(path, fl, "flows.", Set.of("max_flows", "tcp_idle_s", "udp_idle_s", "other_idle_s", "closed_s", "active_s", "attempt_s"));
            f = new FlowConfig(fl.path("max_flows").asInt(f.maxFlows()),
                    nanos(fl, "tcp_idle_s", f.tcpIdleNanos()), nanos(fl, "udp_idle_s", f.udpIdleNanos()),
                    nanos(fl, "other_idle_s", f.otherIdleNanos()), nanos(fl, "closed_s", f.closedNanos()),
                    nanos(fl, "active_s", f.activeNanos()), nanos(fl, "attempt_s", f.attemptNanos()));
        }
        ScanConfig s = d.scan();
        JsonNode sc = root.path("scan");
        if (sc.isObject()) {
            check(path, sc, "scan.", Set.of("window_s", "min_targets", "fingerprint_targets", "fingerprint_share",
                    "max_answered_share", "hll_precision", "max_evidence"));
            s = new ScanConfig(nanos(sc, "window_s", s.windowNanos()), sc.path("min_targets").asInt(s.minTargets()),
                    sc.path("fingerprint_targets").asInt(s.fingerprintTargets()),
                    sc.path("fingerprint_share").asDouble(s.fingerprintShare()),
                    sc.path("max_answered_share").asDouble(s.maxAnsweredShare()),
                    sc.path("hll_precision").asInt(s.hllPrecision()), sc.path("max_evidence").asInt(s.maxEvidence()));
        }
        return new AnalyzerConfig(f, s, d.c2(), d.infection(), d.ddos(), d.target(), nets, root.path("max_devices").asInt(d.maxDevices()),
                nanos(root, "incident_merge_gap_s", d.mergeGapNanos()));
    }

    private static long nanos(JsonNode n, String key, long dflt) {
        return n.has(key) ? Math.round(n.get(key).asDouble() * 1e9) : dflt;
    }

    private static void check(Path path, JsonNode n, String prefix, Set<String> known) throws IOException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IOException(path + ": unknown config key " + prefix + k);
            }
        }
    }
}
