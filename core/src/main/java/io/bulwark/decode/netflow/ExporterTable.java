package io.bulwark.decode.netflow;

import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.flow.IpAddr;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Exporters by (address, port, protocol) in an open-addressing table of fixed size, so that
 * finding the exporter of a datagram allocates nothing. At most {@code max} exporters get
 * their own entry, kept for the decoder's life; every later one (a spoofed flood looks like
 * that) shares one overflow entry per protocol, which holds no templates.
 */
final class ExporterTable {
    private final Exporter[] table;
    private final int mask;
    private final int max;
    private final int domains;
    private final List<Exporter> all = new ArrayList<>();
    private final Exporter[] overflow = new Exporter[ExportedFlow.Source.values().length];

    ExporterTable(int max, int domains) {
        this.max = max;
        this.domains = domains;
        int cap = Integer.highestOneBit(Math.max(2, max) * 2 - 1) << 1;
        table = new Exporter[cap];
        mask = cap - 1;
    }

    /** The exporter's entry, created on first sight; the shared overflow entry when full. */
    Exporter get(long hi, long lo, int port, ExportedFlow.Source source) {
        int i = hash(hi, lo, port, source) & mask;
        while (true) {
            Exporter e = table[i];
            if (e == null) {
                break;
            }
            if (e.same(hi, lo, port, source)) {
                return e;
            }
            i = (i + 1) & mask;
        }
        if (all.size() >= max) {
            Exporter o = overflow[source.ordinal()];
            if (o == null) {
                o = new Exporter(0, 0, 0, source, true, "overflow", domains);
                overflow[source.ordinal()] = o;
            }
            return o;
        }
        Exporter e = new Exporter(hi, lo, port, source, false, name(hi, lo, port), domains);
        table[i] = e;
        all.add(e);
        return e;
    }

    private static String name(long hi, long lo, int port) {
        String a = new IpAddr(hi, lo).toString();
        return IpAddr.isV4(hi, lo) ? a + ":" + port : "[" + a + "]:" + port;
    }

    private static int hash(long hi, long lo, int port, ExportedFlow.Source source) {
        long h = hi * 0x9E37_79B9_7F4A_7C15L + lo;
        h = h * 0x9E37_79B9_7F4A_7C15L + ((long) port << 8 | source.ordinal());
        h *= 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    int size() {
        return all.size();
    }

    Collection<ExporterStats> stats() {
        List<ExporterStats> s = new ArrayList<>(all.size() + 1);
        for (Exporter e : all) {
            s.add(e.stats);
        }
        for (Exporter o : overflow) {
            if (o != null) {
                s.add(o.stats);
            }
        }
        return s;
    }
}
