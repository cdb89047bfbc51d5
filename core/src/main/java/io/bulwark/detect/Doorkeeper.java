package io.bulwark.detect;

/**
 * Remembers, approximately, which addresses were seen recently: a Bloom filter of
 * {@code 2^log2Bits} bits with two hash functions, cleared after {@code capacity} insertions
 * (the "doorkeeper" of TinyLFU admission). {@link #seenBefore} answers true for an address
 * inserted since the last clear, and for a few others (at most about 5 % with the engine's
 * 2^23 bits and 2^20 insertions); never false for one inserted since the clear.
 *
 * <p>The hash is fixed, not seeded: an attacker who knows it can pick addresses that collide
 * and so be admitted, which only brings back the eviction the table had without it; it cannot
 * exceed the table's bound. 1 MiB, allocated once.
 */
final class Doorkeeper {
    private final long[] bits;
    private final int mask;
    private final int capacity;
    private int inserted;

    Doorkeeper(int log2Bits, int capacity) {
        this.bits = new long[1 << (log2Bits - 6)];
        this.mask = (1 << log2Bits) - 1;
        this.capacity = capacity;
    }

    /** True if the address was (probably) seen since the last clear; records it either way. */
    boolean seenBefore(long hi, long lo) {
        long h = mix(hi * 0x9E3779B97F4A7C15L ^ lo);
        int a = (int) h & mask;
        int b = (int) (h >>> 32) & mask;
        boolean seen = get(a) && get(b);
        if (!seen) {
            if (inserted >= capacity) {
                java.util.Arrays.fill(bits, 0L);
                inserted = 0;
            }
            set(a);
            set(b);
            inserted++;
        }
        return seen;
    }

    private boolean get(int i) {
        return (bits[i >>> 6] & (1L << i)) != 0;
    }

    private void set(int i) {
        bits[i >>> 6] |= 1L << i;
    }

    /** Stafford's variant 13 of the SplitMix64 finaliser. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
