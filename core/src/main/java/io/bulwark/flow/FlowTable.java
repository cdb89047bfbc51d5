package io.bulwark.flow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;

/**
 * Bidirectional flow table in traffic time. Packets of both directions of a 5-tuple land in
 * one {@link FlowEntry}; flows end on idle, active and TCP-close timeouts, at the hard bound
 * {@link FlowConfig#maxFlows} (stalest evicted, counted), or at the end of input, and are
 * then handed to the {@link Sink} as {@link FlowRecord}s.
 *
 * <p>Structure: a chained hash table (power-of-two buckets, the chain threaded through the
 * entries) and four doubly-linked lists ordered by last packet time, one per timeout class.
 * Moving an entry to its list's tail on every packet keeps each list sorted, so expiry pops
 * expired entries from the heads in O(expired), never scanning the table. Entries are pooled,
 * so steady state allocates only the emitted records.
 *
 * <p>Not thread-safe. Time that runs backwards (out-of-order captures) never shortens a flow:
 * the clock used for expiry is the largest timestamp seen.
 */
public final class FlowTable {
    /** Receives every flow that ends. */
    public interface Sink {
        void flowEnded(FlowRecord record, FlowEntry entry);
    }

    private static final int TCP_OPEN = 0;
    private static final int TCP_CLOSED = 1;
    private static final int UDP = 2;
    private static final int OTHER = 3;
    /** Unanswered TCP connection attempts; kept in order of their first SYN, not their last packet. */
    private static final int ATTEMPT = 4;
    private static final int LISTS = 5;
    /**
     * The bucket array starts small and doubles with the live flows (load factor 1), so that it
     * stays as small as the traffic allows: a lookup is a cache miss into the bucket array,
     * and a smaller array misses less. Measured on the 3M-packet bench capture: a fixed
     * 2M-bucket array spent 0.18 s in lookups, a growing one 0.1 s (docs/performance.md).
     */
    private static final int INITIAL_BUCKETS = 1 << 12;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int FIN = 0x01;
    private static final int RST = 0x04;

    private final FlowConfig cfg;
    private final AnomalyCounters anomalies;
    private final String exporter;
    private FlowEntry[] buckets;
    private int mask;
    private final int maxBuckets;
    private final FlowEntry[] heads = new FlowEntry[LISTS];
    private final FlowEntry[] tails = new FlowEntry[LISTS];
    private final long[] idle = new long[LISTS];
    private FlowEntry free;
    private int size;
    private long created;
    private long now = Long.MIN_VALUE;
    private long evictions;

    public FlowTable(FlowConfig cfg, AnomalyCounters anomalies, String exporter) {
        this.cfg = cfg;
        this.anomalies = anomalies;
        this.exporter = exporter;
        this.maxBuckets = Integer.highestOneBit(Math.max(16, cfg.maxFlows()) * 2 - 1);
        int n = Math.min(maxBuckets, INITIAL_BUCKETS);
        this.buckets = new FlowEntry[n];
        this.mask = n - 1;
        idle[TCP_OPEN] = cfg.tcpIdleNanos();
        idle[TCP_CLOSED] = cfg.closedNanos();
        idle[UDP] = cfg.udpIdleNanos();
        idle[OTHER] = cfg.otherIdleNanos();
        idle[ATTEMPT] = cfg.attemptNanos();
    }

    public int size() {
        return size;
    }

    public long flowsCreated() {
        return created;
    }

    public long evictions() {
        return evictions;
    }

    /** The largest packet time seen so far. */
    public long now() {
        return now;
    }

    /**
     * Adds a decoded IP packet and returns its flow. Flows that this packet ends (active
     * timeout, a new SYN on a closed connection, eviction at the bound) go to {@code sink}.
     */
    public FlowEntry add(Packet p, Sink sink) {
        long ts = p.tsNanos;
        if (ts > now) {
            now = ts;
        }
        int h = hash(p.srcHi, p.srcLo, p.srcPort, p.dstHi, p.dstLo, p.dstPort, p.protocol);
        FlowEntry e = find(h, p);
        if (e != null && p.protocol == 6 && e.closed && (p.tcpFlags & (SYN | ACK)) == SYN) {
            // A fresh SYN on a closed connection starts a new one (port reuse).
            end(e, FlowRecord.EndReason.tcp_close, sink);
            e = null;
        }
        if (e != null && ts - e.start > cfg.activeNanos()) {
            end(e, FlowRecord.EndReason.active, sink);
            e = null;
        }
        if (e == null) {
            e = create(h, p, sink);
        } else {
            e.isNew = false;
            e.fromA = e.aLo == p.srcLo && e.aHi == p.srcHi && e.aPort == p.srcPort;
        }
        if (ts > e.last) {
            e.last = ts;
        }
        if (e.fromA) {
            e.pktsA++;
            e.bytesA += p.ipLength;
            e.flagsA |= p.tcpFlags;
        } else {
            e.pktsB++;
            e.bytesB += p.ipLength;
            e.flagsB |= p.tcpFlags;
        }
        if (p.protocol == 6 && !e.closed
                && ((p.tcpFlags & RST) != 0 || ((e.flagsA & FIN) != 0 && (e.flagsB & FIN) != 0))) {
            e.closed = true;
        }
        int list = listFor(e);
        if (list != ATTEMPT || e.list != ATTEMPT) {
            unlink(e);
            e.list = list;
            append(e);
        }
        return e;
    }

