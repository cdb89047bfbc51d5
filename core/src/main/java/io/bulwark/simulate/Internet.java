package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * The address space beyond the gateway. Mirai's scanner draws targets uniformly from IPv4
 * and redraws those in a fixed list of private, reserved and government/DoD ranges; the
 * same filter gives benign servers plausible public addresses.
 */
final class Internet {
    private static final boolean[] EXCLUDED_SLASH8 = new boolean[256];

    static {
        // 0/8 "this network", 10/8 private, 127/8 loopback, and the /8s of the US DoD,
        // USPS, HP, GE and others that Mirai's target generator leaves out.
        for (int o : new int[] {0, 3, 6, 7, 10, 11, 15, 16, 21, 22, 26, 28, 29, 30, 33, 55, 56, 127, 214, 215}) {
            EXCLUDED_SLASH8[o] = true;
        }
        for (int o = 224; o < 256; o++) {
            EXCLUDED_SLASH8[o] = true; // multicast and reserved
        }
    }

    private Internet() {
    }

    /** True when Mirai's scanner would never pick {@code ip} (big-endian int). */
    static boolean excludedByMirai(int ip) {
        int a = ip >>> 24;
        int b = (ip >>> 16) & 0xff;
        return EXCLUDED_SLASH8[a]
                || (a == 192 && b == 168)               // RFC 1918
                || (a == 172 && b >= 16 && b < 32)      // RFC 1918
                || (a == 100 && b >= 64 && b < 128)     // RFC 6598 shared address space
                || (a == 169 && b == 254)               // RFC 3927 link-local
                || (a == 198 && (b & 0xfe) == 18);      // RFC 2544 benchmarking
    }

    /** A uniformly random address that Mirai's scanner could target. */
    static int randomPublic(SplittableRandom rng) {
        int ip;
        do {
            ip = rng.nextInt();
        } while (excludedByMirai(ip));
        return ip;
    }

    /** TTL of a packet from a remote host: an OS default (64, 128 or 255) less 6 to 24 hops. */
    static int remoteTtl(SplittableRandom rng) {
        int initial = switch (rng.nextInt(10)) {
            case 0, 1 -> 128;
            case 2 -> 255;
            default -> 64;
        };
        return initial - 6 - rng.nextInt(19);
    }
}
