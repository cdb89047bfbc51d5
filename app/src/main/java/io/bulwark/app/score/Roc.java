package io.bulwark.app.score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The ROC curve of scores against binary labels: the area under it (the Mann-Whitney U
 * statistic over the pairs, ties counting one half, so it does not depend on how ties are
 * ordered) and the detection rate at a bounded false-positive rate. A score at or above the
 * threshold is an alarm.
 */
public final class Roc {
    /** One operating point: alarm when score >= threshold. */
    public record Point(double threshold, double fpr, double tpr) {
    }

    private final double[] scores;
    private final boolean[] positive;
    private final long positives;
    private final long negatives;
    private final List<Point> curve;

    public Roc(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) {
            throw new IllegalArgumentException("scores and labels differ in length");
        }
        this.scores = scores.clone();
        this.positive = positive.clone();
        long p = 0;
        for (boolean b : positive) {
            p += b ? 1 : 0;
        }
        this.positives = p;
        this.negatives = scores.length - p;
        this.curve = build();
    }

    public long positives() {
        return positives;
    }

    public long negatives() {
        return negatives;
    }

    private Integer[] descending() {
        Integer[] idx = new Integer[scores.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, (a, b) -> Double.compare(scores[b], scores[a]));
        return idx;
    }

    private List<Point> build() {
        List<Point> out = new ArrayList<>();
        out.add(new Point(Double.POSITIVE_INFINITY, 0, 0));
        Integer[] idx = descending();
        long tp = 0, fp = 0;
        int i = 0;
        while (i < idx.length) {
            double t = scores[idx[i]];
            while (i < idx.length && scores[idx[i]] == t) {
                if (positive[idx[i]]) {
                    tp++;
                } else {
                    fp++;
                }
                i++;
            }
            out.add(new Point(t, negatives == 0 ? 0 : (double) fp / negatives, positives == 0 ? 0 : (double) tp / positives));
        }
        return out;
    }

    /** Operating points from the strictest threshold to the loosest, (0,0) first and (1,1) last. */
    public List<Point> curve() {
        return curve;
    }

    /** Area under the curve: P(score of a positive > score of a negative) + P(equal) / 2. NaN without both classes. */
    public double auc() {
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double area = 0;
        for (int k = 1; k < curve.size(); k++) {
            Point a = curve.get(k - 1), b = curve.get(k);
            area += (b.fpr() - a.fpr()) * (a.tpr() + b.tpr()) / 2;
        }
        return area;
    }

    /** The operating point with the highest detection rate whose false-positive rate is at most {@code maxFpr}. */
    public Point atFpr(double maxFpr) {
        Point best = curve.get(0);
        for (Point p : curve) {
            if (p.fpr() <= maxFpr + 1e-12 && p.tpr() > best.tpr()) {
                best = p;
            }
        }
        return best;
    }
}