    private static int listFor(FlowEntry e) {
        if (e.proto == 6) {
            if (e.closed) {
                return TCP_CLOSED;
            }
            return e.pktsB == 0 && (e.flagsA & (SYN | ACK)) == SYN ? ATTEMPT : TCP_OPEN;
        }
        return e.proto == 17 ? UDP : OTHER;
    }

    private FlowEntry find(int h, Packet p) {
        for (FlowEntry e = buckets[h & mask]; e != null; e = e.chain) {
            if (e.hash != h || e.proto != p.protocol) {
                continue;
            }
            if (e.aLo == p.srcLo && e.aHi == p.srcHi && e.aPort == p.srcPort
                    && e.bLo == p.dstLo && e.bHi == p.dstHi && e.bPort == p.dstPort) {
                return e;
            }
            if (e.aLo == p.dstLo && e.aHi == p.dstHi && e.aPort == p.dstPort
                    && e.bLo == p.srcLo && e.bHi == p.srcHi && e.bPort == p.srcPort) {
                return e;
            }
        }
        return null;
    }

    private FlowEntry create(int h, Packet p, Sink sink) {
        if (size >= cfg.maxFlows()) {
            evictStalest(sink);
        }
        FlowEntry e = free;
        if (e != null) {
            free = e.chain;
        } else {
            e = new FlowEntry();
        }
        // The answer to a SYN we never saw (capture started mid-handshake): its sender is the
        // responder, as Zeek decides.
        boolean swap = p.protocol == 6 && (p.tcpFlags & (SYN | ACK)) == (SYN | ACK);
        if (swap) {
            e.aHi = p.dstHi; e.aLo = p.dstLo; e.aPort = p.dstPort;
            e.bHi = p.srcHi; e.bLo = p.srcLo; e.bPort = p.srcPort;
        } else {
            e.aHi = p.srcHi; e.aLo = p.srcLo; e.aPort = p.srcPort;
            e.bHi = p.dstHi; e.bLo = p.dstLo; e.bPort = p.dstPort;
        }
        e.fromA = !swap;
        e.proto = p.protocol;
        e.hash = h;
        e.start = p.tsNanos;
        e.last = p.tsNanos;
        e.pktsA = e.bytesA = e.pktsB = e.bytesB = 0;
        e.flagsA = e.flagsB = 0;
        e.closed = false;
        e.firstOffset = p.fileOffset;
        e.isNew = true;
        e.attachA = e.attachB = null;
        // A pooled entry keeps its last flow's scores otherwise: another flow's packets would carry them.
        e.scoreA = e.scoreB = 0;
        e.uid = FlowIds.uid(p.tsNanos, h, created++);
        if (size >= buckets.length && buckets.length < maxBuckets) {
            grow();
        }
        int bi = h & mask;
        e.chain = buckets[bi];
        buckets[bi] = e;
        e.list = listFor(e);
        e.prev = e.next = null;
        append(e);
        size++;
        return e;
    }

    private void grow() {
        FlowEntry[] old = buckets;
        FlowEntry[] next = new FlowEntry[old.length * 2];
        int m = next.length - 1;
        for (FlowEntry head : old) {
            for (FlowEntry e = head; e != null; ) {
                FlowEntry following = e.chain;
                int bi = e.hash & m;
                e.chain = next[bi];
                next[bi] = e;
                e = following;
            }
        }
        buckets = next;
        mask = m;
    }

    /** The list head with the oldest last packet: the stalest flow (or null when empty). */
    private FlowEntry stalest() {
        FlowEntry victim = null;
        for (FlowEntry head : heads) {
            if (head != null && (victim == null || head.last < victim.last)) {
                victim = head;
            }
        }
        return victim;
    }

