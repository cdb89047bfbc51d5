package io.bulwark.flow;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 or IPv6 address as two longs, so that the per-packet path can carry addresses
 * without allocating. IPv4 addresses are held IPv4-mapped ({@code ::ffff:a.b.c.d}, RFC 4291
 * section 2.5.5.2): {@code hi == 0} and {@code lo == 0x0000_ffff_xxxx_xxxxL}.
 */
public record IpAddr(long hi, long lo) implements Comparable<IpAddr> {
    static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    public static IpAddr ofV4(int v4) {
        return new IpAddr(0, V4_MAPPED | (v4 & 0xffff_ffffL));
    }

    public static boolean isV4(long hi, long lo) {
        return hi == 0 && (lo & 0xffff_ffff_0000_0000L) == V4_MAPPED;
    }

    public boolean isV4() {
        return isV4(hi, lo);
    }

    /** The IPv4 address as an int; meaningless unless {@link #isV4()}. */
    public int v4() {
        return (int) lo;
    }

    /** Parses a literal address (no name resolution). Returns null when it is not one. */
    public static IpAddr parse(String s) {
        if (s == null || s.isEmpty()) {
            return null;
        }
        int v4 = parseV4(s);
        if (v4 != -1 || s.equals("255.255.255.255")) {
            return ofV4(v4);
        }
        if (s.indexOf(':') < 0) {
            return null;
        }
        if (s.indexOf('%') >= 0) {
            // A zone id ("fe80::1%eth0") is not part of the address, and InetAddress resolves
            // it against this host's interfaces: the same text would parse on one machine
            // and not on another.
            return null;
        }
        try {
            // Only reached for a string containing ':', which InetAddress parses as a literal.
            byte[] b = InetAddress.getByName(s.startsWith("[") ? s : "[" + s + "]").getAddress();
            return fromBytes(b);
        } catch (UnknownHostException | SecurityException e) {
            return null;
        }
    }

    private static int parseV4(String s) {
        int parts = 0;
        int value = 0;
        int octet = -1;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
                if (octet > 255) {
                    return -1;
                }
            } else if (c == '.' && octet >= 0 && parts < 3) {
                value = (value << 8) | octet;
                parts++;
                octet = -1;
            } else {
                return -1;
            }
        }
        if (parts != 3 || octet < 0) {
            return -1;
        }
        return (value << 8) | octet;
    }

    public static IpAddr fromBytes(byte[] b) {
        if (b.length == 4) {
            return ofV4(((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff));
        }
        if (b.length != 16) {
            throw new IllegalArgumentException("address length " + b.length);
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 8; i++) {
            hi = (hi << 8) | (b[i] & 0xff);
            lo = (lo << 8) | (b[i + 8] & 0xff);
        }
        return new IpAddr(hi, lo);
    }

    /** Network-order bytes: 4 for IPv4, 16 for IPv6 (as the Community ID hash wants them). */
    public byte[] toBytes() {
        if (isV4()) {
            int v = v4();
            return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[i + 8] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    @Override
    public String toString() {
        if (isV4()) {
            int v = v4();
            return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff) + "." + (v & 0xff);
        }
        try {
            String s = InetAddress.getByAddress(toBytes()).getHostAddress();
            return compressV6(s);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** RFC 5952 text: the longest run of zero groups (two or more) becomes "::". */
    private static String compressV6(String full) {
        String[] g = full.split(":");
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < g.length; ) {
            if (g[i].equals("0")) {
                int j = i;
                while (j < g.length && g[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < bestStart; i++) {
            sb.append(i == 0 ? "" : ":").append(g[i]);
        }
        sb.append("::");
        for (int i = bestStart + bestLen; i < g.length; i++) {
            sb.append(i == bestStart + bestLen ? "" : ":").append(g[i]);
        }
        return sb.toString();
    }

    @Override
    public int compareTo(IpAddr o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
