package io.bulwark.detect.ddostarget;

import java.util.List;

/**
 * Thresholds of the inbound-attack detector (docs/detectors.md#ddos_target), FastNetMon style:
 * absolute per-host limits, plus limits relative to the host's own baseline.
 *
 * @param protectedNets  prefixes whose hosts are protected; empty means every local device
 * @param windowNanos    rate window (default 2 s)
 * @param ppsLimit       inbound packets/s that are an attack whatever the baseline (20,000)
 * @param mbpsLimit      inbound megabits/s likewise (1,000)
 * @param floorPps       relative rule: at least this many packets/s ... (default 200)
 * @param factor         ... and this many times the host's baseline (default 10)
 * @param learnNanos     baseline learning time (60 s); before it, only spoofing or absolute limits count
 * @param minSources     distinct sources in a window that mark a spoofed/distributed flood (100)
 * @param minRelativeSources sources needed for the baseline rule (10): a flood from one or two
 *                       sources is reported on them (kind ddos) when they are local, and is
 *                       within the absolute limits' reach when they are not
 */
public record TargetConfig(List<String> protectedNets, long windowNanos, double ppsLimit, double mbpsLimit,
                           double floorPps, double factor, long learnNanos, int minSources,
                           int minRelativeSources) {
    public TargetConfig {
        protectedNets = List.copyOf(protectedNets);
        if (windowNanos <= 0 || ppsLimit <= 0 || mbpsLimit <= 0 || floorPps <= 0 || factor < 1 || minSources < 1
                || minRelativeSources < 1) {
            throw new IllegalArgumentException("ddos_target: window_s, limits and floor_pps > 0, factor >= 1, min_sources >= 1");
        }
    }

    public static TargetConfig defaults() {
        return new TargetConfig(List.of(), 2_000_000_000L, 20_000, 1_000, 200, 10, 60_000_000_000L, 100, 10);
    }
}
