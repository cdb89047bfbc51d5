package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.TextFiles;
import io.bulwark.app.output.Json;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.detect.anomaly.AnomalyConfig;
import io.bulwark.detect.bruteforce.BruteforceConfig;
import io.bulwark.detect.c2.C2Config;
import io.bulwark.detect.ddos.DdosConfig;
import io.bulwark.detect.ddostarget.TargetConfig;
import io.bulwark.detect.infection.InfectionConfig;
import io.bulwark.detect.ioc.IocConfig;
import io.bulwark.detect.scan.ScanConfig;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowStitcher;
import io.bulwark.net.LocalNets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Reads an {@code --config} JSON file over the embedded defaults. Only the keys present are
 * changed; an unknown key or an out-of-range value is an error naming the file and the key,
 * so that a typo never silently leaves a default in place. Durations are in seconds. See
 * docs/configuration.md.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** A config file is a few kilobytes; a larger "file" (/dev/zero, a capture given by mistake) is refused. */
    static final long MAX_BYTES = 4L << 20;

    static AnalyzerConfig load(Path path) throws IOException {
        return load(path, read(path));
    }

    /** The config file's bytes, with the one-line error of {@link #load}. */
    static byte[] read(Path path) throws IOException {
        try {
            return TextFiles.readBounded(path, MAX_BYTES);
        } catch (IOException e) {
            throw new IOException(path + ": cannot read config: " + Main.reason(e));
        }
    }

    /** Parses {@code bytes}, the content of {@code path} read once (analyze also hashes them for the evidence). */
    static AnalyzerConfig load(Path path, byte[] bytes) throws IOException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new IOException(path + ": cannot read config: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject()) {
            throw new IOException(path + ": config must be a JSON object");
        }
        try {
            return parse(path, root);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage());
        }
    }

    private static AnalyzerConfig parse(Path path, JsonNode root) throws IOException {
        check(path, root, "", Set.of("local_nets", "max_devices", "flows", "scan", "c2", "infection", "ddos", "ddos_target",
                "bruteforce", "exports", "ioc_file", "mud", "anomaly", "detectors", "collect"));
        AnalyzerConfig d = AnalyzerConfig.defaults();
        LocalNets nets = root.has("local_nets") ? LocalNets.of(strings(root.get("local_nets"))) : d.localNets();

        FlowConfig f = d.flows();
        JsonNode n = root.path("flows");
        check(path, n, "flows.", Set.of("max_flows", "tcp_idle_s", "udp_idle_s", "other_idle_s", "closed_s", "active_s", "attempt_s",
                "export_active_s"));
        f = new FlowConfig(n.path("max_flows").asInt(f.maxFlows()), nanos(n, "tcp_idle_s", f.tcpIdleNanos()),
                nanos(n, "udp_idle_s", f.udpIdleNanos()), nanos(n, "other_idle_s", f.otherIdleNanos()),
                nanos(n, "closed_s", f.closedNanos()), nanos(n, "active_s", f.activeNanos()),
                nanos(n, "attempt_s", f.attemptNanos()), nanos(n, "export_active_s", f.exportActiveNanos()));

        ScanConfig s = d.scan();
        n = root.path("scan");
        check(path, n, "scan.", Set.of("window_s", "min_targets", "fingerprint_targets", "fingerprint_share",
                "max_answered_share", "hll_precision", "max_evidence"));
        s = new ScanConfig(nanos(n, "window_s", s.windowNanos()), n.path("min_targets").asInt(s.minTargets()),
                n.path("fingerprint_targets").asInt(s.fingerprintTargets()),
                n.path("fingerprint_share").asDouble(s.fingerprintShare()),
                n.path("max_answered_share").asDouble(s.maxAnsweredShare()),
                n.path("hll_precision").asInt(s.hllPrecision()), n.path("max_evidence").asInt(s.maxEvidence()));

        C2Config c = d.c2();
        n = root.path("c2");
        check(path, n, "c2.", Set.of("peer_slots", "min_attempts", "min_span_s", "min_unanswered_share",
                "min_periodic_repeats", "max_period_cv", "min_period_s", "max_period_s", "keepalive_max_payload",
                "min_keepalives", "connectivity_window_s", "report_ports", "service_ports"));
        c = new C2Config(n.path("peer_slots").asInt(c.peerSlots()), n.path("min_attempts").asInt(c.minAttempts()),
                nanos(n, "min_span_s", c.minSpanNanos()), n.path("min_unanswered_share").asDouble(c.minUnansweredShare()),
                n.path("min_periodic_repeats").asInt(c.minPeriodicRepeats()), n.path("max_period_cv").asDouble(c.maxPeriodCv()),
                nanos(n, "min_period_s", c.minPeriodNanos()), nanos(n, "max_period_s", c.maxPeriodNanos()),
                n.path("keepalive_max_payload").asInt(c.keepaliveMaxPayload()), n.path("min_keepalives").asInt(c.minKeepalives()),
                nanos(n, "connectivity_window_s", c.connectivityWindowNanos()),
                n.has("report_ports") ? ports(n.get("report_ports")) : c.reportPorts(),
                n.has("service_ports") ? ports(n.get("service_ports")) : c.servicePorts());

        InfectionConfig i = d.infection();
        n = root.path("infection");
        check(path, n, "infection.", Set.of("min_binary_bytes", "max_binary_bytes", "min_downloads", "window_s",
                "download_ports", "telnet_ports"));
        i = new InfectionConfig(n.path("min_binary_bytes").asLong(i.minBinaryBytes()),
                n.path("max_binary_bytes").asLong(i.maxBinaryBytes()), n.path("min_downloads").asInt(i.minDownloads()),
                nanos(n, "window_s", i.windowNanos()),
                n.has("download_ports") ? ports(n.get("download_ports")) : i.downloadPorts(),
                n.has("telnet_ports") ? ports(n.get("telnet_ports")) : i.telnetPorts());

        DdosConfig o = d.ddos();
        n = root.path("ddos");
        check(path, n, "ddos.", Set.of("window_s", "floor_pps", "young_floor_pps", "learn_s", "factor",
                "max_reply_share", "victim_share"));
        o = new DdosConfig(nanos(n, "window_s", o.windowNanos()), n.path("floor_pps").asDouble(o.floorPps()),
                n.path("young_floor_pps").asDouble(o.youngFloorPps()), nanos(n, "learn_s", o.learnNanos()),
                n.path("factor").asDouble(o.factor()), n.path("max_reply_share").asDouble(o.maxReplyShare()),
                n.path("victim_share").asDouble(o.victimShare()));

        TargetConfig t = d.target();
        n = root.path("ddos_target");
        check(path, n, "ddos_target.", Set.of("protected_nets", "window_s", "pps_limit", "mbps_limit", "floor_pps",
                "factor", "learn_s", "min_sources", "min_relative_sources"));
        t = new TargetConfig(n.has("protected_nets") ? strings(n.get("protected_nets")) : t.protectedNets(),
                nanos(n, "window_s", t.windowNanos()), n.path("pps_limit").asDouble(t.ppsLimit()),
                n.path("mbps_limit").asDouble(t.mbpsLimit()), n.path("floor_pps").asDouble(t.floorPps()),
                n.path("factor").asDouble(t.factor()), nanos(n, "learn_s", t.learnNanos()),
                n.path("min_sources").asInt(t.minSources()), n.path("min_relative_sources").asInt(t.minRelativeSources()));
        if (!t.protectedNets().isEmpty()) {
            LocalNets.of(t.protectedNets());
        }
        BruteforceConfig b = d.bruteforce();
        n = root.path("bruteforce");
        check(path, n, "bruteforce.", Set.of("login_ports", "window_s", "min_inbound", "min_outbound",
                "min_outbound_hosts", "min_flow_attempts", "max_credentials", "sessions", "min_probes"));
        b = new BruteforceConfig(n.has("login_ports") ? ports(n.get("login_ports")) : b.loginPorts(),
                nanos(n, "window_s", b.windowNanos()), n.path("min_inbound").asInt(b.minInbound()),
                n.path("min_outbound").asInt(b.minOutbound()), n.path("min_outbound_hosts").asInt(b.minOutboundHosts()),
                n.path("min_flow_attempts").asInt(b.minFlowAttempts()), n.path("max_credentials").asInt(b.maxCredentials()),
                n.path("sessions").asInt(b.sessions()), n.path("min_probes").asInt(b.minProbes()));
        FlowStitcher.Config x = d.stitch();
        n = root.path("exports");
        check(path, n, "exports.", Set.of("pair_s", "max_pending", "lateness_s", "max_reorder", "max_link_gbps",
                "max_record_age_s", "max_records_per_s", "max_records_burst"));
        ExportBounds eb = x.bounds();
        eb = new ExportBounds(n.has("max_link_gbps") ? n.get("max_link_gbps").asDouble() * 1e9 : eb.maxLinkBitsPerSecond(),
                nanos(n, "max_record_age_s", eb.maxRecordAgeNanos()),
                n.path("max_records_per_s").asDouble(eb.maxRecordsPerSecond()),
                n.path("max_records_burst").asDouble(eb.maxRecordsBurst()));
        x = new FlowStitcher.Config(nanos(n, "pair_s", x.pairNanos()), n.path("max_pending").asInt(x.maxPending()),
                nanos(n, "lateness_s", x.latenessNanos()), n.path("max_reorder").asInt(x.maxReorder()), eb);
        if (x.maxPending() < 1 || x.maxReorder() < 1) {
            throw new IOException(path + ": exports.max_pending and exports.max_reorder must be at least 1");
        }
        exporters(path, root);
        IocConfig ioc = d.ioc();
        if (root.has("ioc_file")) {
            // Relative to the config file, so that a config and its list can move together.
            Path list = path.toAbsolutePath().resolveSibling(root.get("ioc_file").asText());
            ioc = ioc.withList(IocFile.load(list));
        }
        check(path, root.path("mud"), "mud.", io.bulwark.app.mud.MudSetup.KEYS);
        io.bulwark.detect.policy.PolicyConfig policy = new io.bulwark.app.mud.MudSetup()
                .config(root.path("mud"), path.toAbsolutePath().getParent()).toConfig();
        AnomalyConfig a = d.anomaly();
        n = root.path("anomaly");
        check(path, n, "anomaly.", Set.of("enabled", "tick_s", "grace_s", "min_ticks", "learn_ticks", "drift", "quantile",
                "factor", "min_score", "hot_ticks", "gap_s", "known_weight", "min_volume_z"));
        a = new AnomalyConfig(n.path("enabled").asBoolean(a.enabled()), nanos(n, "tick_s", a.tickNanos()),
                nanos(n, "grace_s", a.graceNanos()), n.path("min_ticks").asInt(a.minTicks()),
                n.path("learn_ticks").asInt(a.learnTicks()), n.path("drift").asDouble(a.drift()),
                n.path("quantile").asDouble(a.quantile()), n.path("factor").asDouble(a.factor()),
                n.path("min_score").asDouble(a.minScore()), n.path("hot_ticks").asInt(a.hotTicks()),
                nanos(n, "gap_s", a.gapNanos()), n.path("known_weight").asDouble(a.knownWeight()),
                n.path("min_volume_z").asDouble(a.minVolumeZ()));
        Set<String> detectors = root.has("detectors") ? new HashSet<>(strings(root.get("detectors"))) : Set.of();
        if (root.has("detectors") && detectors.isEmpty()) {
            throw new IOException(path + ": detectors must name at least one detector");
        }
        return new AnalyzerConfig(f, s, c, i, o, t, b, ioc, a, nets, root.path("max_devices").asInt(d.maxDevices()), x, detectors,
                policy);
    }

    /**
     * {@code collect.exporters}: the addresses and prefixes {@code bulwark collect} takes exports
     * from (empty: any sender), from the config file's bytes, read once.
     */
    static List<String> exporters(Path path, byte[] bytes) throws IOException {
        try {
            return exporters(path, Json.MAPPER.readTree(bytes));
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": " + e.getMessage());
        }
    }

    private static List<String> exporters(Path path, JsonNode root) throws IOException {
        JsonNode n = root.path("collect");
        check(path, n, "collect.", Set.of("exporters"));
        if (!n.has("exporters")) {
            return List.of();
        }
        if (!n.get("exporters").isArray()) {
            throw new IOException(path + ": collect.exporters must be a list of addresses or prefixes");
        }
        List<String> out = strings(n.get("exporters"));
        try {
            LocalNets.of(out);
        } catch (IllegalArgumentException e) {
            throw new IOException(path + ": collect.exporters: " + e.getMessage());
        }
        return out;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static Set<Integer> ports(JsonNode n) {
        Set<Integer> out = new HashSet<>();
        for (JsonNode x : n) {
            int p = x.asInt(-1);
            if (p < 0 || p > 65535) {
                throw new IllegalArgumentException("not a port: " + x);
            }
            out.add(p);
        }
        return out;
    }

    /** Seconds as nanoseconds; at most 100 years, so that no timeout overflows when added to a time. */
    private static long nanos(JsonNode n, String key, long dflt) {
        if (!n.has(key)) {
            return dflt;
        }
        double s = n.get(key).asDouble(Double.NaN);
        if (!(s >= 0 && s <= MAX_SECONDS)) {
            throw new IllegalArgumentException(key + ": " + n.get(key) + " is out of range (seconds from 0 to " + (long) MAX_SECONDS + ")");
        }
        return Math.round(s * 1e9);
    }

    private static final double MAX_SECONDS = 100 * 365.25 * 86_400;

    private static void check(Path path, JsonNode n, String prefix, Set<String> known) throws IOException {
        if (n.isMissingNode()) {
            return;
        }
        if (!n.isObject()) {
            throw new IOException(path + ": " + prefix + " must be an object");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IOException(path + ": unknown config key " + prefix + k);
            }
            // Every whole number in the config is a count, a port or seconds that fits in an int:
            // Jackson's asInt would wrap 4294967297 to 1 without a word.
            JsonNode v = n.get(k);
            if (v.isIntegralNumber() && !v.canConvertToInt()) {
                throw new IOException(path + ": " + prefix + k + ": " + v + " is out of range (at most " + Integer.MAX_VALUE + ")");
            }
        }
    }
}
