package io.bulwark.detect.anomaly;

import io.bulwark.sketch.HyperLogLog;

import java.io.Serializable;

/**
 * The services a device really uses: per hashed service (direction, protocol, responder port;
 * 256 slots, collisions shared), the flows attempted and the flows answered while the device
 * was normal, as saturating bytes halved together at 255. A service is known when at least one
 * flow on it was answered while normal and at least half its attempts were: a scan, a flood or
 * calls to a dead C2 are mostly unanswered, so their ports never become known, even when an
 * odd target answers. 512 bytes.
 */
final class ServiceTable implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int SLOTS = 256;
    private final byte[] attempts = new byte[SLOTS];
    private final byte[] answered = new byte[SLOTS];

    static int slot(boolean originator, int proto, int port) {
        return (int) (HyperLogLog.hash64((originator ? 0 : 1L << 24) | (long) proto << 16 | port) & (SLOTS - 1));
    }

    void attempt(int slot) {
        int a = attempts[slot] & 0xff;
        if (a == 255) {
            attempts[slot] = (byte) 128;
            answered[slot] = (byte) ((answered[slot] & 0xff) >>> 1);
        } else {
            attempts[slot] = (byte) (a + 1);
        }
    }

    /** May exceed the attempts: a flow joined midway (already open when the capture started) is answered but was never attempted. */
    void answer(int slot) {
        int n = answered[slot] & 0xff;
        if (n == 255) {
            answered[slot] = (byte) 128;
            attempts[slot] = (byte) ((attempts[slot] & 0xff) >>> 1);
        } else {
            answered[slot] = (byte) (n + 1);
        }
    }

    boolean known(int slot) {
        int n = answered[slot] & 0xff;
        return n >= 1 && 2 * n >= (attempts[slot] & 0xff);
    }
}
