package io.bulwark.detect.bruteforce;

import io.bulwark.detect.EvidenceRef;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-device login-guessing state for both directions: followed telnet sessions, attempt
 * counts per window, the credentials seen (bounded) and a small set of peers. Under 4 KB.
 */
final class BruteforceState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** One direction: attacks on the device (in) or by it (out). */
    static final class Side implements Serializable {
        private static final long serialVersionUID = 1L;
        long windowStart = Long.MIN_VALUE;
        int attempts;
        int flowAttempts;
        long first = Long.MAX_VALUE;
        long last;
        long total;
        final long[] peers = new long[16];
        int peerCount;
        final List<String[]> credentials = new ArrayList<>();
        boolean success;
        String[] successCredential;
        String service = "telnet";
        /** A login used a factory credential ({@link DefaultCredentials}). */
        boolean defaultCredential;
        /** Outbound: reported at a prober's first login with a factory credential, not for guessing. */
        boolean propagation;
        boolean reported;
        long detectedAt;
        final List<EvidenceRef> evidence = new ArrayList<>();

        void peer(long key) {
            for (int i = 0; i < peerCount; i++) {
                if (peers[i] == key) {
                    return;
                }
            }
            if (peerCount < peers.length) {
                peers[peerCount++] = key;
            }
        }

        void window(long ts, long windowNanos) {
            if (windowStart == Long.MIN_VALUE || ts - windowStart > windowNanos) {
                windowStart = ts;
                attempts = 0;
                flowAttempts = 0;
                if (!reported) {
                    peerCount = 0;
                    first = ts;
                }
            }
            first = Math.min(first, ts);
            last = Math.max(last, ts);
        }

        void credential(String user, String password, int max) {
            for (String[] c : credentials) {
                if (c[0].equals(user) && c[1].equals(password)) {
                    return;
                }
            }
            if (credentials.size() < max) {
                credentials.add(new String[] {user, password});
            }
        }
    }

    final Side in = new Side();
    final Side out = new Side();
    /** Outbound telnet connection attempts (any outcome) in the current window, from flows. */
    long probeWindowStart = Long.MIN_VALUE;
    int probes;
    final TelnetSession[] sessions;

    BruteforceState(int sessionSlots) {
        sessions = new TelnetSession[sessionSlots];
    }

    TelnetSession session(long uid, long now) {
        TelnetSession lru = null;
        for (int i = 0; i < sessions.length; i++) {
            TelnetSession s = sessions[i];
            if (s == null) {
                s = new TelnetSession();
                s.flowUid = uid;
                s.lastSeen = now;
                sessions[i] = s;
                return s;
            }
            if (s.flowUid == uid) {
                s.lastSeen = now;
                return s;
            }
            if (lru == null || s.lastSeen < lru.lastSeen) {
                lru = s;
            }
        }
        TelnetSession fresh = new TelnetSession();
        fresh.flowUid = uid;
        fresh.lastSeen = now;
        for (int i = 0; i < sessions.length; i++) {
            if (sessions[i] == lru) {
                sessions[i] = fresh;
            }
        }
        return fresh;
    }
}
