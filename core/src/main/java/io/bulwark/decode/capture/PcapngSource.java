package io.bulwark.decode.capture;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.packet.Packet;

import java.nio.ByteBuffer;

/**
 * pcapng files (draft-ietf-opsawg-pcapng): several sections, each in its own byte order,
 * each with its own interfaces, link types and timestamp resolutions.
 *
 * <pre>
 *  every block                       Section Header Block (0x0a0d0d0a)
 *  0    block type                   8    byte-order magic 1a2b3c4d
 *  4    block total length (L)       12   major (16) | minor (16)
 *  8    body ... options ...         16   section length (64, -1 = unknown)
 *  L-4  block total length (again)   24   options ...
 *
 *  Interface Description (1)         Enhanced Packet (6)        Obsolete Packet (2)
 *  8    link type (16) | reserved    8    interface id          8  if id (16) | drops (16)
 *  12   snaplen (0 = no limit)       12   timestamp high        12 timestamp high
 *  16   options ...                  16   timestamp low         16 timestamp low
 *                                    20   captured length       20 captured length
 *  Simple Packet (3)                 24   original length       24 original length
 *  8    original length              28   data, padded to 4     28 data, padded to 4
 *  12   data, padded to 4                 options ...              options ...
 *
 *  option: code (16) | length (16) | value padded to 4; code 0 ends the list
 * </pre>
 *
 * Every block is framed twice by its length, so damage inside a block (unknown interface,
 * absurd captured length, unsupported link type) is counted and the block skipped; only
 * damage to the framing itself (length under 12 or not a multiple of 4, trailer differing
 * from header, block past the end of the file) stops reading, because the next block can
 * no longer be found. Timestamps become nanoseconds since the epoch using the interface's
 * if_tsresol (default microseconds) plus its if_tsoffset; one that does not fit a long is
 * counted and replaced by the last good timestamp, so time never jumps to the far future.
 */
final class PcapngSource implements CaptureSource {
    /** Interfaces kept per section; more IDBs are counted and their packets skipped. */
    static final int MAX_INTERFACES = 1024;

    static final int BYTE_ORDER_MAGIC = 0x1a2b3c4d;
    static final int BT_IDB = 1;
    static final int BT_OPB = 2;
    static final int BT_SPB = 3;
    static final int BT_NRB = 4;
    static final int BT_ISB = 5;
    static final int BT_EPB = 6;
    static final int BT_JOURNAL = 9;
    static final int BT_DSB = 10;
    static final int BT_CUSTOM = 0x0000_0bad;
    static final int BT_CUSTOM_NO_COPY = 0x4000_0bad;
    static final int OPT_END = 0;
    static final int OPT_TSRESOL = 9;
    static final int OPT_TSOFFSET = 14;
    static final int OPT_IF_NAME = 2;
    static final int OPT_ISB_IFRECV = 4;
    static final int OPT_ISB_IFDROP = 5;
    static final int OPT_ISB_FILTERACCEPT = 6;
    static final int OPT_ISB_OSDROP = 7;
    static final int OPT_ISB_USRDELIV = 8;
    /** if_tsresol when the option is absent: 10^-6 s. */
    static final int DEFAULT_TSRESOL = 6;

    private static final int SHB_MIN = 28;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Largest |if_tsoffset| whose nanoseconds fit a long. */
    private static final long MAX_OFFSET_SECONDS = Long.MAX_VALUE / NANOS_PER_SECOND;
    /** Marks a timestamp that does not fit; no real result is negative before the offset. */
    static final long OUT_OF_RANGE = Long.MIN_VALUE;
    /** 10^0 .. 10^19; 10^19 is above Long.MAX_VALUE and only used unsigned. */
    private static final long[] POW10 = new long[20];

