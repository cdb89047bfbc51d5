package io.bulwark.analyze;

import io.bulwark.detect.anomaly.AnomalyConfig;
import io.bulwark.detect.bruteforce.BruteforceConfig;
import io.bulwark.detect.c2.C2Config;
import io.bulwark.detect.ddos.DdosConfig;
import io.bulwark.detect.ddostarget.TargetConfig;
import io.bulwark.detect.infection.InfectionConfig;
import io.bulwark.detect.ioc.IocConfig;
import io.bulwark.detect.policy.PolicyConfig;
import io.bulwark.detect.scan.ScanConfig;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowStitcher;
import io.bulwark.net.LocalNets;

/**
 * Everything the local pipeline can be tuned with; {@link #defaults()} are the embedded
 * defaults documented in docs/configuration.md.
 *
 * @param maxDevices     bound on tracked devices (least recently active evicted beyond it)
 * @param stitch         pairing and reordering of flow-export records (NetFlow, IPFIX, sFlow)
 * @param ioc            indicators of compromise from partners; empty by default (detector off)
 * @param anomaly        the per-device anomaly detector (docs/anomaly.md)
 * @param detectors      names of the detectors to run; empty runs them all (the default)
 * @param policy         MUD profiles and their assignments; empty by default (policy detector off)
 */
public record AnalyzerConfig(FlowConfig flows, ScanConfig scan, C2Config c2, InfectionConfig infection,
                             DdosConfig ddos, TargetConfig target, BruteforceConfig bruteforce, IocConfig ioc,
                             AnomalyConfig anomaly, LocalNets localNets, int maxDevices,
                             FlowStitcher.Config stitch, java.util.Set<String> detectors, PolicyConfig policy) {
    public AnalyzerConfig {
        if (policy == null) {
            policy = PolicyConfig.defaults();
        }
        if (ioc == null) {
            throw new IllegalArgumentException("ioc config must not be null (IocConfig.defaults() is an empty list)");
        }
        detectors = detectors == null ? java.util.Set.of() : java.util.Set.copyOf(detectors);
        if (!NAMES.containsAll(detectors)) {
            throw new IllegalArgumentException("detectors: unknown name in " + new java.util.TreeSet<>(detectors) + "; known: " + NAMES);
        }
        if (anomaly == null) {
            throw new IllegalArgumentException("anomaly config must not be null");
        }
        if (maxDevices < 1) {
            throw new IllegalArgumentException("max_devices must be at least 1: " + maxDevices);
        }
    }

    /** A configuration without MUD profiles. */
    public AnalyzerConfig(FlowConfig flows, ScanConfig scan, C2Config c2, InfectionConfig infection,
                          DdosConfig ddos, TargetConfig target, BruteforceConfig bruteforce, IocConfig ioc,
                          AnomalyConfig anomaly, LocalNets localNets, int maxDevices,
                          FlowStitcher.Config stitch, java.util.Set<String> detectors) {
        this(flows, scan, c2, infection, ddos, target, bruteforce, ioc, anomaly, localNets, maxDevices, stitch, detectors,
                PolicyConfig.defaults());
    }

    /** A configuration with the default anomaly settings, every detector and no MUD profiles. */
    public AnalyzerConfig(FlowConfig flows, ScanConfig scan, C2Config c2, InfectionConfig infection,
                          DdosConfig ddos, TargetConfig target, BruteforceConfig bruteforce, IocConfig ioc,
                          LocalNets localNets, int maxDevices, FlowStitcher.Config stitch) {
        this(flows, scan, c2, infection, ddos, target, bruteforce, ioc, AnomalyConfig.defaults(), localNets, maxDevices,
                stitch, java.util.Set.of(), PolicyConfig.defaults());
    }

    /** The detectors' names, in the order they run. */
    public static final java.util.List<String> NAMES =
            java.util.List.of("scan", "c2", "infection", "ddos", "ddos_target", "bruteforce", "ioc", "anomaly", "policy");

    /** True when detector {@code name} is to run. */
    public boolean runs(String name) {
        return detectors.isEmpty() || detectors.contains(name);
    }

    /**
     * Upper estimate of heap per live flow: the entry, its bucket and its record when it ends,
     * plus the shells of up to two dropped devices it may still point at (32 bytes each).
     */
    public static final int BYTES_PER_FLOW = 256 + 64;
    /**
     * Upper estimate of heap per tracked device: activity counters and every detector's state
     * (4 KiB before the anomaly detector, whose state is about 5.3 KB), and the summaries of
     * dropped devices kept for devices.ndjson (up to four per device bound, about 450 bytes each).
     */
    public static final int BYTES_PER_DEVICE = 4096 + 5376 + 4 * 450;

    /**
     * The same configuration with its table bounds lowered, if needed, so that full flow and
     * device tables take at most 60 % of {@code heapBytes}: an attacker who fills both tables
     * meets a counted bound, never an OutOfMemoryError. Returns this when nothing changes.
     */
    public AnalyzerConfig fitTo(long heapBytes) {
        long budget = heapBytes / 10 * 6;
        long need = (long) flows.maxFlows() * BYTES_PER_FLOW + (long) maxDevices * BYTES_PER_DEVICE;
        if (need <= budget) {
            return this;
        }
        double f = (double) budget / need;
        int flowsFit = (int) Math.max(1024, flows.maxFlows() * f);
        int devicesFit = (int) Math.max(256, maxDevices * f);
        return new AnalyzerConfig(flows.withMaxFlows(flowsFit), scan, c2, infection, ddos, target, bruteforce, ioc, anomaly, localNets, devicesFit, stitch, detectors, policy);
    }

    /** The same configuration with another indicator list (from {@code --ioc} or {@code ioc_file}). */
    public AnalyzerConfig withIoc(IocConfig i) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, i, anomaly, localNets, maxDevices, stitch, detectors, policy);
    }

    /** The same configuration with MUD profiles (from {@code --mud} or the {@code mud} config keys). */
    public AnalyzerConfig withPolicy(PolicyConfig p) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, ioc, anomaly, localNets, maxDevices, stitch, detectors, p);
    }

    /** The same configuration with other local networks. */
    public AnalyzerConfig withLocalNets(LocalNets nets) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, ioc, anomaly, nets, maxDevices, stitch, detectors, policy);
    }

    /** The same configuration with other anomaly settings. */
    public AnalyzerConfig withAnomaly(AnomalyConfig a) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, ioc, a, localNets, maxDevices, stitch, detectors, policy);
    }

    /**
     * The same configuration with only the keyed detectors ({@link Analyzer#detectors}): no
     * anomaly detector and no MUD profiles. What the Flink job runs, so the local engine with
     * this configuration is the job's reference.
     */
    public AnalyzerConfig keyedOnly() {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, ioc, anomaly.disabled(), localNets,
                maxDevices, stitch, detectors, PolicyConfig.defaults());
    }

    public static AnalyzerConfig defaults() {
        return new AnalyzerConfig(FlowConfig.defaults(), ScanConfig.defaults(), C2Config.defaults(), InfectionConfig.defaults(),
                DdosConfig.defaults(), TargetConfig.defaults(), BruteforceConfig.defaults(), IocConfig.defaults(),
                AnomalyConfig.defaults(), LocalNets.defaults(), 1 << 16, FlowStitcher.Config.defaults(), java.util.Set.of(),
                PolicyConfig.defaults());
    }
}
