package io.bulwark.decode.export;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Seeded random export datagrams, as anyone who can send UDP to a collector makes them: the
 * framing each format checks first is right (version, count, lengths, set headers, templates of
 * known elements, sample and record headers), so that the datagram gets past the framing, and
 * the values inside are random: counters, times, addresses, ports, flags, sampling rates. Half
 * of the NetFlow v5, v9 and IPFIX headers carry the arrival time as export time, so that the
 * records' own values are what must be refused. Deterministic for a seed.
 */
public final class RandomExports {
    /** The information elements the decoders read, with a length each may have (NetFlow v9 shares them below 128). */
    private static final int[][] ELEMENTS = {
            {8, 4}, {12, 4}, {27, 16}, {28, 16}, {7, 2}, {11, 2}, {4, 1}, {6, 1}, {6, 2}, {1, 4}, {1, 8}, {2, 4},
            {2, 8}, {2, 2}, {1, 2}, {85, 8}, {86, 8}, {60, 1}, {32, 2}, {139, 2}, {22, 4}, {21, 4}, {150, 4}, {151, 4},
            {152, 8}, {153, 8}, {154, 8}, {155, 8}, {156, 8}, {157, 8}, {158, 4}, {159, 4}, {160, 8}, {34, 4}, {34, 2},
            {35, 1}, {50, 4}, {305, 4}, {306, 4}, {48, 1}, {302, 2}, {10, 4}, {14, 4}, {5, 1}};

    private final SplittableRandom rnd;