    static {
        long v = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = v;
            v *= 10;
        }
    }

    private final ByteWindow file;
    private final InterfaceStatistics.Listener statsListener;
    private final String[] ifName = new String[MAX_INTERFACES];
    private final AnomalyCounters anomalies;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final long[] ifSnaplen = new long[MAX_INTERFACES];
    private final int[] ifTsresol = new int[MAX_INTERFACES];
    private final long[] ifOffsetNanos = new long[MAX_INTERFACES];
    private int ifCount;
    private int major;
    private int minor;
    private boolean swapped;
    /** The current section has a major version we cannot read: skip to the next SHB. */
    private boolean skippingSection;
    private long pos;
    private long lastTsNanos;
    private String stopReason;
    private long stopOffset = -1;

    /** Damage found while reading a section header; the first SHB turns it into an exception. */
    private record Damage(Anomaly anomaly, long offset, String reason) {
    }

    PcapngSource(ByteWindow file, AnomalyCounters anomalies, String name) throws BadInputException {
        this(file, anomalies, name, null);
    }

    /** As above; {@code statsListener} (may be null) receives each Interface Statistics Block. */
    PcapngSource(ByteWindow file, AnomalyCounters anomalies, String name, InterfaceStatistics.Listener statsListener)
            throws BadInputException {
        this.file = file;
        this.statsListener = statsListener;
        this.anomalies = anomalies;
        Damage d = sectionHeader(0);
        if (d != null) {
            throw new BadInputException(name, d.offset(), d.reason());
        }
        if (skippingSection) {
            throw new BadInputException(name, 12, "unsupported pcapng version " + major + "." + minor);
        }
    }

    /**
     * Reads the SHB at {@code at}, switches byte order and forgets the interfaces. Returns
     * null when the section can be read (or skipped, see {@link #skippingSection}).
     */
    private Damage sectionHeader(long at) {
        if (!file.ensure(at, SHB_MIN)) {
            return new Damage(Anomaly.capture_truncated_record, at,
                    "truncated section header (" + (file.size() - at) + " of " + SHB_MIN + " bytes)");
        }
        ByteBuffer b = file.buffer();
        int h = (int) (at - file.base());
        int magic = b.getInt(h + 8);
        boolean sw;
        if (magic == BYTE_ORDER_MAGIC) {
            sw = false;
        } else if (Integer.reverseBytes(magic) == BYTE_ORDER_MAGIC) {
            sw = true;
        } else {
            return new Damage(Anomaly.capture_section_unsupported, at + 8,
                    String.format("bad byte-order magic 0x%08x in section header", magic));
        }
        swapped = sw;
        long len = u32(b, h + 4);
        if (len < SHB_MIN || (len & 3) != 0) {
            return new Damage(Anomaly.capture_bad_block_length, at, "bad section header length " + len);
        }
        Damage framing = framing(at, len);
        if (framing != null) {
            return framing;
        }
        b = file.buffer();
        h = (int) (at - file.base());
        major = u16(b, h + 12);
        minor = u16(b, h + 14);
        ifCount = 0;
        skippingSection = major != 1;
        if (skippingSection && at > 0) {
            anomalies.count(Anomaly.capture_section_unsupported, at);
        }
        pos = at + len;
        return null;
    }

    /** Block [at, at+len) lies inside the file and its trailer repeats its length. */
    private Damage framing(long at, long len) {
        if (len > file.size() - at) {
            return new Damage(Anomaly.capture_truncated_record, at,
                    "truncated block (" + (file.size() - at) + " of " + len + " bytes)");
        }
        if (!file.ensure(at + len - 4, 4)) {
            return new Damage(Anomaly.capture_truncated_record, at, "cannot map block trailer");
        }
        long trailer = u32(file.buffer(), (int) (at + len - 4 - file.base()));
        if (trailer != len) {
            return new Damage(Anomaly.capture_bad_block_length, at,
                    "block length " + len + " but trailer says " + trailer);
        }
        return null;
    }

    @Override
    public boolean next(Packet p) {
        while (stopReason == null && file.more(pos)) {
            long at = pos;
            file.release(at);
            if (!file.ensure(at, 8)) {
                return stop(Anomaly.capture_truncated_record, at,
                        "truncated block header (" + (file.size() - at) + " of 8 bytes)");
            }
            ByteBuffer b = file.buffer();
            int h = (int) (at - file.base());
            // 0x0a0d0d0a reads the same in both byte orders, so a new section is recognised
            // before its byte order is known.
            int rawType = b.getInt(h);
            if (rawType == Captures.PCAPNG_SHB) {
                Damage d = sectionHeader(at);
                if (d != null) {
                    return stop(d.anomaly(), d.offset(), d.reason());
                }
                continue;
            }
            int type = swapped ? Integer.reverseBytes(rawType) : rawType;
            long len = u32(b, h + 4);
            if (len < 12 || (len & 3) != 0) {
                return stop(Anomaly.capture_bad_block_length, at, "bad block length " + len);
            }
            // Checks the trailer only while the block is otherwise valid: no allocation then.
            if (len > file.size() - at || !trailerMatches(at, len)) {
                Damage d = framing(at, len);
                return stop(d.anomaly(), d.offset(), d.reason());
            }
            pos = at + len;
            if (skippingSection) {
                continue;
            }
            switch (type) {
                case BT_EPB:
                    if (packet(p, at, len, false)) {
                        return true;
                    }
                    break;
                case BT_SPB:
                    if (simplePacket(p, at, len)) {
                        return true;
                    }
                    break;
                case BT_OPB:
                    if (packet(p, at, len, true)) {
                        return true;
                    }
                    break;
                case BT_IDB:
                    addInterface(at, len);
                    break;
                case BT_ISB:
                    statistics(at, len);
                    break;
                case BT_NRB, BT_JOURNAL, BT_DSB, BT_CUSTOM, BT_CUSTOM_NO_COPY:
                    break;
                default:
                    anomalies.count(Anomaly.capture_unknown_block, at);
            }
        }
        if (stopReason == null && file.readError() != null) {
            return stop(Anomaly.capture_truncated_record, pos, "read error: " + file.readError());
        }
        return false;
    }

    private boolean trailerMatches(long at, long len) {
        return file.ensure(at + len - 4, 4) && u32(file.buffer(), (int) (at + len - 4 - file.base())) == len;
    }

    /**
     * Registers the next interface id. A malformed IDB still takes its id, so that later
     * packets keep pointing at the interfaces their writer meant; its packets are skipped.
     */
    private void addInterface(long at, long len) {
        if (ifCount == MAX_INTERFACES) {
            anomalies.count(Anomaly.capture_too_many_interfaces, at);
            return;
        }
        int id = ifCount++;
        ifLinkType[id] = -1;
        ifSnaplen[id] = 0;
        ifTsresol[id] = DEFAULT_TSRESOL;
        ifOffsetNanos[id] = 0;
        ifName[id] = null;
        if (len < 20) {
            anomalies.count(Anomaly.capture_bad_block_length, at);
            return;
        }
        if (!file.ensure(at, 16)) {
            return;
        }
        ByteBuffer b = file.buffer();
        int h = (int) (at - file.base());
        ifLinkType[id] = u16(b, h + 8);
        ifSnaplen[id] = u32(b, h + 12);
        long end = at + len - 4;
        long o = at + 16;
        while (end - o >= 4 && file.ensure(o, 4)) {
            b = file.buffer();
            h = (int) (o - file.base());
            int code = u16(b, h);
            int olen = u16(b, h + 2);
            if (code == OPT_END) {
                break;
            }
            long value = o + 4;
            o = value + ((olen + 3) & ~3);
            if (o > end) {
                anomalies.count(Anomaly.capture_bad_option, value - 4);
                break;
            }
            if (code == OPT_IF_NAME && olen > 0 && olen <= 256 && file.ensure(value, olen)) {
                byte[] name = new byte[olen];
                file.buffer().get((int) (value - file.base()), name);
                int n = olen;
                while (n > 0 && name[n - 1] == 0) {
                    n--;
                }
                ifName[id] = new String(name, 0, n, java.nio.charset.StandardCharsets.UTF_8);
            } else if (code == OPT_TSRESOL) {
                if (olen != 1 || !file.ensure(value, 1)) {
                    anomalies.count(Anomaly.capture_bad_option, value - 4);
                } else {
                    ifTsresol[id] = file.buffer().get((int) (value - file.base())) & 0xff;
                }
            } else if (code == OPT_TSOFFSET) {
                if (olen != 8 || !file.ensure(value, 8)) {
                    anomalies.count(Anomaly.capture_bad_option, value - 4);
                } else {
                    long raw = file.buffer().getLong((int) (value - file.base()));
                    long seconds = swapped ? Long.reverseBytes(raw) : raw;
                    if (seconds > MAX_OFFSET_SECONDS || seconds < -MAX_OFFSET_SECONDS) {
                        anomalies.count(Anomaly.capture_bad_option, value - 4);
                    } else {
                        ifOffsetNanos[id] = seconds * NANOS_PER_SECOND;
                    }
                }
            }
        }
    }

    /**
     * Interface Statistics Block: interface id, timestamp, then options whose counters are
     * 64-bit in the section's byte order. Handed to the stats listener; a block that is too
     * short or names an unknown interface is counted and skipped.
     */
    private void statistics(long at, long len) {
        if (statsListener == null) {
            return;
        }
        if (len < 24 || len > Integer.MAX_VALUE) {
            anomalies.count(Anomaly.capture_bad_block_length, at);
            return;
        }
        if (!file.ensure(at, (int) len)) {
            anomalies.count(Anomaly.capture_truncated_record, at);
            return;
        }
        ByteBuffer b = file.buffer();
        int h = (int) (at - file.base());
        long ifId = u32(b, h + 8);
        if (ifId >= ifCount) {
            anomalies.count(Anomaly.capture_unknown_interface, at);
            return;
        }
        int i = (int) ifId;
        long units = (u32(b, h + 12) << 32) | u32(b, h + 16);
        // Not timestamp(): a statistics block's time is informational (dumpcap 4.0 writes it in
        // another resolution than its packets'), and a bad one is no packet timestamp anomaly.
        long n = toNanos(units, ifTsresol[i]);
        long ts = n == OUT_OF_RANGE ? -1 : n + ifOffsetNanos[i];
        long[] counters = {-1, -1, -1, -1, -1};   // ifrecv, ifdrop, filteraccept, osdrop, usrdeliv
        int end = h + (int) len - 4;
        int o = h + 20;
        while (end - o >= 4) {
            int code = u16(b, o);
            int olen = u16(b, o + 2);
            if (code == OPT_END) {
                break;
            }
            int value = o + 4;
            o = value + ((olen + 3) & ~3);
            if (o > end) {
                anomalies.count(Anomaly.capture_bad_option, at + (value - 4 - h));
                break;
            }
            if (code >= OPT_ISB_IFRECV && code <= OPT_ISB_USRDELIV) {
                if (olen != 8) {
                    anomalies.count(Anomaly.capture_bad_option, at + (value - 4 - h));
                } else {
                    long raw = b.getLong(value);
                    counters[code - OPT_ISB_IFRECV] = swapped ? Long.reverseBytes(raw) : raw;
                }
            }
        }
        statsListener.statistics(new InterfaceStatistics(i, ifName[i], ts, counters[0], counters[1], counters[3],
                counters[2], counters[4]));
    }

    /** Enhanced (or, when {@code obsolete}, the older Packet Block): same layout from byte 12. */
    private boolean packet(Packet p, long at, long len, boolean obsolete) {
        if (len < 32) {
            anomalies.count(Anomaly.capture_bad_block_length, at);
            return false;
        }
        if (!file.ensure(at, 28)) {
            return stop(Anomaly.capture_truncated_record, at, "cannot map packet block");
        }
        ByteBuffer b = file.buffer();
        int h = (int) (at - file.base());
        long ifId = obsolete ? u16(b, h + 8) : u32(b, h + 8);
        long units = (u32(b, h + 12) << 32) | u32(b, h + 16);
        long cap = u32(b, h + 20);
        long orig = u32(b, h + 24);
        if (ifId >= ifCount) {
            anomalies.count(Anomaly.capture_unknown_interface, at);
            return false;
        }
        int i = (int) ifId;
        if (!usable(i, cap, len - 32, at)) {
            return false;
        }
        long ts = timestamp(i, units, at);
        lastTsNanos = ts;
        return fill(p, at, 28, (int) cap, orig, i, ts, len);
    }

    /**
     * Simple Packet Block: interface 0, no timestamp and no captured length. The spec gives
     * it no time at all; it takes the last timestamp read in this file so that time stays
     * monotone for the flow table.
     */
    private boolean simplePacket(Packet p, long at, long len) {
        if (len < 16) {
            anomalies.count(Anomaly.capture_bad_block_length, at);
            return false;
        }
        if (ifCount == 0) {
            anomalies.count(Anomaly.capture_unknown_interface, at);
            return false;
        }
        if (!file.ensure(at, 12)) {
            return stop(Anomaly.capture_truncated_record, at, "cannot map packet block");
        }
        long orig = u32(file.buffer(), (int) (at + 8 - file.base()));
        long cap = Math.min(orig, len - 16);
        if (ifSnaplen[0] > 0) {
            cap = Math.min(cap, ifSnaplen[0]);
        }
        if (!usable(0, cap, len - 16, at)) {
            return false;
        }
        return fill(p, at, 12, (int) cap, orig, 0, lastTsNanos, len);
    }

    /** Counts why a packet of interface {@code i} cannot be delivered; a snaplen overrun is only noted. */
    private boolean usable(int i, long cap, long room, long at) {
        if (!LinkType.supported(ifLinkType[i])) {
            anomalies.count(Anomaly.capture_link_type_unsupported, at);
            return false;
        }
        if (cap > PcapSource.MAX_CAPLEN) {
            anomalies.count(Anomaly.capture_caplen_too_large, at);
            return false;
        }
        if (cap > room) {
            anomalies.count(Anomaly.capture_caplen_exceeds_block, at);
            return false;
        }
        if (ifSnaplen[i] > 0 && cap > ifSnaplen[i]) {
            anomalies.count(Anomaly.capture_caplen_exceeds_snaplen, at);
        }
        return true;
    }

    private boolean fill(Packet p, long at, int header, int cap, long orig, int i, long ts, long len) {
        if (!file.ensure(at, header + cap)) {
            return stop(Anomaly.capture_truncated_record, at, "cannot map packet data");
        }
        p.buf = file.buffer();
        p.frameOffset = (int) (at - file.base()) + header;
        p.caplen = cap;
        p.wirelen = (int) Math.min(Integer.MAX_VALUE, Math.max(orig, cap));
        p.tsNanos = ts;
        p.linkType = ifLinkType[i];
        p.interfaceId = i;
        p.fileOffset = at;
        p.recordLength = (int) Math.min(Integer.MAX_VALUE, len);
        return true;
    }

    private long timestamp(int i, long units, long at) {
        long n = toNanos(units, ifTsresol[i]);
        if (n != OUT_OF_RANGE) {
            long off = ifOffsetNanos[i];
            long r = n + off;
            if (((n ^ r) & (off ^ r)) >= 0) {
                return r;
            }
        }
        anomalies.count(Anomaly.capture_timestamp_out_of_range, at);
        return lastTsNanos;
    }

    /**
     * Converts {@code units} (unsigned) of 10^-n or, when bit 7 of {@code tsresol} is set,
     * 2^-n seconds to nanoseconds, rounding down. Returns {@link #OUT_OF_RANGE} when the
     * result exceeds Long.MAX_VALUE. The binary case multiplies before it shifts, in 128
     * bits, so that 2^-n fractions below a second keep full precision for any n up to 127.
     */
    static long toNanos(long units, int tsresol) {
        int n = tsresol & 0x7f;
        if ((tsresol & 0x80) == 0) {
            if (n <= 9) {
                long m = POW10[9 - n];
                long r = units * m;
                return units < 0 || Math.multiplyHigh(units, m) != 0 || r < 0 ? OUT_OF_RANGE : r;
            }
            return n - 9 < POW10.length ? Long.divideUnsigned(units, POW10[n - 9]) : 0;
        }
        long lo = units * NANOS_PER_SECOND;
        // Unsigned high word: the signed one is off by the multiplier when units' top bit is set.
        long hi = Math.multiplyHigh(units, NANOS_PER_SECOND) + ((units >> 63) & NANOS_PER_SECOND);
        long r;
        if (n == 0) {
            r = hi != 0 ? OUT_OF_RANGE : lo;
        } else if (n < 64) {
            r = (hi >>> n) != 0 ? OUT_OF_RANGE : (hi << (64 - n)) | (lo >>> n);
        } else {
            r = hi >>> (n - 64);
        }
        return r < 0 ? OUT_OF_RANGE : r;
    }

    private long u32(ByteBuffer b, int at) {
        int v = b.getInt(at);
        return (swapped ? Integer.reverseBytes(v) : v) & 0xffff_ffffL;
    }

    private int u16(ByteBuffer b, int at) {
        short v = b.getShort(at);
        return (swapped ? Short.reverseBytes(v) : v) & 0xffff;
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
        return "pcapng";
    }

    @Override
    public void close() {
        file.close();
    }
}
