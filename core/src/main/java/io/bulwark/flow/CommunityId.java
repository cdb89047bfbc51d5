package io.bulwark.flow;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec).
 *
 * <pre>
 *  sha1( seed:u16be | saddr | daddr | proto:u8 | 0:u8 | sport:u16be | dport:u16be )
 * </pre>
 * with the endpoints ordered so that both directions hash the same, ports omitted for
 * protocols without them, and ICMP type/code mapped to "ports" so that a request and its
 * reply share an id. Computed on demand (only evidence references need it), so its cost is
 * per referenced flow, not per packet.
 */
public final class CommunityId {
    private static final int ICMP = 1;
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP6 = 58;
    private static final int SCTP = 132;

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    });

    private CommunityId() {
    }

    public static String v1(int seed, IpAddr src, IpAddr dst, int proto, int srcPort, int dstPort) {
        byte[] s = src.toBytes();
        byte[] d = dst.toBytes();
        int sp = srcPort;
        int dp = dstPort;
        boolean oneWay = false;
        if (proto == ICMP || proto == ICMP6) {
            int counterpart = icmpCounterpart(proto == ICMP6, srcPort);
            if (counterpart >= 0) {
                dp = counterpart;
            } else {
                oneWay = true;
            }
        }
        if (!oneWay && !ordered(s, d, sp, dp)) {
            byte[] t = s;
            s = d;
            d = t;
            int tp = sp;
            sp = dp;
            dp = tp;
        }
        // One digest per thread: getInstance looks the provider up on every call, and this runs
        // for every flow that becomes evidence.
        MessageDigest sha1 = SHA1.get();
        sha1.reset();
        sha1.update((byte) (seed >>> 8));
        sha1.update((byte) seed);
        sha1.update(s);
        sha1.update(d);
        sha1.update((byte) proto);
        sha1.update((byte) 0);
        if (proto == TCP || proto == UDP || proto == SCTP || proto == ICMP || proto == ICMP6) {
            sha1.update((byte) (sp >>> 8));
            sha1.update((byte) sp);
            sha1.update((byte) (dp >>> 8));
            sha1.update((byte) dp);
        }
        return "1:" + Base64.getEncoder().encodeToString(sha1.digest());
    }

    private static boolean ordered(byte[] a, byte[] b, int pa, int pb) {
        int c = java.util.Arrays.compareUnsigned(a, b);
        return c < 0 || (c == 0 && pa < pb);
    }

    /** The spec's request/reply pairs; -1 for one-way types. */
    private static int icmpCounterpart(boolean v6, int type) {
        if (v6) {
            return switch (type) {
                case 128 -> 129; case 129 -> 128;
                case 133 -> 134; case 134 -> 133;
                case 135 -> 136; case 136 -> 135;
                case 130 -> 131; case 131 -> 130;
                case 144 -> 145; case 145 -> 144;
                case 146 -> 147; case 147 -> 146;
                default -> -1;
            };
        }
        return switch (type) {
            case 8 -> 0; case 0 -> 8;
            case 13 -> 14; case 14 -> 13;
            case 15 -> 16; case 16 -> 15;
            case 10 -> 9; case 9 -> 10;
            case 17 -> 18; case 18 -> 17;
            default -> -1;
        };
    }
}
