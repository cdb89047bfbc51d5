package io.bulwark.detect.anomaly;

import java.io.Serializable;

/**
 * One device's traffic as damped incremental statistics (after Kitsune's, Mirsky et al.,
 * NDSS 2018), kept cheaply: packets only add to plain per-tick counters (a few additions, no
 * exponentials, no allocation), and once per tick of traffic time the counters are folded
 * into damped sums at three half-lives (1, 10 and 60 ticks): s = s d^g + c, with
 * d = 2^(-1/half-life) and g the ticks since the last fold (idle ticks decay the sums).
 * Features are read from the damped sums: rates are s (1 - d), shares and means are ratios
 * of sums, so each window weighs packets, not ticks.
 *
 * <p>Distinct peers and ports per tick are counted by linear counting (Whang et al. 1990)
 * in 128-bit maps at each new flow: exact for a few, saturating near 600 per tick.
 * About 17 x 8 + 51 x 8 + 40 bytes.
 */
final class Traffic implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int PKTS_OUT = 0, BYTES_OUT = 1, BYTES2_OUT = 2, PKTS_IN = 3, BYTES_IN = 4, TCP = 5, UDP = 6,
            OTHER = 7, FLOWS_OUT = 8, ATTEMPTS = 9, ANSWERS = 10, FLOWS_IN = 11, IAT = 12, IAT2 = 13, IATN = 14,
            PEERS = 15, PORTS = 16, COUNTERS = 17;
    static final double[] HALF_LIVES = {1, 10, 60};
    static final int SCALES = HALF_LIVES.length;
    /** Features per scale; {@link #NAMES} in order. */
    static final int PER_SCALE = 15;
    /** Index of unanswered_share within a scale. */
    static final int UNANSWERED_FEATURE = 12;
    static final int FEATURES = PER_SCALE * SCALES;
    static final String[] NAMES = {"packets_out_per_s", "packets_in_per_s", "mean_size_out", "size_stddev_out",
        "mean_size_in", "flows_out_per_s", "flows_in_per_s", "distinct_peers_per_s", "distinct_ports_per_s",
        "tcp_share_out", "udp_share_out", "other_share_out", "unanswered_share", "mean_gap_ms", "gap_variation"};
    /** Features that are shares (0..1) and read as such; the others are log1p of a rate, size or time. */
    static boolean isShare(int f) {
        int k = f % PER_SCALE;
        return k == 9 || k == 10 || k == 11 || k == 12 || k == 14;
    }

    /** Noise floors of the features' standard deviations (see {@link NormalProfile}). */
    static double[] floors() {
        double[] f = new double[FEATURES];
        for (int i = 0; i < FEATURES; i++) {
            f[i] = isShare(i) ? 0.1 : 0.5;
        }
        return f;
    }

    final double[] tick = new double[COUNTERS];
    final double[] damped = new double[COUNTERS * SCALES];
    long peers0, peers1, ports0, ports1;
    long lastOutNanos = Long.MIN_VALUE;

    private static final double[] DECAY = new double[SCALES];

    static {
        for (int s = 0; s < SCALES; s++) {
            DECAY[s] = Math.pow(2, -1 / HALF_LIVES[s]);
        }
    }

    void outboundGap(long ts) {
        if (lastOutNanos != Long.MIN_VALUE && ts >= lastOutNanos) {
            double ms = (ts - lastOutNanos) * 1e-6;
            tick[IAT] += ms;
            tick[IAT2] += ms * ms;
            tick[IATN]++;
        }
        lastOutNanos = ts;
    }

    void peer(long hash) {
        if ((hash & 64) == 0) {
            peers0 |= 1L << hash;
        } else {
            peers1 |= 1L << hash;
        }
    }

    void port(long hash) {
        if ((hash & 64) == 0) {
            ports0 |= 1L << hash;
        } else {
            ports1 |= 1L << hash;
        }
    }

    /** Linear counting over a 128-bit map: -m ln(zeros / m), 600 when full. */
    static double distinct(long a, long b) {
        int zeros = 128 - Long.bitCount(a) - Long.bitCount(b);
        return zeros == 0 ? 600 : -128 * Math.log(zeros / 128.0);
    }

    /** Folds this tick's counters in, {@code gap} ticks after the previous fold, and clears them. */
    void fold(long gap) {
        tick[PEERS] = distinct(peers0, peers1);
        tick[PORTS] = distinct(ports0, ports1);
        for (int s = 0; s < SCALES; s++) {
            double d = gap == 1 ? DECAY[s] : Math.pow(DECAY[s], gap);
            int o = s * COUNTERS;
            for (int c = 0; c < COUNTERS; c++) {
                damped[o + c] = damped[o + c] * d + tick[c];
            }
        }
        java.util.Arrays.fill(tick, 0);
        peers0 = peers1 = ports0 = ports1 = 0;
    }

    /**
     * The feature vector of the damped sums into {@code x} (length {@link #FEATURES}). A ratio
     * with nothing under it (sizes and shares of outbound packets when the device sent none in
     * the window, gaps without two packets) is NaN: no evidence either way, rather than a zero
     * that would look like a change.
     */
    void features(double[] x) {
        for (int s = 0; s < SCALES; s++) {
            int o = s * COUNTERS;
            double rate = 1 - DECAY[s];
            double p = damped[o + PKTS_OUT];
            double pin = damped[o + PKTS_IN];
            boolean sent = p > 0.5;
            int f = s * PER_SCALE;
            double meanOut = sent ? damped[o + BYTES_OUT] / p : Double.NaN;
            x[f] = Math.log1p(p * rate);
            x[f + 1] = Math.log1p(pin * rate);
            x[f + 2] = Math.log1p(meanOut);
            x[f + 3] = sent ? Math.log1p(Math.sqrt(Math.max(0, damped[o + BYTES2_OUT] / p - meanOut * meanOut))) : Double.NaN;
            x[f + 4] = pin > 0.5 ? Math.log1p(damped[o + BYTES_IN] / pin) : Double.NaN;
            x[f + 5] = Math.log1p(damped[o + FLOWS_OUT] * rate);
            x[f + 6] = Math.log1p(damped[o + FLOWS_IN] * rate);
            x[f + 7] = Math.log1p(damped[o + PEERS] * rate);
            x[f + 8] = Math.log1p(damped[o + PORTS] * rate);
            double proto = damped[o + TCP] + damped[o + UDP] + damped[o + OTHER];
            x[f + 9] = proto > 0.5 ? damped[o + TCP] / proto : Double.NaN;
            x[f + 10] = proto > 0.5 ? damped[o + UDP] / proto : Double.NaN;
            x[f + 11] = proto > 0.5 ? damped[o + OTHER] / proto : Double.NaN;
            double att = damped[o + ATTEMPTS];
            x[f + 12] = att > 0.5 ? Math.max(0, att - damped[o + ANSWERS]) / att : Double.NaN;
            double n = damped[o + IATN];
            double gap = n > 0.5 ? damped[o + IAT] / n : Double.NaN;
            x[f + 13] = Math.log1p(gap);
            double sd = n > 0.5 ? Math.sqrt(Math.max(0, damped[o + IAT2] / n - gap * gap)) : Double.NaN;
            x[f + 14] = Math.min(1, sd / Math.max(gap, 1e-3) / 10);
        }
    }

    /** A feature value in its own unit: the rate, size or time for log1p features, the share for shares. */
    static double display(int f, double x) {
        if (f % PER_SCALE == 14) {
            return x * 10;
        }
        return isShare(f) ? x : Math.expm1(Math.max(0, x));
    }

    static String name(int f) {
        return NAMES[f % PER_SCALE];
    }

    static int windowSeconds(int f, double tickSeconds) {
        return (int) Math.round(HALF_LIVES[f / PER_SCALE] * tickSeconds);
    }
}
