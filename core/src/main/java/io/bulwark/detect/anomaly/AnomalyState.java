package io.bulwark.detect.anomaly;

import io.bulwark.detect.EvidenceRef;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device state of the anomaly detector: the traffic statistics, the normal profile, the
 * score sketch, the services learnt while normal, and the current episode. Bounded:
 * {@link #BYTES} bytes per device (measured by field count: 17 + 51 counters, 2 x 45
 * profile doubles, 45 feature doubles, 64 sketch floats, 2 x 256 service counters, 2 x 256
 * service levels and 256 surprises, 5 explained features and 4 evidence references).
 */
final class AnomalyState implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Heap per device, object headers and the evidence references included. */
    static final int BYTES = 5_300;
    static final int EXPLAIN = 5;

    final Traffic traffic = new Traffic();
    final NormalProfile profile = new NormalProfile(Traffic.floors());
    final ScoreSketch sketch = new ScoreSketch();
    /** The services the device really uses. */
    final ServiceTable services = new ServiceTable();
    final double[] x = new double[Traffic.FEATURES];

    long firstNanos = Long.MIN_VALUE;
    long tickEnd = Long.MIN_VALUE;
    long lastFoldEnd = Long.MIN_VALUE;
    /** Ticks judged. */
    long ticks;
    /** Latest tick score (what packets and flows get): in units of min_score, or of the network's threshold while young. */
    double score;
    /** The latest tick was over the device's own threshold (never while young). */
    boolean hot;
    /** The device's latest tick was within its first grace_s of traffic time. */
    boolean newcomer = true;
    /** The latest tick was probing, or abnormal for the device (for the network while young). */
    boolean abnormal;
    /** A byte naming the device (1-255, from its address) for the network's service table. */
    byte tag;

    // the current episode
    long hotCount;
    long episodeFirst = Long.MIN_VALUE;
    long episodeLast;
    long detectedAt = Long.MIN_VALUE;
    double peakScore;
    double thresholdAtDetection;
    final int[] topFeature = new int[EXPLAIN];
    final double[] topObserved = new double[EXPLAIN];
    final double[] topMean = new double[EXPLAIN];
    final double[] topSigma = new double[EXPLAIN];
    final double[] topZ = new double[EXPLAIN];
    final List<EvidenceRef> evidence = new ArrayList<>(4);
    boolean wantEvidence;

    boolean inEpisode() {
        return episodeFirst != Long.MIN_VALUE;
    }
}
