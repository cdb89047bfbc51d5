package io.bulwark.detect.ddos;

/**
 * Thresholds of the outbound flood detector (docs/detectors.md#ddos).
 *
 * @param windowNanos   rate window (default 2 s)
 * @param floorPps      packets/s to one victim below which nothing is a flood (default 100: Mirai's
 *                      floods from a cheap device run at a hundred to thousands of packets/s)
 * @param youngFloorPps the floor while the device's baseline is still being learnt (default 100:
 *                      a bot may flood before it has any history, and the shapes of the vectors
 *                      plus the missing replies carry the evidence then)
 * @param learnNanos    how long a device's baseline is learnt before it counts (default 60 s)
 * @param factor        times the device's own baseline rate that make a flood (default 10)
 * @param maxReplyShare at most this share of packets answered by the victim (default 0.2)
 * @param victimShare   share of the window's packets that go to the top victim (default 0.5)
 */
public record DdosConfig(long windowNanos, double floorPps, double youngFloorPps, long learnNanos, double factor,
                         double maxReplyShare, double victimShare) {
    public DdosConfig {
        if (windowNanos <= 0 || floorPps <= 0 || youngFloorPps <= 0 || factor < 1 || learnNanos < 0) {
            throw new IllegalArgumentException("ddos: window_s, floor_pps and young_floor_pps > 0, factor >= 1");
        }
    }

    public static DdosConfig defaults() {
        return new DdosConfig(2_000_000_000L, 100, 100, 60_000_000_000L, 10, 0.2, 0.5);
    }
}
