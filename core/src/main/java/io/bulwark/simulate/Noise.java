package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * Seeded filler for payloads: a block of random bytes (what TLS ciphertext or compressed
 * media looks like) and a block of lower-case text (HTML bodies). Payload bytes are copied
 * from them at an offset derived from a key, so generating a 1448-byte segment is one
 * array copy, and the same key always gives the same bytes.
 */
final class Noise {
    private static final int SIZE = 1 << 16;
    private static final int MASK = SIZE - 1;

    private final byte[] random = new byte[SIZE + Frame.MAX_LENGTH];
    private final byte[] text = new byte[SIZE + Frame.MAX_LENGTH];

    Noise(SplittableRandom rng) {
        rng.nextBytes(random);
        int i = 0;
        while (i < text.length) {
            int word = 1 + rng.nextInt(9);
            for (int k = 0; k < word && i < text.length; k++) {
                text[i++] = (byte) ('a' + rng.nextInt(26));
            }
            if (i < text.length) {
                text[i++] = (byte) (rng.nextInt(12) == 0 ? '\n' : ' ');
            }
        }
    }

    /** Appends {@code n} (at most a frame) random bytes chosen by {@code key}. */
    void random(Frame f, long key, int n) {
        f.bytes(random, (int) (key & MASK), n);
    }

    /** Appends {@code n} (at most a frame) bytes of text chosen by {@code key}. */
    void text(Frame f, long key, int n) {
        f.bytes(text, (int) (key & MASK), n);
    }
}
