package io.bulwark.detect;

import java.io.Serializable;

/**
 * A device's own normal packet rate, learnt in traffic time: an exponentially weighted mean
 * of the packets per window in windows that were not attacks. Flood detectors compare the
 * current window with it, so that "a lot" means a lot for this device (a camera that usually
 * sends 20 packets/s and now sends 500 to one host), not a data-centre constant. 24 bytes.
 */
public final class Baseline implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final double ALPHA = 0.05;
    private double mean;
    private long learnt;
    private long since = Long.MIN_VALUE;

    /** Folds in a normal window's rate (packets per second). */
    public void learn(double pps, long windowStart) {
        if (since == Long.MIN_VALUE) {
            since = windowStart;
        }
        mean = learnt == 0 ? pps : mean + ALPHA * (pps - mean);
        learnt++;
    }

    /** Start of learning, or MIN_VALUE before the first window. */
    public long since() {
        return since;
    }

    public double mean() {
        return mean;
    }

    /**
     * The rate that counts as a flood: {@code factor} times the baseline but at least
     * {@code floor}; while the baseline is younger than {@code learnNanos}, at least
     * {@code youngFloor}.
     */
    public double threshold(long now, long learnNanos, double floor, double youngFloor, double factor) {
        boolean young = since == Long.MIN_VALUE || now - since < learnNanos;
        return Math.max(young ? youngFloor : floor, factor * mean);
    }
}
