package io.bulwark.analyze;

import io.bulwark.detect.scan.ScanConfig;
import io.bulwark.flow.FlowConfig;
import io.bulwark.net.LocalNets;

/**
 * Everything the local pipeline can be tuned with; {@link #defaults()} are the embedded
 * defaults documented in docs/configuration.md.
 *
 * @param maxDevices     bound on tracked devices (least recently active evicted beyond it)
 * @param mergeGapNanos  findings further apart than this open a new incident
 */
public record AnalyzerConfig(FlowConfig flows, ScanConfig scan, LocalNets localNets, int maxDevices,
                             long mergeGapNanos) {
    public static AnalyzerConfig defaults() {
        return new AnalyzerConfig(FlowConfig.defaults(), ScanConfig.defaults(), LocalNets.defaults(), 1 << 18,
                3_600_000_000_000L);
    }
}
