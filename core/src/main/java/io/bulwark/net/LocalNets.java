package io.bulwark.net;

import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Cidr;

import java.util.ArrayList;
import java.util.List;

/**
 * The address ranges whose hosts are "devices": the operator's own network. Defaults to the
 * private and link-local ranges (RFC 1918, RFC 6598 shared space, RFC 3927, RFC 4193 ULA,
 * IPv6 link-local). Multicast and broadcast are never devices. Prefixes are parsed as {@link Cidr}
 * (MUD ACEs use the same type) and kept as flat arrays of values and masks for the per-packet test.
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
            Cidr c = Cidr.of(cidrs.get(i).trim());
            maskHi[i] = Cidr.mask(c.bits(), true);
            maskLo[i] = Cidr.mask(c.bits(), false);
            hi[i] = c.hi();
            lo[i] = c.lo();
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
