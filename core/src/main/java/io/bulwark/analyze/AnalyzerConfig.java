package io.bulwark.analyze;

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
 * @param policy         MUD profiles and their assignments; empty by default (policy detector off)
 */
public record AnalyzerConfig(FlowConfig flows, ScanConfig scan, C2Config c2, InfectionConfig infection,
                             DdosConfig ddos, TargetConfig target, BruteforceConfig bruteforce, IocConfig ioc,
                             LocalNets localNets, int maxDevices,
                             FlowStitcher.Config stitch, PolicyConfig policy) {
    public AnalyzerConfig {
        if (policy == null) {
            policy = PolicyConfig.defaults();
        }
        if (ioc == null) {
            throw new IllegalArgumentException("ioc config must not be null (IocConfig.defaults() is an empty list)");
        }
        if (maxDevices < 1) {
            throw new IllegalArgumentException("max_devices must be at least 1: " + maxDevices);
        }
    }

    /** A configuration without MUD profiles. */
    public AnalyzerConfig(FlowConfig flows, ScanConfig scan, C2Config c2, InfectionConfig infection,
                          DdosConfig ddos, TargetConfig target, BruteforceConfig bruteforce, IocConfig ioc,
                          LocalNets localNets, int maxDevices, FlowStitcher.Config stitch) {
        this(flows, scan, c2, infection, ddos, target, bruteforce, ioc, localNets, maxDevices, stitch, PolicyConfig.defaults());
    }

    /** Upper estimate of heap per live flow: the entry, its bucket and its record when it ends. */
    public static final int BYTES_PER_FLOW = 256;
    /** Upper estimate of heap per tracked device: activity counters and every detector's state. */
    public static final int BYTES_PER_DEVICE = 4096;

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
        return new AnalyzerConfig(flows.withMaxFlows(flowsFit), scan, c2, infection, ddos, target, bruteforce, ioc, localNets, devicesFit, stitch, policy);
    }

    /** The same configuration with another indicator list (from {@code --ioc} or {@code ioc_file}). */
    public AnalyzerConfig withIoc(IocConfig i) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, i, localNets, maxDevices, stitch, policy);
    }

    /** The same configuration with MUD profiles (from {@code --mud} or the {@code mud} config keys). */
    public AnalyzerConfig withPolicy(PolicyConfig p) {
        return new AnalyzerConfig(flows, scan, c2, infection, ddos, target, bruteforce, ioc, localNets, maxDevices, stitch, p);
    }

    public static AnalyzerConfig defaults() {
        return new AnalyzerConfig(FlowConfig.defaults(), ScanConfig.defaults(), C2Config.defaults(), InfectionConfig.defaults(),
                DdosConfig.defaults(), TargetConfig.defaults(), BruteforceConfig.defaults(), IocConfig.defaults(),
                LocalNets.defaults(), 1 << 16, FlowStitcher.Config.defaults());
    }
}
