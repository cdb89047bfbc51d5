package io.bulwark.flow;

/** Deterministic flow ids: replaying the same input gives the same uids. */
public final class FlowIds {
    private static final byte[] B32 = "0123456789ABCDEFGHIJKLMNOPQRSTUV".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    private FlowIds() {
    }

    /** Mixes the flow's first timestamp, its key hash and a per-run sequence number (SplitMix64 finaliser). */
    public static long uid(long startNanos, long keyHash, long sequence) {
        long z = startNanos * 0x9E3779B97F4A7C15L + keyHash * 0xBF58476D1CE4E5B9L + sequence;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * "C" and the 64 bits in 13 base-32 digits (0-9, A-V): shifts instead of the eleven 64-bit
     * divisions base 62 would cost, because every flow that ends gets one (measured: a spoofed
     * SYN flood, where every packet is a flow, spent a tenth of its time formatting uids).
     */
    public static String uidText(long uid) {
        byte[] out = new byte[14];
        out[0] = 'C';
        long v = uid;
        for (int i = 13; i >= 1; i--) {
            out[i] = B32[(int) (v & 31)];
            v >>>= 5;
        }
        return new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
