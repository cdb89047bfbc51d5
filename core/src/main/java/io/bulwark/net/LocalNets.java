package io.bulwark.net;

import io.bulwark.flow.IpAddr;

import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges whose hosts are "devices": the operator's own network. Defaults to the
 * private and link-local ranges (RFC 1918, RFC 6598 shared space, RFC 3927, RFC 4193 ULA,
 * IPv6 link-local). Multicast and broadcast are never devices.
 */
public final class LocalNets {
    private final long[] hi;
    private final long[] lo;
    private final long[] maskHi;
    private final long[] maskLo;
    private final List<String> text;

    private LocalNets(List<String> cidrs) {
        int n = cidrs.size();
        hi = new long[n];
        lo = new long[n];
        maskHi = new long[n];
        maskLo = new long[n];
        text = List.copyOf(cidrs);
        for (int i = 0; i < n; i++) {
            String c = cidrs.get(i).trim();
            int slash = c.indexOf('/');
            IpAddr a = IpAddr.parse(slash < 0 ? c : c.substring(0, slash));
            if (a == null) {
                throw new IllegalArgumentException("not a CIDR prefix: " + c);
            }
            int bits;
            try {
                bits = slash < 0 ? (a.isV4() ? 32 : 128) : Integer.parseInt(c.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR prefix: " + c);
            }
            int max = a.isV4() ? 32 : 128;
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("prefix length out of range: " + c);
            }
            int total = a.isV4() ? bits + 96 : bits;
            maskHi[i] = total >= 64 ? -1L : (total == 0 ? 0 : -1L << (64 - total));
            maskLo[i] = total <= 64 ? 0 : (total >= 128 ? -1L : -1L << (128 - total));
            hi[i] = a.hi() & maskHi[i];
            lo[i] = a.lo() & maskLo[i];
        }
    }

    public static LocalNets of(List<String> cidrs) {
        return new LocalNets(new ArrayList<>(cidrs));
    }

    public static LocalNets defaults() {
        return of(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
                "169.254.0.0/16", "fc00::/7", "fe80::/10"));
    }

    public List<String> prefixes() {
        return text;
    }

    public boolean contains(long h, long l) {
        for (int i = 0; i < hi.length; i++) {
            if ((h & maskHi[i]) == hi[i] && (l & maskLo[i]) == lo[i]) {
                return true;
            }
        }
        return false;
    }

    public boolean contains(IpAddr a) {
        return contains(a.hi(), a.lo());
    }

    /** Local and unicast: a host that can be a device. */
    public boolean isDevice(long h, long l) {
        return isUnicast(h, l) && contains(h, l);
    }

    /** Not multicast, not broadcast, not 0.0.0.0. */
    public static boolean isUnicast(long h, long l) {
        if (IpAddr.isV4(h, l)) {
            int v = (int) l;
            return (v >>> 28) != 0xe && v != -1 && v != 0;
        }
        return (h >>> 56) != 0xff;
    }
}
