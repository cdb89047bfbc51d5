package io.bulwark.detect.scan;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.sketch.HyperLogLog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device scan state. Fixed footprint: two HyperLogLogs (2 x 544 bytes at p = 9), a
 * 16-slot port table (192 bytes), counters and at most {@code maxEvidence} references,
 * about 1.6 KB in all.
 */
final class ScanState implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int PORT_SLOTS = 16;

    long windowStart = Long.MIN_VALUE;
    long windowFirst;
    long probes;
    long answered;
    long fingerprinted;
    final HyperLogLog windowTargets;

    // the episode: from the first window that crossed the threshold until it goes quiet
    boolean active;
    boolean reportedThisWindow;
    long episodeFirst;
    long episodeDetected;
    long episodeLast;
    long episodeProbes;
    long episodeAnswered;
    long episodeFingerprinted;
    final HyperLogLog episodeTargets;
    final int[] ports = new int[PORT_SLOTS];
    final long[] portProbes = new long[PORT_SLOTS];
    long otherPortProbes;
    final List<EvidenceRef> evidence = new ArrayList<>();
    final List<EvidenceRef> windowEvidence = new ArrayList<>();

    ScanState(int precision) {
        windowTargets = new HyperLogLog(precision);
        episodeTargets = new HyperLogLog(precision);
    }

    void countPort(int port) {
        for (int i = 0; i < PORT_SLOTS; i++) {
            if (portProbes[i] == 0) {
                ports[i] = port;
                portProbes[i] = 1;
                return;
            }
            if (ports[i] == port) {
                portProbes[i]++;
                return;
            }
        }
        otherPortProbes++;
    }

    void resetWindow(long start) {
        windowStart = start;
        windowFirst = start;
        probes = 0;
        answered = 0;
        fingerprinted = 0;
        windowTargets.clear();
        windowEvidence.clear();
        reportedThisWindow = false;
    }

    void endEpisode() {
        active = false;
        episodeProbes = episodeAnswered = episodeFingerprinted = 0;
        episodeTargets.clear();
        java.util.Arrays.fill(ports, 0);
        java.util.Arrays.fill(portProbes, 0);
        otherPortProbes = 0;
        evidence.clear();
    }
}
