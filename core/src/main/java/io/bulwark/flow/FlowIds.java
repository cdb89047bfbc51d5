package io.bulwark.flow;

/** Deterministic flow ids: replaying the same input gives the same uids. */
public final class FlowIds {
    private static final char[] B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

    private FlowIds() {
    }

    /** Mixes the flow's first timestamp, its key hash and a per-run sequence number (SplitMix64 finaliser). */
    public static long uid(long startNanos, long keyHash, long sequence) {
        long z = startNanos * 0x9E3779B97F4A7C15L + keyHash * 0xBF58476D1CE4E5B9L + sequence;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static String uidText(long uid) {
        char[] out = new char[12];
        out[0] = 'C';
        long v = uid;
        for (int i = 11; i >= 1; i--) {
            out[i] = B62[(int) Long.remainderUnsigned(v, 62)];
            v = Long.divideUnsigned(v, 62);
        }
        return new String(out);
    }
}
