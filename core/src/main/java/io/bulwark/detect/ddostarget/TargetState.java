package io.bulwark.detect.ddostarget;

import io.bulwark.detect.Baseline;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.sketch.HyperLogLog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Per-host inbound state: window counters by attack type, a source sketch (544 bytes), the baseline. */
final class TargetState implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String[] TYPES = {"syn_flood", "ack_flood", "tcp_flood", "udp_flood", "icmp_flood",
        "amplification", "gre_flood", "other"};

    final Baseline baseline = new Baseline();
    long windowStart = Long.MIN_VALUE;
    long packets;
    long bytes;
    long windowFirst = Long.MAX_VALUE;
    final long[] byType = new long[TYPES.length];
    final HyperLogLog sources = new HyperLogLog(9);
    final List<EvidenceRef> windowEvidence = new ArrayList<>(4);

    boolean active;
    long first;
    long detected;
    long last;
    long total;
    double peakPps;
    double peakMbps;
    long peakSources;
    String type;
    final List<EvidenceRef> evidence = new ArrayList<>(4);

    void resetWindow(long start) {
        windowStart = start;
        packets = bytes = 0;
        windowFirst = Long.MAX_VALUE;
        java.util.Arrays.fill(byType, 0);
        sources.clear();
        windowEvidence.clear();
    }
}
