package io.bulwark.detect.anomaly;

import java.io.Serializable;

/**
 * A fixed-size histogram of a device's scores for quantiles: 64 buckets a quarter of an
 * octave wide from 2^-8 to 2^8 (relative error under 19 %), scores outside clamped to the
 * end buckets. When the total weight reaches {@link #HALVE_AT} every count is halved, so old
 * scores fade and the quantile follows a slow change of routine. 64 floats: 256 bytes.
 */
final class ScoreSketch implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BUCKETS = 64;
    static final int PER_OCTAVE = 4;
    static final int LOW_OCTAVE = -8;
    static final float HALVE_AT = 4096;
    private final float[] counts = new float[BUCKETS];
    private float total;

    static int bucket(double score) {
        if (!(score > 0)) {
            return 0;
        }
        int b = (int) Math.floor((Math.log(score) / Math.log(2) - LOW_OCTAVE) * PER_OCTAVE);
        return Math.max(0, Math.min(BUCKETS - 1, b));
    }

    /** Upper bound of bucket {@code b}. */
    static double upper(int b) {
        return Math.pow(2, LOW_OCTAVE + (b + 1) / (double) PER_OCTAVE);
    }

    void add(double score) {
        counts[bucket(score)]++;
        total++;
        if (total >= HALVE_AT) {
            total = 0;
            for (int i = 0; i < BUCKETS; i++) {
                counts[i] /= 2;
                total += counts[i];
            }
        }
    }

    float total() {
        return total;
    }

    /** The upper bound of the bucket holding quantile {@code q}; 0 when empty. */
    double quantile(double q) {
        if (total == 0) {
            return 0;
        }
        double want = q * total;
        double run = 0;
        for (int i = 0; i < BUCKETS; i++) {
            run += counts[i];
            if (run >= want) {
                return upper(i);
            }
        }
        return upper(BUCKETS - 1);
    }
}
