package io.bulwark.detect.ddos;

import io.bulwark.detect.Baseline;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.sketch.HyperLogLog;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device outbound-flood state: the current window's counters, three heavy-hitter victim
 * slots, a 64-register sketch of source ports, the baseline, and per-vector episode fields.
 * About 1 KB.
 */
final class DdosState implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int SLOTS = 3;

    final Baseline baseline = new Baseline();
    long windowStart = Long.MIN_VALUE;
    long packets;
    final long[] vhi = new long[SLOTS];
    final long[] vlo = new long[SLOTS];
    final long[] vcount = new long[SLOTS];
    final long[] vreplies = new long[SLOTS];
    final long[] vectorPackets = new long[Vector.COUNT];
    long udpFlows;
    /** HTTP requests to any victim this window: GET/POST packets, or estimated from flows' bytes. */
    long httpRequests;
    /** The latest packet or flow start counted in this window. */
    long windowLast = Long.MIN_VALUE;
    /** The longest flow record among those requests (flows only): how long its rate was kept up. */
    long httpSpanNanos;
    final HyperLogLog sourcePorts = new HyperLogLog(6);
    final List<EvidenceRef> windowEvidence = new ArrayList<>(4);
    long windowFirstAttack = Long.MAX_VALUE;
    int httpStreak;

    // per-vector episodes
    final long[] first = new long[Vector.COUNT];
    final long[] detected = new long[Vector.COUNT];
    final long[] last = new long[Vector.COUNT];
    final long[] total = new long[Vector.COUNT];
    final double[] peakPps = new double[Vector.COUNT];
    final String[] victim = new String[Vector.COUNT];
    final List<List<EvidenceRef>> evidence = new ArrayList<>();

    DdosState() {
        for (int i = 0; i < Vector.COUNT; i++) {
            evidence.add(new ArrayList<>(4));
        }
    }

    /** Counts a packet (or {@code n}) towards a victim; returns its slot, or -1 when all slots are taken. */
    int victim(long hi, long lo, long n) {
        int free = -1;
        for (int i = 0; i < SLOTS; i++) {
            if (vcount[i] > 0 && vhi[i] == hi && vlo[i] == lo) {
                vcount[i] += n;
                return i;
            }
            if (vcount[i] == 0 && free < 0) {
                free = i;
            }
        }
        if (free >= 0) {
            vhi[free] = hi;
            vlo[free] = lo;
            vcount[free] = n;
            vreplies[free] = 0;
            return free;
        }
        // Misra-Gries: an unseen victim wears every slot down by one.
        for (int i = 0; i < SLOTS; i++) {
            vcount[i] = Math.max(0, vcount[i] - n);
        }
        return -1;
    }

    int slotOf(long hi, long lo) {
        for (int i = 0; i < SLOTS; i++) {
            if (vcount[i] > 0 && vhi[i] == hi && vlo[i] == lo) {
                return i;
            }
        }
        return -1;
    }

    void resetWindow(long start) {
        windowStart = start;
        packets = 0;
        java.util.Arrays.fill(vcount, 0);
        java.util.Arrays.fill(vreplies, 0);
        java.util.Arrays.fill(vectorPackets, 0);
        udpFlows = 0;
        httpRequests = 0;
        windowLast = Long.MIN_VALUE;
        httpSpanNanos = 0;
        sourcePorts.clear();
        windowEvidence.clear();
        windowFirstAttack = Long.MAX_VALUE;
    }
}
