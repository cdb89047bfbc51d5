package io.bulwark.mud;

import io.bulwark.flow.IpAddr;

import java.io.Serializable;

/**
 * An address prefix ("192.0.2.0/24", "2001:db8::/32"); IPv4 held IPv4-mapped, as {@link IpAddr} does.
 *
 * @param bits prefix length over the 128-bit form (IPv4 /24 is 120)
 */
public record Cidr(long hi, long lo, int bits, String text) implements Serializable {
    /** Parses "addr/len" or a bare address; null when it is neither. */
    public static Cidr parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return of(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses "addr/len" or a bare address (a bare address is a /32 or /128).
     *
     * @throws IllegalArgumentException "not a CIDR prefix: s" or "prefix length out of range: s"
     */
    public static Cidr of(String s) {
        int slash = s.indexOf('/');
        IpAddr a = IpAddr.parse(slash < 0 ? s : s.substring(0, slash));
        if (a == null) {
            throw new IllegalArgumentException("not a CIDR prefix: " + s);
        }
        int max = a.isV4() ? 32 : 128;
        int len = max;
        if (slash >= 0) {
            try {
                len = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR prefix: " + s);
            }
            if (len < 0 || len > max) {
                throw new IllegalArgumentException("prefix length out of range: " + s);
            }
        }
        int bits = a.isV4() ? 96 + len : len;
        return new Cidr(a.hi() & mask(bits, true), a.lo() & mask(bits, false), bits, s);
    }

    /**
     * The mask of a prefix {@code bits} long (over the 128-bit form) for the high or the low
     * 64 bits of an address.
     */
    public static long mask(int bits, boolean high) {
        int n = high ? Math.min(bits, 64) : Math.max(0, bits - 64);
        return n == 0 ? 0 : -1L << (64 - n);
    }

    public boolean contains(IpAddr a) {
        return (a.hi() & mask(bits, true)) == hi && (a.lo() & mask(bits, false)) == lo;
    }

    @Override
    public String toString() {
        return text;
    }
}
