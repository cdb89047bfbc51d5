package io.bulwark.detect.anomaly;

import java.io.Serializable;

/**
 * A device's normal behaviour as an exponentially weighted mean and variance per feature
 * (West 1979; Finch, "Incremental calculation of weighted mean and variance", 2009):
 * for a sample x and rate a, d = x - m, m += a d, v = (1 - a)(v + a d^2). The first samples
 * use a = 1/n, so the profile starts as the plain mean and population variance. A feature
 * that is NaN in a sample (undefined: a share of nothing) is neither learnt nor scored; the
 * first defined value starts its mean.
 *
 * <p>A sample's score is the root mean square of its {@link #TOP} largest z-scores,
 * z = (x - m) / sqrt(v + f^2), where f is the feature's noise floor: a feature that never moved
 * while learning does not turn a tiny change into an infinite z. The top few rather than all:
 * a scan or a flood moves a handful of the 45 features by orders of magnitude, and averaging
 * in the forty that did not move would hide it. 2 x 8 bytes per feature.
 */
final class NormalProfile implements Serializable {
    private static final long serialVersionUID = 1L;
    final double[] mean;
    final double[] var;
    private final double[] floor;
    long samples;
    /** How many of the largest squared z-scores the score averages. */
    static final int TOP = 5;

    NormalProfile(double[] floor) {
        this.floor = floor;
        this.mean = new double[floor.length];
        this.var = new double[floor.length];
        java.util.Arrays.fill(mean, Double.NaN);
    }

    /** Folds in {@code x} with rate max(1/n, rate) x {@code weight}. */
    void learn(double[] x, double rate, double weight) {
        samples++;
        double a = Math.max(1.0 / samples, rate) * weight;
        for (int j = 0; j < mean.length; j++) {
            if (Double.isNaN(x[j])) {
                continue;
            }
            if (Double.isNaN(mean[j])) {
                mean[j] = x[j];
                continue;
            }
            double d = x[j] - mean[j];
            mean[j] += a * d;
            var[j] = (1 - a) * (var[j] + a * d * d);
        }
    }

    double sigma(int j) {
        return Math.sqrt(var[j] + floor[j] * floor[j]);
    }

    /** 0 when the sample or the profile has no value for the feature (NaN): no evidence. */
    double z(int j, double x) {
        double z = (x - mean[j]) / sigma(j);
        return Double.isNaN(z) ? 0 : z;
    }

    /** Starts from another profile (the network's), as if it had been learnt from {@code pseudo} samples. */
    void seed(NormalProfile from, long pseudo) {
        System.arraycopy(from.mean, 0, mean, 0, mean.length);
        System.arraycopy(from.var, 0, var, 0, var.length);
        samples = pseudo;
    }

    /** RMS of the {@link #TOP} largest z-scores (of all when fewer features); 0 before anything was learnt. */
    double score(double[] x) {
        if (samples == 0) {
            return 0;
        }
        int k = Math.min(TOP, mean.length);
        double[] top = new double[k];
        for (int j = 0; j < mean.length; j++) {
            double z = z(j, x[j]);
            double q = z * z;
            if (q > top[k - 1]) {
                int i = k - 1;
                while (i > 0 && top[i - 1] < q) {
                    top[i] = top[i - 1];
                    i--;
                }
                top[i] = q;
            }
        }
        double sum = 0;
        for (double q : top) {
            sum += q;
        }
        return Math.sqrt(sum / k);
    }
}
