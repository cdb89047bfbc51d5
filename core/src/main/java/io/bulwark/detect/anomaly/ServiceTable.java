package io.bulwark.detect.anomaly;

import io.bulwark.sketch.HyperLogLog;

import java.io.Serializable;

/**
 * The services a device really uses, and at what rate: per hashed service (direction,
 * protocol, responder port; 256 slots, collisions shared).
 *
 * <p><b>Known.</b> The flows attempted and the flows answered while the device was normal, as
 * saturating bytes halved together at 255. A service is known when at least one flow on it was
 * answered while normal and at least half its attempts were: a scan, a flood or calls to a
 * dead C2 are mostly unanswered, so their ports never become known, even when an odd target
 * answers.
 *
 * <p><b>Rate.</b> Per service, the packets of both directions as a damped sum with a half-life
 * of {@link #LEVEL_HALF_LIFE} ticks (a packet adds one; each tick's fold decays), and the
 * device's normal level of it: a peak that follows the level at once while the device is young
 * and its tick looks normal, and otherwise may grow by no more than a factor
 * {@link #GROWTH_PER_TICK} per tick (doubling in {@link #DOUBLING_TICKS} ticks), nor at all on
 * an abnormal tick; it fades with a half-life of {@link #NORMAL_HALF_LIFE} ticks when the level
 * is lower. A service's surprise is log2((level + 1) / (normal + 1)) when the level is above its
 * normal, else 0, in {@link #SURPRISE_STEPS} steps per octave. A flood on a service the device
 * uses with answers (a water torture through the LAN resolver, an HTTP GET flood) is a hundred
 * to ten thousand times that service's normal level, and cannot raise the normal faster than
 * it doubles every minute. Kitsune (Mirsky et al., NDSS 2018) gets this from per-channel and
 * per-socket damped statistics; one slot per service keeps it to a fixed 2.8 KB with no
 * per-flow state. Per packet: one hash and one addition; the logarithm is per tick, and only
 * for services above their normal.
 */
final class ServiceTable implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int SLOTS = 256;
    /** Half-life of a service's packet level, in ticks. */
    static final double LEVEL_HALF_LIFE = 10;
    /** Ticks in which a service's normal level may at most double. */
    static final double DOUBLING_TICKS = 60;
    /** Half-life of a service's normal level when its traffic is lower, in ticks. */
    static final double NORMAL_HALF_LIFE = 3_600;
    static final double LEVEL_DECAY = Math.pow(2, -1 / LEVEL_HALF_LIFE);
    static final double GROWTH_PER_TICK = Math.pow(2, 1 / DOUBLING_TICKS);
    static final double NORMAL_DECAY = Math.pow(2, -1 / NORMAL_HALF_LIFE);
    /** Surprise resolution: steps per octave (a byte holds 0 to 63.75 octaves). */
    static final int SURPRISE_STEPS = 4;

    private final byte[] attempts = new byte[SLOTS];
    private final byte[] answered = new byte[SLOTS];
    private final float[] level = new float[SLOTS];
    private final float[] normal = new float[SLOTS];
    private final byte[] surprise = new byte[SLOTS];

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

    /** Counts {@code packets} on the service in the current tick. */
    void packets(int slot, double packets) {
        level[slot] += (float) packets;
    }

    /** The service's surprise at the latest fold, in octaves over its normal level (0 when not above). */
    double surprise(int slot) {
        return (surprise[slot] & 0xff) / (double) SURPRISE_STEPS;
    }

    float level(int slot) {
        return level[slot];
    }

    float normal(int slot) {
        return normal[slot];
    }

    /**
     * Ends a tick, {@code gap} ticks after the previous fold: learns each service's normal level
     * (it first fades by {@link #NORMAL_DECAY} per tick of the gap; then, when the level is
     * above it, takes the level when {@code free}, stays when {@code abnormal}, and otherwise
     * grows by at most {@link #GROWTH_PER_TICK} per fold, however long the gap: growth is earned
     * by active ticks, not by silence), sets its surprise, and decays its level by {@code ahead} ticks, to the end of the next
     * tick that will be counted (the level then holds the damped past at that tick's end plus its
     * own packets, as {@link Traffic#fold} computes s d^g + c).
     */
    void fold(long gap, long ahead, boolean free, boolean abnormal) {
        double decay = ahead == 1 ? LEVEL_DECAY : Math.pow(LEVEL_DECAY, ahead);
        double fade = gap == 1 ? NORMAL_DECAY : Math.pow(NORMAL_DECAY, gap);
        for (int i = 0; i < SLOTS; i++) {
            float lv = level[i];
            float nm = normal[i];
            if (lv == 0 && nm == 0) {
                continue;
            }
            double faded = nm * fade;
            if (lv <= faded) {
                nm = (float) faded;
            } else if (free) {
                nm = lv;
            } else if (abnormal) {
                nm = (float) faded;
            } else {
                nm = (float) Math.min(lv, Math.max(faded, 1) * GROWTH_PER_TICK);
            }
            normal[i] = nm;
            if (lv > nm) {
                double oct = Math.log((lv + 1.0) / (nm + 1.0)) / Math.log(2);
                surprise[i] = (byte) Math.min(255, (int) (oct * SURPRISE_STEPS));
            } else {
                surprise[i] = 0;
            }
            level[i] = (float) (lv * decay);
        }
    }
}
