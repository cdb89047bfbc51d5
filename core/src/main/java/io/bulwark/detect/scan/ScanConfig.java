package io.bulwark.detect.scan;

/**
 * Thresholds of the horizontal-scan detector. Defaults are documented in docs/detectors.md.
 *
 * @param windowNanos          tumbling window over which distinct targets are counted (default 60 s)
 * @param minTargets           distinct destinations in one window that make a scan (default 64).
 *                             A busy benign host talks to a few dozen servers a minute, and
 *                             almost all of them answer.
 * @param fingerprintTargets   distinct destinations that suffice when the probes carry Mirai's
 *                             fingerprint (sequence number = destination address) (default 8)
 * @param fingerprintShare     share of probes with the fingerprint that counts as "Mirai" (default 0.8)
 * @param maxAnsweredShare     at most this share of probes may be answered with SYN-ACK (default 0.3)
 * @param hllPrecision         HyperLogLog precision for the target count (default 9: 512 bytes)
 * @param maxEvidence          packet/flow references kept per incident (default 8)
 */
public record ScanConfig(long windowNanos, int minTargets, int fingerprintTargets, double fingerprintShare,
                         double maxAnsweredShare, int hllPrecision, int maxEvidence) {
    public ScanConfig {
        if (windowNanos <= 0 || minTargets < 1 || fingerprintTargets < 1 || hllPrecision < 4 || hllPrecision > 16
                || maxEvidence < 0 || fingerprintShare < 0 || fingerprintShare > 1 || maxAnsweredShare < 0) {
            throw new IllegalArgumentException("scan: window_s > 0, min_targets >= 1, fingerprint_targets >= 1, "
                    + "hll_precision 4..16, shares 0..1, max_evidence >= 0");
        }
    }

    public static ScanConfig defaults() {
        return new ScanConfig(60_000_000_000L, 64, 8, 0.8, 0.3, 9, 8);
    }
}
