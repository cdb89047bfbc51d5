package io.bulwark.flow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.decode.export.ExportedFlow;

import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Turns exported flow records (NetFlow, IPFIX, sFlow samples) into the bidirectional
 * {@link FlowRecord}s the detectors expect, and hands them on in traffic-time order.
 *
 * <p>Two stages, both bounded and both driven by traffic time only (the largest record end
 * seen so far), so a replay gives what live collection gives:
 * <ol>
 *   <li><b>Pairing.</b> Routers export each direction of a conversation as its own record
 *       (RFC 3954, RFC 7011; only RFC 5103 biflows carry both). A record waits here until the
 *       record of the opposite direction arrives, with overlapping times; the two become one
 *       FlowRecord whose originator is the side that sent the bare SYN, or else the side that
 *       started first. Records of the same direction that overlap in time (sFlow samples of one
 *       conversation, active-timeout pieces) are added together while they wait. A record
 *       whose answer does not come within {@link Config#pairNanos} of traffic time leaves
 *       one-way: for TCP that is what an unanswered SYN looks like (Zeek's S0). At most
 *       {@link Config#maxPending} records wait; beyond that the oldest leaves one-way
 *       ({@link Anomaly#stitch_pending_full}).</li>
 *   <li><b>Reordering.</b> Exporters send records when flows end or time out, so they arrive
 *       ordered by end rather than start, and a collector that restarts or an exporter that
 *       flushes its cache (softflowd at the end of a file) sends them in any order. Records
 *       wait in a heap ordered by start until the largest end seen is
 *       {@link Config#latenessNanos} past them, like a Flink bounded-out-of-orderness
 *       watermark. A record later than that goes on at once and is counted
 *       ({@link Anomaly#export_record_late}); at most {@link Config#maxReorder} records wait
 *       ({@link Anomaly#reorder_buffer_full} releases the earliest).</li>
 * </ol>
 * Not thread-safe: one collector or analyzer thread owns it.
 */
public final class FlowStitcher {
    /**
     * @param pairNanos     how long (traffic time past its end) a one-way record waits for its
     *                      reverse; default 30 s
     * @param maxPending    records waiting for a reverse; default 262,144 (about 200 bytes each)
     * @param latenessNanos how far (traffic time) records may arrive out of start order and still
     *                      be put back in order; default 600 s, the longest common active timeout
     * @param maxReorder    records held for reordering; default 262,144 (about 300 bytes each)
     * @param bounds        what the export decoders believe before a record gets here, and each
     *                      exporter's record budget (the same {@code exports} config keys)
     */
    public record Config(long pairNanos, int maxPending, long latenessNanos, int maxReorder, ExportBounds bounds) {
        public Config {
            if (bounds == null) {
                bounds = ExportBounds.defaults();
            }
        }

        /** With the default {@link ExportBounds}. */
        public Config(long pairNanos, int maxPending, long latenessNanos, int maxReorder) {
            this(pairNanos, maxPending, latenessNanos, maxReorder, ExportBounds.defaults());
        }

        public static Config defaults() {
            return new Config(30_000_000_000L, 262_144, 600_000_000_000L, 262_144);
        }
    }

    private static final int SWEEP_EVERY = 4096;
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;

    private final Config cfg;
    private final AnomalyCounters anomalies;
    private final Consumer<FlowRecord> sink;
    private final LinkedHashMap<Key, Half> pending = new LinkedHashMap<>();
    private final PriorityQueue<FlowRecord> reorder = new PriorityQueue<>(
            (a, b) -> Long.compare(a.startNanos(), b.startNanos()));
    private final Map<IpAddr, String> exporterNames = new HashMap<>();
    private long clock = Long.MIN_VALUE;
    private long released = Long.MIN_VALUE;
    private long seq;
    private long sweptAt;
    private long sweptClock = Long.MIN_VALUE;
    private long paired, oneWay, late;

    public FlowStitcher(Config cfg, AnomalyCounters anomalies, Consumer<FlowRecord> sink) {
        this.cfg = cfg;
        this.anomalies = anomalies;
        this.sink = sink;
    }

    /** Direction-sensitive 5-tuple. */
    private record Key(long sHi, long sLo, int sPort, long dHi, long dLo, int dPort, int proto) {
        Key reverse() {
            return new Key(dHi, dLo, dPort, sHi, sLo, sPort, proto);
        }
    }

    /** One direction, copied out of the decoder's reused record. */
    private static final class Half {
        final Key key;
        long start, end, packets, bytes;
        int flags, samplingRate;
        long exporterHi, exporterLo;
        long seq;

        Half(Key key, ExportedFlow f, long seq) {
            this.key = key;
            this.start = f.startNanos;
            this.end = Math.max(f.startNanos, f.endNanos);
            this.packets = f.packets;
            this.bytes = f.bytes;
            this.flags = f.tcpFlags & 0xff;
            this.samplingRate = Math.max(1, f.samplingRate);
            this.exporterHi = f.exporterHi;
            this.exporterLo = f.exporterLo;
            this.seq = seq;
        }

        boolean overlaps(long s, long e, long slack) {
            return s <= end + slack && start <= e + slack;
        }
    }

    /** Takes one exported record (copied; {@code f} may be reused afterwards). */
    public void add(ExportedFlow f) {
        long end = Math.max(f.startNanos, f.endNanos);
        if (end > clock) {
            clock = end;
        }
        Key key = new Key(f.srcHi, f.srcLo, f.srcPort, f.dstHi, f.dstLo, f.dstPort, f.protocol);
        Half h = new Half(key, f, seq++);
        if (f.reversePackets > 0) {
            // An RFC 5103 biflow already holds both directions.
            Half r = new Half(key.reverse(), f, h.seq);
            r.packets = f.reversePackets;
            r.bytes = f.reverseBytes;
            r.flags = f.reverseTcpFlags & 0xff;
            paired++;
            emit(h, r);
        } else {
            Half rev = pending.get(key.reverse());
            if (rev != null && rev.overlaps(h.start, h.end, cfg.pairNanos())) {
                pending.remove(rev.key);
                paired++;
                emit(rev, h);
            } else {
                Half same = pending.get(key);
                if (same != null && same.overlaps(h.start, h.end, cfg.pairNanos())) {
                    same.start = Math.min(same.start, h.start);
                    same.end = Math.max(same.end, h.end);
                    same.packets += h.packets;
                    same.bytes += h.bytes;
                    same.flags |= h.flags;
                } else {
                    if (same != null) {
                        pending.remove(key);
                        leaveOneWay(same);
                    }
                    if (pending.size() >= cfg.maxPending()) {
                        Iterator<Half> it = pending.values().iterator();
                        Half oldest = it.next();
                        it.remove();
                        anomalies.count(Anomaly.stitch_pending_full, -1);
                        leaveOneWay(oldest);
                    }
                    pending.put(key, h);
                }
            }
        }
        // Every 4096 records, or once the traffic clock has moved a pairing window on: a quiet
        // exporter (a few records a minute) must not hold an unanswered SYN for hours.
        if (sweptClock == Long.MIN_VALUE) {
            sweptClock = clock;
        }
        if (seq - sweptAt >= SWEEP_EVERY || clock - sweptClock >= cfg.pairNanos()) {
            sweep();
        }
        releaseReady();
    }

    /**
     * One-way records whose reverse has had its chance: older than the pairing window, and
     * already waiting at the previous sweep, so that the two directions of a flow, which
     * exporters send side by side, always meet even in a burst that jumps the clock ahead.
     */
    private void sweep() {
        long limit = clock - cfg.pairNanos();
        Iterator<Half> it = pending.values().iterator();
        while (it.hasNext()) {
            Half h = it.next();
            if (h.seq >= sweptAt) {
                break;
            }
            if (h.end < limit) {
                it.remove();
                leaveOneWay(h);
            }
        }
        sweptAt = seq;
        sweptClock = clock;
    }

    private void leaveOneWay(Half h) {
        oneWay++;
        queue(record(h, null));
    }

    private void emit(Half a, Half b) {
        // The originator sent the bare SYN; otherwise the side that started first; on a tie
        // (millisecond clocks), the side with the higher port, the client's ephemeral one.
        boolean aSyn = (a.flags & (SYN | ACK)) == SYN || ((a.flags & SYN) != 0 && (b.flags & SYN) == 0);
        boolean bSyn = (b.flags & (SYN | ACK)) == SYN || ((b.flags & SYN) != 0 && (a.flags & SYN) == 0);
        boolean aFirst;
        if (aSyn != bSyn) {
            aFirst = aSyn;
        } else if (a.start != b.start) {
            aFirst = a.start < b.start;
        } else {
            aFirst = a.key.sPort >= b.key.sPort;
        }
        queue(aFirst ? record(a, b) : record(b, a));
    }

    private FlowRecord record(Half o, Half r) {
        Key k = o.key;
        long start = r == null ? o.start : Math.min(o.start, r.start);
        long end = r == null ? o.end : Math.max(o.end, r.end);
        long pIn = r == null ? 0 : r.packets;
        int fIn = r == null ? 0 : r.flags;
        int hash = FlowTable.hash(k.sHi, k.sLo, k.sPort, k.dHi, k.dLo, k.dPort, k.proto);
        String uid = FlowIds.uidText(FlowIds.uid(start, hash, o.seq));
        return new FlowRecord(uid, new IpAddr(k.sHi, k.sLo), k.sPort, new IpAddr(k.dHi, k.dLo), k.dPort, k.proto,
                start, end, o.packets, o.bytes, pIn, r == null ? 0 : r.bytes, o.flags, fIn,
                FlowTable.connState(k.proto, o.flags, fIn, pIn), o.samplingRate,
                exporterName(o.exporterHi, o.exporterLo), false, -1, FlowRecord.EndReason.exported);
    }

    private String exporterName(long hi, long lo) {
        IpAddr k = new IpAddr(hi, lo);
        String s = exporterNames.get(k);
        if (s == null) {
            s = k.toString();
            if (exporterNames.size() < 1024) {
                exporterNames.put(k, s);
            }
        }
        return s;
    }

    private void queue(FlowRecord r) {
        if (r.startNanos() < released) {
            late++;
            anomalies.count(Anomaly.export_record_late, -1);
            sink.accept(r);
            return;
        }
        if (reorder.size() >= cfg.maxReorder()) {
            anomalies.count(Anomaly.reorder_buffer_full, -1);
            release(reorder.poll());
        }
        reorder.add(r);
    }

    private void releaseReady() {
        long watermark = clock - cfg.latenessNanos();
        while (!reorder.isEmpty() && reorder.peek().startNanos() <= watermark) {
            release(reorder.poll());
        }
    }

    private void release(FlowRecord r) {
        if (r.startNanos() > released) {
            released = r.startNanos();
        }
        sink.accept(r);
    }

    /** End of input (or shutdown): every waiting record leaves, in start order. */
    public void flush() {
        for (Half h : pending.values()) {
            oneWay++;
            queue(record(h, null));
        }
        pending.clear();
        while (!reorder.isEmpty()) {
            release(reorder.poll());
        }
    }

    /** Records waiting (pairing plus reordering); zero after {@link #flush()}. */
    public int waiting() {
        return pending.size() + reorder.size();
    }

    public long paired() {
        return paired;
    }

    public long oneWay() {
        return oneWay;
    }

    public long late() {
        return late;
    }
}
