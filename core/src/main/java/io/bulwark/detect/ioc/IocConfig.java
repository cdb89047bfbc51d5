package io.bulwark.detect.ioc;

/**
 * Configuration of the indicator-of-compromise detector (docs/detectors.md#ioc).
 *
 * @param list              the indicators; empty (the default) turns the detector off
 * @param maxPerDevice      distinct indicators remembered per device (default 16; the least
 *                          recently contacted one is forgotten beyond it): bounds state
 * @param episodeGapNanos   contact with an indicator after this much silence (default 1 h)
 *                          starts a new episode, so a new incident
 */
public record IocConfig(IocList list, int maxPerDevice, long episodeGapNanos) {
    public IocConfig {
        if (list == null || maxPerDevice < 1 || episodeGapNanos <= 0) {
            throw new IllegalArgumentException("ioc: a list, max_per_device >= 1 and a positive episode gap");
        }
    }

    public static IocConfig defaults() {
        return new IocConfig(IocList.empty(), 16, 3600 * 1_000_000_000L);
    }

    public IocConfig withList(IocList l) {
        return new IocConfig(l, maxPerDevice, episodeGapNanos);
    }
}
