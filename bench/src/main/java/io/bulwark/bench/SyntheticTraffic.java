package io.bulwark.bench;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;

/**
 * Seeded in-memory frames for micro-benchmarks: Ethernet + IPv4 + TCP (70 %) or UDP, between
 * 256 local hosts and 65,536 remote ones, so lookups miss the CPU caches as real traffic does.
 */
record SyntheticTraffic(ByteBuffer buffer, int[] offsets, int[] lengths) {
    static SyntheticTraffic frames(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        ByteBuffer b = ByteBuffer.allocate(n * 128);
        int[] off = new int[n];
        int[] len = new int[n];
        for (int i = 0; i < n; i++) {
            off[i] = b.position();
            boolean tcp = r.nextInt(10) < 7;
            int payload = r.nextInt(48);
            int ipLen = 20 + (tcp ? 20 : 8) + payload;
            b.putShort((short) 0x0011).putInt(0x22334455).putShort((short) 0x0066).putInt(0x778899aa);
            b.putShort((short) 0x0800);
            b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) i).putShort((short) 0x4000)
                    .put((byte) 64).put((byte) (tcp ? 6 : 17)).putShort((short) 0)
                    .putInt(0x0a000000 | r.nextInt(256)).putInt(0x2d000000 | r.nextInt(65536));
            int sport = 1024 + r.nextInt(60000);
            int dport = r.nextInt(4) == 0 ? 23 : 443;
            if (tcp) {
                b.putShort((short) sport).putShort((short) dport).putInt(r.nextInt()).putInt(r.nextInt())
                        .put((byte) 0x50).put((byte) (r.nextInt(5) == 0 ? 0x02 : 0x18)).putShort((short) 29200)
                        .putShort((short) 0).putShort((short) 0);
            } else {
                b.putShort((short) sport).putShort((short) 53).putShort((short) (8 + payload)).putShort((short) 0);
            }
            b.put(new byte[payload]);
            len[i] = b.position() - off[i];
        }
        return new SyntheticTraffic(b, off, len);
    }
}
