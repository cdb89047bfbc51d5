package io.bulwark.detect.ioc;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Severity;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device state: a fixed table of the indicators the device contacted, each about 200
 * bytes plus at most four evidence references; 32 slots make about 10 KB, allocated only
 * for devices that touch a listed indicator (slots are created on first use).
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
