package io.bulwark.simulate;

/**
 * Verifies checksums of finished frames independently of {@link Checksum}: a plain
 * 16-bit loop over the bytes, the check a receiver does (a valid sum folds to 0xffff).
 */
final class WireCheck {
    private WireCheck() {
    }

    static int sum16(byte[] b, int off, int len, int initial) {
        long sum = initial;
        for (int i = 0; i < len; i += 2) {
            int hi = b[off + i] & 0xff;
            int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) sum;
    }

    static int u16(byte[] b, int at) {
        return ((b[at] & 0xff) << 8) | (b[at + 1] & 0xff);
    }

    static long u32(byte[] b, int at) {
        return ((long) u16(b, at) << 16) | u16(b, at + 2);
    }

    /** True when the IPv4 header at {@code ip} and its TCP/UDP/ICMP checksum verify. */
    static boolean valid(byte[] b, int ip) {
        int ihl = (b[ip] & 0x0f) * 4;
        if (sum16(b, ip, ihl, 0) != 0xffff) {
            return false;
        }
        int total = u16(b, ip + 2);
        int proto = b[ip + 9] & 0xff;
        int l4 = ip + ihl;
        int l4len = total - ihl;
        if (proto == Frame.PROTO_ICMP) {
            return sum16(b, l4, l4len, 0) == 0xffff;
        }
        if (proto == Frame.PROTO_UDP && u16(b, l4 + 6) == 0) {
            return true;
        }
        int pseudo = sum16(b, ip + 12, 8, 0) + proto + l4len;
        return sum16(b, l4, l4len, pseudo) == 0xffff;
    }
}