    private void evictStalest(Sink sink) {
        FlowEntry victim = stalest();
        if (victim != null) {
            evictions++;
            anomalies.count(Anomaly.flow_table_full, -1);
            end(victim, FlowRecord.EndReason.evicted, sink);
        }
    }

    /** Ends every flow idle past its timeout at traffic time {@code at}. */
    public void expire(long at, Sink sink) {
        if (at > now) {
            now = at;
        }
        for (int l = 0; l < LISTS; l++) {
            FlowEntry e;
            while ((e = heads[l]) != null && now - (l == ATTEMPT ? e.start : e.last) > idle[l]) {
                end(e, l == TCP_CLOSED ? FlowRecord.EndReason.tcp_close : FlowRecord.EndReason.idle, sink);
            }
        }
    }

    /** Ends all flows, oldest first (end of input). */
    public void flush(Sink sink) {
        while (size > 0) {
            end(stalest(), FlowRecord.EndReason.end_of_input, sink);
        }
    }

    private void end(FlowEntry e, FlowRecord.EndReason reason, Sink sink) {
        FlowRecord r = new FlowRecord(FlowIds.uidText(e.uid),
                new IpAddr(e.aHi, e.aLo), e.aPort, new IpAddr(e.bHi, e.bLo), e.bPort, e.proto,
                e.start, e.last, e.pktsA, e.bytesA, e.pktsB, e.bytesB, e.flagsA, e.flagsB,
                connState(e), 1, exporter, true, e.firstOffset, reason);
        remove(e);
        sink.flowEnded(r, e);
        e.attachA = e.attachB = null;
        e.chain = free;
        free = e;
    }

    private void remove(FlowEntry e) {
        int bi = e.hash & mask;
        FlowEntry prev = null;
        for (FlowEntry c = buckets[bi]; c != null; prev = c, c = c.chain) {
            if (c == e) {
                if (prev == null) {
                    buckets[bi] = c.chain;
                } else {
                    prev.chain = c.chain;
                }
                break;
            }
        }
        unlink(e);
        size--;
    }

    private void append(FlowEntry e) {
        int l = e.list;
        e.next = null;
        e.prev = tails[l];
        if (tails[l] != null) {
            tails[l].next = e;
        } else {
            heads[l] = e;
        }
        tails[l] = e;
    }

    private void unlink(FlowEntry e) {
        int l = e.list;
        if (e.prev != null) {
            e.prev.next = e.next;
        } else if (heads[l] == e) {
            heads[l] = e.next;
        }
        if (e.next != null) {
            e.next.prev = e.prev;
        } else if (tails[l] == e) {
            tails[l] = e.prev;
        }
        e.prev = e.next = null;
    }

    /** Zeek's conn_state values, from the flags each side sent. */
    static String connState(FlowEntry e) {
        return connState(e.proto, e.flagsA, e.flagsB, e.pktsB);
    }

    /** Zeek's conn_state from the protocol, the flags each side sent and the responder's packets. */
    static String connState(int proto, int flagsA, int flagsB, long pktsB) {
        if (proto != 6) {
            return pktsB > 0 ? "SF" : "S0";
        }
        boolean synA = (flagsA & SYN) != 0;
        boolean synAckB = (flagsB & (SYN | ACK)) == (SYN | ACK);
        boolean rstA = (flagsA & RST) != 0;
        boolean rstB = (flagsB & RST) != 0;
        boolean finA = (flagsA & FIN) != 0;
        boolean finB = (flagsB & FIN) != 0;
        if (!synA) {
            return "OTH";
        }
        if (!synAckB) {
            if (rstB) {
                return "REJ";
            }
            return rstA ? "RSTOS0" : (pktsB == 0 ? "S0" : "OTH");
        }
        if (rstA) {
            return "RSTO";
        }
        if (rstB) {
            return "RSTR";
        }
        if (finA && finB) {
            return "SF";
        }
        if (finA) {
            return "S2";
        }
        return finB ? "S3" : "S1";
    }

    /** Direction-independent hash of the 5-tuple: the two endpoint hashes are summed. */
    static int hash(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto) {
        long a = mix(sHi ^ (sLo * 0x9E3779B97F4A7C15L) ^ sPort);
        long b = mix(dHi ^ (dLo * 0x9E3779B97F4A7C15L) ^ dPort);
        long h = (a + b) ^ (proto * 0xC2B2AE3D27D4EB4FL);
        return (int) (h ^ (h >>> 32));
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