    public RandomExports(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** One datagram of the given format: "v5", "v9", "ipfix" or "sflow". */
    public byte[] next(String format, long arrivalNanos) {
        return switch (format) {
            case "v5" -> v5(arrivalNanos);
            case "v9" -> v9(arrivalNanos);
            case "ipfix" -> ipfix(arrivalNanos);
            case "sflow" -> sflow();
            default -> throw new IllegalArgumentException(format);
        };
    }

    /** Version 5 and a count of 1..30; exactly that many records, or (one in four) any length. */
    public byte[] v5(long arrivalNanos) {
        int count = 1 + rnd.nextInt(30);
        int length = rnd.nextInt(4) == 0 ? 24 + rnd.nextInt(1476) : 24 + 48 * count;
        ByteBuffer b = randomBytes(Math.max(length, 24 + 48 * count));
        b.putShort(0, (short) 5).putShort(2, (short) count);
        if (rnd.nextBoolean()) {
            plausibleV5Header(b, arrivalNanos);
        }
        byte[] out = new byte[length];
        b.get(0, out, 0, Math.min(length, b.capacity()));
        out[0] = 0;
        out[1] = 5;
        out[2] = (byte) (count >>> 8);
        out[3] = (byte) count;
        return out;
    }

    /** A header a real exporter could have sent now; the records stay random. */
    private void plausibleV5Header(ByteBuffer b, long arrivalNanos) {
        b.putInt(8, (int) (arrivalNanos / 1_000_000_000L));
        b.putInt(12, rnd.nextInt(1_000_000_000));
        b.putShort(22, (short) 0);
    }

    /** A v9 header; then random flowsets, or a random template and data flowsets for it. */
    public byte[] v9(long arrivalNanos) {
        ByteBuffer b = ByteBuffer.allocate(1400);
        b.putShort((short) 9).putShort((short) rnd.nextInt(1 << 16));
        b.putInt(rnd.nextInt()).putInt(rnd.nextBoolean() ? (int) (arrivalNanos / 1_000_000_000L) : rnd.nextInt());
        b.putInt(rnd.nextInt()).putInt(rnd.nextInt(4));
        sets(b, false);
        return done(b);
    }

    /** An IPFIX header with the right length; then as {@link #v9}. */
    public byte[] ipfix(long arrivalNanos) {
        ByteBuffer b = ByteBuffer.allocate(1400);
        b.putShort((short) 10).putShort((short) 0);
        b.putInt(rnd.nextBoolean() ? (int) (arrivalNanos / 1_000_000_000L) : rnd.nextInt());
        b.putInt(rnd.nextInt()).putInt(rnd.nextInt(4));
        sets(b, true);
        byte[] m = done(b);
        m[2] = (byte) (m.length >>> 8);
        m[3] = (byte) m.length;
        return m;
    }

    private void sets(ByteBuffer b, boolean ipfix) {
        if (rnd.nextInt(4) == 0) {
            // Random flowsets with valid lengths and ids.
            while (b.remaining() > 64 && rnd.nextInt(4) != 0) {
                int len = 4 + rnd.nextInt(Math.min(400, b.remaining() - 4));
                int id = rnd.nextInt(3) == 0 ? rnd.nextInt(4) : 256 + rnd.nextInt(8);
                b.putShort((short) id).putShort((short) len);
                for (int i = 4; i < len; i++) {
                    b.put((byte) rnd.nextInt(256));
                }
            }
            return;
        }
        int id = 256 + rnd.nextInt(8);
        int fields = 1 + rnd.nextInt(16);
        int[] lengths = new int[fields];
        int setStart = b.position();
        b.putShort((short) (ipfix ? 2 : 0)).putShort((short) 0).putShort((short) id).putShort((short) fields);
        int recLen = 0;
        for (int i = 0; i < fields; i++) {
            int[] e = rnd.nextInt(5) == 0 ? new int[] {rnd.nextInt(1, 400), 1 << rnd.nextInt(4)}
                    : ELEMENTS[rnd.nextInt(ELEMENTS.length)];
            b.putShort((short) e[0]).putShort((short) e[1]);
            lengths[i] = e[1];
            recLen += e[1];
        }
        b.putShort(setStart + 2, (short) (b.position() - setStart));
        int records = Math.max(1, Math.min(20, (b.remaining() - 8) / Math.max(1, recLen)));
        if (recLen * records + 4 > b.remaining()) {
            return;
        }
        setStart = b.position();
        b.putShort((short) id).putShort((short) 0);
        for (int r = 0; r < records; r++) {
            for (int len : lengths) {
                for (int i = 0; i < len; i++) {
                    b.put((byte) rnd.nextInt(256));
                }
            }
        }
        b.putShort(setStart + 2, (short) (b.position() - setStart));
    }

    /** An sFlow v5 datagram, IPv4 agent, 1..8 samples of random flow or counter data. */
    public byte[] sflow() {
        ByteBuffer b = ByteBuffer.allocate(1400);
        int samples = 1 + rnd.nextInt(8);
        b.putInt(5).putInt(1).putInt(rnd.nextInt()).putInt(rnd.nextInt(4)).putInt(rnd.nextInt()).putInt(rnd.nextInt())
                .putInt(samples);
        for (int s = 0; s < samples && b.remaining() > 200; s++) {
            boolean expanded = rnd.nextInt(4) == 0;
            int format = rnd.nextInt(8) == 0 ? rnd.nextInt(1, 5) : expanded ? 3 : 1;
            b.putInt(format);
            int lenAt = b.position();
            b.putInt(0);
            int start = b.position();
            long rate = rnd.nextLong(1L << 32);
            b.putInt(rnd.nextInt());                                   // sequence
            if (expanded) {
                b.putInt(rnd.nextInt(3)).putInt(rnd.nextInt(64));      // source type, index
            } else {
                b.putInt(rnd.nextInt(64));
            }
            b.putInt((int) rate).putInt(rnd.nextInt()).putInt(rnd.nextInt());  // rate, pool, drops
            if (expanded) {
                b.putInt(0).putInt(rnd.nextInt()).putInt(0).putInt(rnd.nextInt());
            } else {
                b.putInt(rnd.nextInt()).putInt(rnd.nextInt());
            }
            int records = 1 + rnd.nextInt(3);
            b.putInt(records);
            for (int r = 0; r < records && b.remaining() > 160; r++) {
                int kind = rnd.nextInt(3);
                if (kind == 0) {
                    b.putInt(1);                                       // raw packet header
                    int hl = 20 + rnd.nextInt(100);
                    b.putInt(16 + ((hl + 3) & ~3));
                    b.putInt(new int[] {1, 11, 12}[rnd.nextInt(3)]);
                    b.putInt(rnd.nextInt());                           // frame length
                    b.putInt(rnd.nextInt(8));                          // stripped
                    b.putInt(hl);
                    int at = b.position();
                    for (int i = 0; i < ((hl + 3) & ~3); i++) {
                        b.put((byte) rnd.nextInt(256));
                    }
                    if (rnd.nextBoolean()) {
                        b.put(at, (byte) 0x45);                        // an IPv4 header's first byte
                    }
                } else if (kind == 1) {
                    b.putInt(3).putInt(32);                            // sampled IPv4
                    b.putInt(rnd.nextInt());                           // IP length
                    b.putInt(rnd.nextInt(256)).putInt(rnd.nextInt()).putInt(rnd.nextInt());
                    b.putInt(rnd.nextInt(65536)).putInt(rnd.nextInt(65536)).putInt(rnd.nextInt(256)).putInt(0);
                } else {
                    int len = 4 * rnd.nextInt(20);
                    b.putInt(rnd.nextInt()).putInt(len);
                    for (int i = 0; i < len; i++) {
                        b.put((byte) rnd.nextInt(256));
                    }
                }
            }
            b.putInt(lenAt, b.position() - start);
        }
        return done(b);
    }

    private ByteBuffer randomBytes(int n) {
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            a[i] = (byte) rnd.nextInt(256);
        }
        return ByteBuffer.wrap(a);
    }

    private static byte[] done(ByteBuffer b) {
        byte[] out = new byte[b.position()];
        b.get(0, out);
        return out;
    }
}
