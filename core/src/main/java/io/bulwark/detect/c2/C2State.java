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
        /** Distinct connections (TCP: by source port) and how many of them were never answered. */
        int attempts, unanswered;
        int srcPort, sameConnection;
        /**
         * The last {@link #CONNECTIONS} connections' source ports and whether each was answered:
         * records of one TCP connection (SYN retransmissions after the attempt timeout, active-timeout
         * pieces, a FIN-retransmission tail logged as SH) are one attempt, not several.
         */
        final int[] connPorts = new int[CONNECTIONS];
        final boolean[] connAnswered = new boolean[CONNECTIONS];
        int connNext, connCount;
        /** When the first unanswered connection began (for the connectivity gate). */
        long firstFailure;
        long first, last;
        /** The latest end of any record with this peer: when its evidence was last complete. */
        long lastEnd;
        /** The latest start of any record with this peer ({@link #last} is the latest connection's). */
        long lastRecord;
        // Welford's running mean and variance of the intervals between attempts
        long intervals;
        double mean, m2;
        // keep-alives inside one session (packet mode)
        long kaLast;
        int keepalives;
        long kaIntervals;
        double kaMean, kaM2;
        boolean reported;
        String rule;
        long detectedAt;
        final List<EvidenceRef> evidence = new ArrayList<>(4);

        /** The slot of a recent connection from this source port, or -1. */
        int connection(int srcPort) {
            for (int i = 0; i < connCount; i++) {
                if (connPorts[i] == srcPort) {
                    return i;
                }
            }
            return -1;
        }

        void addConnection(int srcPort, boolean answered) {
            connPorts[connNext] = srcPort;
            connAnswered[connNext] = answered;
            connNext = (connNext + 1) % CONNECTIONS;
            connCount = Math.min(connCount + 1, CONNECTIONS);
        }

        boolean is(long h, long l, int p, int pr) {
            return hi == h && lo == l && port == p && proto == pr;
        }
    }

    /** Recent connections remembered per peer: concurrent and consecutive ones to one peer. */
    static final int CONNECTIONS = 8;

    final Peer[] peers;

    /**
     * The latest interval of traffic time over which outside hosts answered the device (TCP
     * handshakes, UDP replies; records merged when they touch): evidence that its internet
     * worked then. {@code answeredTo} is MIN_VALUE before any answer.
     */
    long answeredFrom = Long.MIN_VALUE, answeredTo = Long.MIN_VALUE;

    // Names the device resolved (ring of 8), to name C2 peers; and its resolvers.
    final int[] resolvedIps = new int[8];
    final String[] resolvedNames = new String[8];
    int resolvedNext;
    long localResolverQueries;
    String publicResolver;

    void resolved(String name, int ip) {
        for (int i = 0; i < resolvedIps.length; i++) {
            if (resolvedNames[i] != null && resolvedIps[i] == ip) {
                resolvedNames[i] = name;
                return;
            }
        }
        resolvedIps[resolvedNext] = ip;
        resolvedNames[resolvedNext] = name;
        resolvedNext = (resolvedNext + 1) % resolvedIps.length;
    }

    String nameOf(long hi, long lo) {
        if (hi != 0 || (lo >>> 32) != 0xffffL) {
            return null;
        }
        for (int i = 0; i < resolvedIps.length; i++) {
            if (resolvedNames[i] != null && resolvedIps[i] == (int) lo) {
                return resolvedNames[i];
            }
        }
        return null;
    }

    C2State(int slots) {
        peers = new Peer[slots];
    }

    /**
     * The slot for a peer. A new peer takes the least recently used slot that has seen only one
     * contact (a scanner's thousands of one-off targets churn through those), else the least
     * recently used unreported one, so that a C2 peer with history is not pushed out by a scan.
     */
    Peer peer(long hi, long lo, int port, int proto, long now) {
        Peer lru = null;
        Peer oneOff = null;
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
            if (!p.reported && p.attempts <= 1 && p.keepalives == 0 && (oneOff == null || p.lastUse < oneOff.lastUse)) {
                oneOff = p;
            }
        }
        if (oneOff != null) {
            return reset(oneOff, hi, lo, port, proto, now);
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
        p.srcPort = p.sameConnection = 0;
        p.connNext = p.connCount = 0;
        p.firstFailure = Long.MAX_VALUE;
        p.first = p.last = p.lastEnd = p.lastRecord = now;
        p.intervals = 0;
        p.mean = p.m2 = 0;
        p.kaLast = 0;
        p.keepalives = 0;
        p.kaIntervals = 0;
        p.kaMean = p.kaM2 = 0;
        p.reported = false;
        p.rule = null;
        p.evidence.clear();
        return p;
    }
}
