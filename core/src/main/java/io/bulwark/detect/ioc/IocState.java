package io.bulwark.detect.ioc;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Severity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device state: a fixed table of the indicators the device contacted, about 700 bytes
 * each with its at most four evidence references. Empty it is an array of nulls (about 80
 * bytes for 16 slots); a slot is allocated when the device first touches a listed indicator,
 * so the 11 KB of a full table is reached only by a device in contact with 16 of them.
 */
final class IocState implements Serializable {
    private static final long serialVersionUID = 1L;

    static final int MAX_EVIDENCE = 4;

    static final class Hit implements Serializable {
        private static final long serialVersionUID = 1L;
        IocList.Indicator indicator;
        String peer;
        int port;
        boolean outbound;
        String matched;
        String name;
        long first, last, detectedAt;
        long contacts;
        Severity severity;
        double confidence;
        final List<EvidenceRef> evidence = new ArrayList<>(MAX_EVIDENCE);
    }

    final Hit[] hits;

    IocState(int slots) {
        hits = new Hit[slots];
    }

    /** The slot of an indicator, or null. */
    Hit find(IocList.Indicator ind) {
        for (Hit h : hits) {
            if (h != null && h.indicator.equals(ind)) {
                return h;
            }
        }
        return null;
    }

    /** A free slot, else the least recently contacted one (the caller reports it first). */
    Hit slot() {
        Hit lru = null;
        for (int i = 0; i < hits.length; i++) {
            if (hits[i] == null) {
                hits[i] = new Hit();
                return hits[i];
            }
            if (lru == null || hits[i].last < lru.last) {
                lru = hits[i];
            }
        }
        return lru;
    }

    int used() {
        int n = 0;
        for (Hit h : hits) {
            if (h != null && h.indicator != null) {
                n++;
            }
        }
        return n;
    }
}
