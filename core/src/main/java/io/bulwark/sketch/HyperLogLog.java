package io.bulwark.sketch;

import java.io.Serializable;

/**
 * Distinct counting in a fixed footprint (Flajolet et al., "HyperLogLog: the analysis of a
 * near-optimal cardinality estimation algorithm", 2007), with linear counting for small
 * cardinalities (Heule et al., "HyperLogLog in Practice", 2013). {@code 2^p} one-byte
 * registers: p = 9 is 512 bytes and about 4.6 % standard error.
 *
 * <p>The harmonic sum and the count of zero registers are kept up to date on every add, so
 * {@link #estimate()} is O(1) and a detector can test a threshold on every packet.
 * Callers pass a well-mixed 64-bit hash ({@link #hash64}); adding allocates nothing.
 */
public final class HyperLogLog implements Serializable {
    private static final long serialVersionUID = 1L;
    private final byte[] reg;
    private final int p;
    private double inverseSum;
    private int zeros;

    public HyperLogLog(int precision) {
        if (precision < 4 || precision > 16) {
            throw new IllegalArgumentException("precision 4..16: " + precision);
        }
        this.p = precision;
        this.reg = new byte[1 << precision];
        clear();
    }

    public void clear() {
        java.util.Arrays.fill(reg, (byte) 0);
        inverseSum = reg.length;
        zeros = reg.length;
    }

    /** Adds a hashed item. Returns true when the sketch changed (a probably-new item). */
    public boolean add(long hash) {
        int idx = (int) (hash >>> (64 - p));
        long w = (hash << p) | (1L << (p - 1));
        int rank = Long.numberOfLeadingZeros(w) + 1;
        int old = reg[idx];
        if (rank <= old) {
            return false;
        }
        if (old == 0) {
            zeros--;
        }
        inverseSum += Math.scalb(1.0, -rank) - Math.scalb(1.0, -old);
        reg[idx] = (byte) rank;
        return true;
    }

    /** Adds every item of {@code other} (same precision): register-wise maximum. */
    public void merge(HyperLogLog other) {
        if (other.p != p) {
            throw new IllegalArgumentException("precision " + other.p + " != " + p);
        }
        for (int i = 0; i < reg.length; i++) {
            int old = reg[i];
            int r = other.reg[i];
            if (r > old) {
                if (old == 0) {
                    zeros--;
                }
                inverseSum += Math.scalb(1.0, -r) - Math.scalb(1.0, -old);
                reg[i] = (byte) r;
            }
        }
    }

    public long estimate() {
        int m = reg.length;
        double alpha = m == 16 ? 0.673 : m == 32 ? 0.697 : m == 64 ? 0.709 : 0.7213 / (1 + 1.079 / m);
        double e = alpha * m * (double) m / inverseSum;
        if (e <= 2.5 * m && zeros > 0) {
            e = m * Math.log((double) m / zeros);
        }
        return Math.round(e);
    }

    /** Bytes held (registers plus fields), for the documented per-device bound. */
    public int footprintBytes() {
        return reg.length + 16 + 16;
    }

    /** SplitMix64 finaliser: spreads structured inputs (addresses, ports) over 64 bits. */
    public static long hash64(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static long hash64(long hi, long lo) {
        return hash64(hi * 0xC2B2AE3D27D4EB4FL ^ hash64(lo));
    }
}
