package io.bulwark.detect.c2;

import io.bulwark.detect.EvidenceRef;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device C2 state: a fixed number of peer slots, each about 150 bytes plus at most four
 * evidence references; 16 slots make about 4 KB per device.
 */
final class C2State implements Serializable {
    private static final long serialVersionUID = 1L;

    static final class Peer implements Serializable {
        private static final long serialVersionUID = 1L;
        long hi, lo;
        int port, proto;
        long lastUse;
        int attempts, unanswered;
        long first, last;
        // Welford's running mean and variance of the intervals between attempts
        long intervals;
        double mean, m2;
        // keep-alives inside one session (packet mode)
        long kaLast;
        int keepalives;
        long kaIntervals;
        double kaMean, kaM2;
        boolean reported;
        long detectedAt;
        final List<EvidenceRef> evidence = new ArrayList<>(4);

        boolean is(long h, long l, int p, int pr) {
            return hi == h && lo == l && port == p && proto == pr;
        }
    }

    final Peer[] peers;

    C2State(int slots) {
        peers = new Peer[slots];
    }

    /** The slot for a peer, taking the least recently used one when it is new. */
    Peer peer(long hi, long lo, int port, int proto, long now) {
        Peer lru = null;
        for (int i = 0; i < peers.length; i++) {
            Peer p = peers[i];
            if (p == null) {
                p = new Peer();
                peers[i] = p;
                return reset(p, hi, lo, port, proto, now);
            }
            if (p.is(hi, lo, port, proto)) {
                p.lastUse = Math.max(p.lastUse, now);
                return p;
            }
            if (!p.reported && (lru == null || p.lastUse < lru.lastUse)) {
                lru = p;
            }
        }
        if (lru == null) {
            // Every slot holds a reported C2 peer: reuse the stalest anyway.
            for (Peer p : peers) {
                if (lru == null || p.lastUse < lru.lastUse) {
                    lru = p;
                }
            }
        }
        return reset(lru, hi, lo, port, proto, now);
    }

    private static Peer reset(Peer p, long hi, long lo, int port, int proto, long now) {
        p.hi = hi;
        p.lo = lo;
        p.port = port;
        p.proto = proto;
        p.lastUse = now;
        p.attempts = p.unanswered = 0;
        p.first = p.last = now;
        p.intervals = 0;
        p.mean = p.m2 = 0;
        p.kaLast = 0;
        p.keepalives = 0;
        p.kaIntervals = 0;
        p.kaMean = p.kaM2 = 0;
        p.reported = false;
        p.evidence.clear();
        return p;
    }
}
