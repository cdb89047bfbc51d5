package io.bulwark.decode.netflow;

import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;

import java.util.Arrays;

/**
 * What the decoder remembers about one exporter (address, UDP port, protocol): its counters,
 * how many templates it holds, and per observation domain (IPFIX), source id (v9) or engine
 * (v5) the sequence state, the sampling rate and the system init time its options records
 * announced. Domains are a small fixed array: a further domain takes the oldest slot.
 */
final class Exporter {
    /** Sequence jumps beyond this, either way, are an exporter restart, not loss or reordering. */
    static final long MAX_JUMP = 1 << 20;
    private static final long MASK = 0xffff_ffffL;

    /**
     * Samplers remembered per exporter: Cisco's Flexible NetFlow announces each sampler's rate
     * in an options record keyed by sampler id, and flow records name their sampler.
     */
    static final int MAX_SAMPLERS = 16;

    final long hi, lo;
    final int port;
    final ExportedFlow.Source source;
    final boolean overflow;
    final ExporterStats stats;
    int templates;
    /** Latest export (header) time seen, seconds since the epoch. */
    long lastExportSeconds = Long.MIN_VALUE;

    private final long[] domainId;
    private final boolean[] used;
    private int nextVictim;
    final int[] samplingRate;
    final long[] sysInitMillis;
    private final boolean[] hasSeq;
    private final long[] lastSeq;
    private final int[] lastAll;
    private final int[] lastFlows;
    private final boolean[] lastKnown;
    private final long[] outstanding;
    private final int[] samplerSlot = new int[MAX_SAMPLERS];
    private final long[] samplerId = new long[MAX_SAMPLERS];
    private final int[] samplerRate = new int[MAX_SAMPLERS];
    private int samplers;
    private int nextSampler;

    Exporter(long hi, long lo, int port, ExportedFlow.Source source, boolean overflow, String name, int domains) {
        this.hi = hi;
        this.lo = lo;
        this.port = port;
        this.source = source;
        this.overflow = overflow;
        this.stats = new ExporterStats(name, source);
        domainId = new long[domains];
        used = new boolean[domains];
        samplingRate = new int[domains];
        sysInitMillis = new long[domains];
        hasSeq = new boolean[domains];
        lastSeq = new long[domains];
        lastAll = new int[domains];
        lastFlows = new int[domains];
        lastKnown = new boolean[domains];
        outstanding = new long[domains];
    }

    /** The slot of a domain, taking the oldest slot when all are in use. */
    int domain(long id) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && domainId[i] == id) {
                return i;
            }
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                return claim(i, id);
            }
        }
        int i = nextVictim;
        nextVictim = (nextVictim + 1) % used.length;
        return claim(i, id);
    }

    private int claim(int i, long id) {
        for (int s = 0; s < samplers; s++) {
            if (samplerSlot[s] == i) {
                samplerRate[s] = 0; // the domain's samplers go with it
            }
        }
        used[i] = true;
        domainId[i] = id;
        samplingRate[i] = 0;
        sysInitMillis[i] = Long.MIN_VALUE;
        hasSeq[i] = false;
        outstanding[i] = 0;
        return i;
    }

    /** Notes a sampler's rate, replacing the oldest entry when all are in use. */
    void sampler(int slot, long id, int rate) {
        int free = -1;
        for (int s = 0; s < samplers; s++) {
            if (samplerSlot[s] == slot && samplerId[s] == id) {
                samplerRate[s] = rate;
                return;
            }
            if (samplerRate[s] == 0 && free < 0) {
                free = s;
            }
        }
        if (free < 0) {
            if (samplers < MAX_SAMPLERS) {
                free = samplers++;
            } else {
                free = nextSampler;
                nextSampler = (nextSampler + 1) % MAX_SAMPLERS;
            }
        }
        samplerSlot[free] = slot;
        samplerId[free] = id;
        samplerRate[free] = rate;
    }

    /** A sampler's announced rate, or 0 when it is unknown. */
    int samplerRate(int slot, long id) {
        for (int s = 0; s < samplers; s++) {
            if (samplerSlot[s] == slot && samplerId[s] == id) {
                return samplerRate[s];
            }
        }
        return 0;
    }

    /**
     * Checks a message's sequence number against the previous message of the domain, modulo
     * 2^32. {@code all} counts what the protocol's sequence counts in this message (v5 flows,
     * v9 one packet, IPFIX data records including options records); {@code flows} the same
     * without options records. Exporters disagree on the convention: RFC 7011 section 3.1 says
     * the number counts records <em>before</em> this message, softflowd 1.1.0's IPFIX counts
     * records <em>including</em> it and leaves options records out; so any of those four
     * expectations is in order. A forward jump is loss; a backward one within
     * {@link #MAX_JUMP} is a late (reordered) message, which fills a gap counted before.
     *
     * @param known false when some set could not be decoded, so the count is unknown and the
     *              next message only resynchronises
     * @return records or packets lost (positive), or refilled by a late message (negative)
     */
    long sequence(int d, long seq, int all, int flows, boolean known) {
        seq &= MASK;
        if (!hasSeq[d] || !lastKnown[d]) {
            advance(d, seq, all, flows, known);
            hasSeq[d] = true;
            return 0;
        }
        long base = lastSeq[d];
        int diff = (int) (seq - ((base + lastAll[d]) & MASK));
        if (diff == 0 || seq == ((base + lastFlows[d]) & MASK) || seq == ((base + all) & MASK)
                || seq == ((base + flows) & MASK)) {
            advance(d, seq, all, flows, known);
            return 0;
        }
        if (diff > 0 && diff <= MAX_JUMP) {
            outstanding[d] += diff;
            advance(d, seq, all, flows, known);
            return diff;
        }
        if (diff < 0 && -(long) diff <= MAX_JUMP) {
            long fill = Math.min(all, outstanding[d]);
            outstanding[d] -= fill;
            return -fill;
        }
        advance(d, seq, all, flows, known);
        outstanding[d] = 0;
        return 0;
    }

    private void advance(int d, long seq, int all, int flows, boolean known) {
        lastSeq[d] = seq;
        lastAll[d] = all;
        lastFlows[d] = flows;
        lastKnown[d] = known;
    }

    boolean same(long hi, long lo, int port, ExportedFlow.Source source) {
        return this.hi == hi && this.lo == lo && this.port == port && this.source == source;
    }

    @Override
    public String toString() {
        return stats.exporter + " " + source + " domains " + Arrays.toString(domainId);
    }
}
