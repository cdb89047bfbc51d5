package io.bulwark.decode;

import java.util.EnumMap;
import java.util.Map;

/**
 * Counts named anomalies without allocating, and remembers where each was first seen
 * (file byte offset), so that a report can point at the bytes. Not thread-safe: one per
 * decoding thread.
 */
public final class AnomalyCounters {
    private final long[] counts = new long[Anomaly.values().length];
    private final long[] firstOffset = new long[Anomaly.values().length];
    private final String[] firstSource = new String[Anomaly.values().length];
    private String source = "";

    /** Names the input that following anomalies are attributed to. */
    public void source(String name) {
        this.source = name;
    }

    public void count(Anomaly a, long offset) {
        int i = a.ordinal();
        if (counts[i]++ == 0) {
            firstOffset[i] = offset;
            firstSource[i] = source;
        }
    }

    /** Counts {@code n} at once (counted elsewhere first, e.g. by another thread); nothing when n <= 0. */
    public void add(Anomaly a, long n, long offset) {
        if (n <= 0) {
            return;
        }
        int i = a.ordinal();
        if (counts[i] == 0) {
            firstOffset[i] = offset;
            firstSource[i] = source;
        }
        counts[i] += n;
    }

    public long get(Anomaly a) {
        return counts[a.ordinal()];
    }

    public long firstOffset(Anomaly a) {
        return firstOffset[a.ordinal()];
    }

    public String firstSource(Anomaly a) {
        return firstSource[a.ordinal()];
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** Non-zero counts in declaration order. */
    public Map<Anomaly, Long> nonZero() {
        Map<Anomaly, Long> m = new EnumMap<>(Anomaly.class);
        for (Anomaly a : Anomaly.values()) {
            if (counts[a.ordinal()] != 0) {
                m.put(a, counts[a.ordinal()]);
            }
        }
        return m;
    }
}
