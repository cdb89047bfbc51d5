package io.bulwark.decode.capture;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;

import java.nio.ByteBuffer;

/**
 * Classic libpcap files (https://www.tcpdump.org/manpages/pcap-savefile.5.html), either
 * byte order, micro- or nanosecond timestamps.
 *
 * <pre>
 *  global header (24 bytes)              record header (16 bytes)
 *  0      magic  a1b2c3d4 | a1b23c4d     0  ts_sec
 *  4      version major, minor          4  ts_usec (or ts_nsec)
 *  8      thiszone (ignored)             8  incl_len  (captured)
 *  12     sigfigs  (ignored)             12 orig_len  (on the wire)
 *  16     snaplen                        16 data ...
 *  20     linktype (low 16 bits; FCS bits above)
 * </pre>
 *
 * A record whose incl_len exceeds {@link #MAX_CAPLEN} or the file's snaplen is damage: it
 * is counted and, because the next record can no longer be found, reading stops there.
 */
final class PcapSource implements CaptureSource {
    /** Largest frame accepted (tcpdump's MAXIMUM_SNAPLEN). */
    static final int MAX_CAPLEN = 262_144;

    private final MappedFile file;
    private final AnomalyCounters anomalies;
    private final boolean swapped;
    private final boolean nanos;
    private final int snaplen;
    private final int linkType;
    private long pos = 24;
    private String stopReason;
    private long stopOffset = -1;

    PcapSource(MappedFile file, AnomalyCounters anomalies, boolean swapped, boolean nanos) {
        this.file = file;
        this.anomalies = anomalies;
        this.swapped = swapped;
        this.nanos = nanos;
        ByteBuffer b = file.buffer();
        this.snaplen = u32(b, 16) > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) u32(b, 16);
        this.linkType = (int) (u32(b, 20) & 0xffff);
    }

    int linkType() {
        return linkType;
    }

    private long u32(ByteBuffer b, int at) {
        int v = b.getInt(at);
        return (swapped ? Integer.reverseBytes(v) : v) & 0xffff_ffffL;
    }

    @Override
    public boolean next(Packet p) {
        if (stopReason != null || pos >= file.size()) {
            return false;
        }
        if (!file.ensure(pos, 16)) {
            return stop(Anomaly.capture_truncated_record, pos,
                    "truncated record header (" + (file.size() - pos) + " of 16 bytes)");
        }
        ByteBuffer b = file.buffer();
        int h = (int) (pos - file.base());
        long sec = u32(b, h);
        long frac = u32(b, h + 4);
        long incl = u32(b, h + 8);
        long orig = u32(b, h + 12);
        if (incl > MAX_CAPLEN) {
            return stop(Anomaly.capture_caplen_too_large, pos, "record length " + incl + " exceeds " + MAX_CAPLEN);
        }
        if (snaplen > 0 && incl > snaplen && snaplen >= 64) {
            // Some writers set a small snaplen but still write larger records; only a
            // snaplen that is itself plausible is held against the record.
            return stop(Anomaly.capture_caplen_exceeds_snaplen, pos,
                    "record length " + incl + " exceeds snaplen " + snaplen);
        }
        if (!file.ensure(pos, 16 + (int) incl)) {
            return stop(Anomaly.capture_truncated_record, pos,
                    "truncated record (" + (file.size() - pos - 16) + " of " + incl + " bytes)");
        }
        b = file.buffer();
        h = (int) (pos - file.base());
        p.buf = b;
        p.frameOffset = h + 16;
        p.caplen = (int) incl;
        // orig_len is unsigned 32-bit: above 2^31-1 it would turn negative as an int.
        p.wirelen = (int) Math.min(Integer.MAX_VALUE, Math.max(orig, incl));
        long fracNanos = nanos ? frac : frac * 1000L;
        if (fracNanos >= 1_000_000_000L) {
            // A fraction of a second of a second or more: the writer is broken or hostile.
            anomalies.count(Anomaly.capture_timestamp_out_of_range, pos);
            fracNanos = 999_999_999L;
        }
        p.tsNanos = sec * 1_000_000_000L + fracNanos;
        p.linkType = linkType;
        p.interfaceId = 0;
        p.fileOffset = pos;
        p.recordLength = 16 + (int) incl;
        pos += 16 + incl;
        return true;
    }

    private boolean stop(Anomaly a, long at, String reason) {
        anomalies.count(a, at);
        stopReason = reason;
        stopOffset = at;
        return false;
    }

    @Override
    public String stopReason() {
        return stopReason;
    }

    @Override
    public long stopOffset() {
        return stopOffset;
    }

    @Override
    public long position() {
        return pos;
    }

    @Override
    public long size() {
        return file.size();
    }

    @Override
    public String format() {
        return "pcap";
    }

    @Override
    public void close() {
        file.close();
    }
}
