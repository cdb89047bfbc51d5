package io.bulwark.transport;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The compact, versioned binary encoding of {@link TrafficEvent}s: one Kafka record value
 * each. Integers are LEB128 varints (signed ones zigzag), times are deltas where a nearby
 * time exists, IPv4 addresses take 5 bytes and IPv6 17. Packet facts carry only the payload
 * bytes the detectors declare they read ({@link io.bulwark.detect.Detector#payloadNeeded}).
 *
 * <pre>
 *  0        1         2        3 ...
 * +--------+---------+--------+------------+---------------------+------ ... ------+
 * | 0xB7   | version | kind   | seq varint | streamNanos zigzag  | body (by kind)  |
 * | magic  | = 1     | 1 flow |            |                     |                 |
 * |        |         | 2 pkt  |            |                     |                 |
 * +--------+---------+--------+------------+---------------------+------ ... ------+
 *
 * address: 0x04 + 4 bytes (IPv4) | 0x06 + 16 bytes (IPv6, hi then lo, big-endian)
 * ports, protocols, flags, lengths and other small fields: zigzag varints in [-1, max]
 *          (-1: none, as the decoder reports an absent inner protocol)
 * string:  varint (UTF-8 length + 1), 0 = null, then the bytes
 *
 * flow body:   uid, src, srcPort, dst, dstPort, protocol, start - streamNanos, end - start,
 *              packetsOut, bytesOut, packetsIn, bytesIn, flagsOut, flagsIn, state,
 *              samplingRate, exporter, flags (bit 0 fromPackets), firstOffset + 1, endReason
 * packet body: ts - streamNanos, wireLength, fileOffset + 1, recordLength, ipVersion, src, dst,
 *              protocol, srcPort, dstPort, tcpFlags, seq, ack, tcpOptionsLength, ttl, ipLength,
 *              bits (0 fragment, 1 gre, 2 innerEthernet, 3 fromOriginator, 4 newFlow,
 *              5 srcMac present, 6 dstMac present), icmpType, icmpCode, greProtocol,
 *              innerProtocol, innerDstPort, [srcMac 6 bytes], [dstMac 6 bytes], payloadLength,
 *              carried payload (varint length + bytes: the detectors' declared need), file, flowUid (8 bytes), originator, originatorPort, responder,
 *              responderPort, ts - flowStart, flowFirstOffset + 1, packetsFromOriginator,
 *              packetsFromResponder, flagsFromOriginator, flagsFromResponder
 * </pre>
 *
 * <p>A reader refuses a version it does not know ({@code transport_version_unknown}) rather than
 * guess; new versions add a number, old readers keep working on old records. Decoding never
 * throws on bad bytes: it returns null and counts {@code transport_record_truncated} or
 * {@code transport_record_invalid}. Strings are bounded by {@link #MAX_STRING}, payloads by
 * {@link #MAX_PAYLOAD}. Thread-safe (no state).
 */
public final class EventCodec {
    public static final int MAGIC = 0xB7;
    public static final int VERSION = 1;
    static final int KIND_FLOW = 1;
    static final int KIND_PACKET = 2;
    /** Longest string field accepted, in UTF-8 bytes. */
    public static final int MAX_STRING = 4096;
    /** Longest payload accepted: the largest IP packet. */
    public static final int MAX_PAYLOAD = 65_535;
    private static final FlowRecord.EndReason[] REASONS = FlowRecord.EndReason.values();

    private EventCodec() {
    }

    public static byte[] encode(TrafficEvent e) {
        Out o = new Out(e.packet() != null ? 96 + e.packet().payload().length : 96);
        o.b(MAGIC);
        o.b(VERSION);
        o.b(e.flow() != null ? KIND_FLOW : KIND_PACKET);
        o.uv(e.seq());
        o.sv(e.streamNanos());
        if (e.flow() != null) {
            flow(o, e.flow(), e.streamNanos());
        } else {
            packet(o, e.packet(), e.streamNanos());
        }
        return o.bytes();
    }

    private static void flow(Out o, FlowRecord f, long stream) {
        o.str(f.uid());
        o.addr(f.src());
        o.sv(f.srcPort());
        o.addr(f.dst());
        o.sv(f.dstPort());
        o.sv(f.protocol());
        o.sv(f.startNanos() - stream);
        o.sv(f.endNanos() - f.startNanos());
        o.uv(f.packetsOut());
        o.uv(f.bytesOut());
        o.uv(f.packetsIn());
        o.uv(f.bytesIn());
        o.sv(f.tcpFlagsOut());
        o.sv(f.tcpFlagsIn());
        o.str(f.state());
        o.sv(f.samplingRate());
        o.str(f.exporter());
        o.b(f.fromPackets() ? 1 : 0);
        o.sv(f.firstOffset() + 1);
        o.b(f.endReason().ordinal());
    }

    private static void packet(Out o, PacketFact p, long stream) {
        o.sv(p.tsNanos() - stream);
        o.sv(p.wireLength());
        o.sv(p.fileOffset() + 1);
        o.sv(p.recordLength());
        o.sv(p.ipVersion());
        o.addr(p.srcHi(), p.srcLo());
        o.addr(p.dstHi(), p.dstLo());
        o.sv(p.protocol());
        o.sv(p.srcPort());
        o.sv(p.dstPort());
        o.sv(p.tcpFlags());
        o.uv(p.seq());
        o.uv(p.ack());
        o.sv(p.tcpOptionsLength());
        o.sv(p.ttl());
        o.sv(p.ipLength());
        boolean srcMac = p.srcMac() != -1, dstMac = p.dstMac() != -1;
        o.b((p.fragment() ? 1 : 0) | (p.gre() ? 2 : 0) | (p.innerEthernet() ? 4 : 0) | (p.fromOriginator() ? 8 : 0)
                | (p.newFlow() ? 16 : 0) | (srcMac ? 32 : 0) | (dstMac ? 64 : 0));
        o.sv(p.icmpType());
        o.sv(p.icmpCode());
        o.sv(p.greProtocol());
        o.sv(p.innerProtocol());
        o.sv(p.innerDstPort());
        if (srcMac) {
            o.mac(p.srcMac());
        }
        if (dstMac) {
            o.mac(p.dstMac());
        }
        o.sv(p.payloadLength());
        o.uv(p.payload().length);
        o.raw(p.payload());
        o.str(p.file());
        o.fixed64(p.flowUid());
        o.addr(p.originatorHi(), p.originatorLo());
        o.sv(p.originatorPort());
        o.addr(p.responderHi(), p.responderLo());
        o.sv(p.responderPort());
        o.sv(p.tsNanos() - p.flowStart());
        o.sv(p.flowFirstOffset() + 1);
        o.uv(p.packetsFromOriginator());
        o.uv(p.packetsFromResponder());
        o.sv(p.flagsFromOriginator());
        o.sv(p.flagsFromResponder());
    }

    /**
     * The record's event time without decoding the body, for watermarking; Long.MIN_VALUE when
     * the header is damaged or of an unknown version (decode then counts why).
     */
    public static long streamNanos(byte[] b) {
        In in = new In(b);
        if (in.u8() != MAGIC || in.u8() != VERSION) {
            return Long.MIN_VALUE;
        }
        in.u8();
        in.uv();
        long t = in.sv();
        return in.bad ? Long.MIN_VALUE : t;
    }

    /** The event, or null with the reason counted in {@code anomalies} (offset = record length). */
    public static TrafficEvent decode(byte[] b, AnomalyCounters anomalies) {
        In in = new In(b);
        if (b.length < 3 || in.u8() != MAGIC) {
            anomalies.count(b.length < 3 ? Anomaly.transport_record_truncated : Anomaly.transport_record_invalid, b.length);
            return null;
        }
        if (in.u8() != VERSION) {
            anomalies.count(Anomaly.transport_version_unknown, b.length);
            return null;
        }
        int kind = in.u8();
        long seq = in.uv();
        long stream = in.sv();
        TrafficEvent e = null;
        try {
            if (kind == KIND_FLOW) {
                FlowRecord f = flow(in, stream);
                e = in.bad || in.pos != b.length ? null : new TrafficEvent(seq, stream, f, null);
            } else if (kind == KIND_PACKET) {
                PacketFact p = packet(in, stream);
                e = in.bad || in.pos != b.length ? null : new TrafficEvent(seq, stream, null, p);
            } else {
                in.invalid = true;
            }
        } catch (IllegalArgumentException | NullPointerException ex) {
            // A record's own constructor refused a value (e.g. a null where none may be).
            in.invalid = true;
        }
        if (e == null) {
            anomalies.count(in.invalid || !in.bad && in.pos != b.length ? Anomaly.transport_record_invalid
                    : Anomaly.transport_record_truncated, b.length);
        }
        return e;
    }

    private static FlowRecord flow(In in, long stream) {
        String uid = in.str();
        IpAddr src = in.addr();
        int srcPort = in.port();
        IpAddr dst = in.addr();
        int dstPort = in.port();
        int proto = in.u8v();
        long start = stream + in.sv();
        long end = start + in.sv();
        long po = in.uv(), bo = in.uv(), pi = in.uv(), bi = in.uv();
        int fo = in.int32(), fi = in.int32();
        String state = in.str();
        int sampling = in.int32();
        String exporter = in.str();
        int bits = in.u8();
        long firstOffset = in.sv() - 1;
        int reason = in.u8();
        if (in.bad) {
            return null;
        }
        if (reason >= REASONS.length) {
            in.invalid = true;
            return null;
        }
        return new FlowRecord(uid, src, srcPort, dst, dstPort, proto, start, end, po, bo, pi, bi, fo, fi, state,
                sampling, exporter, (bits & 1) != 0, firstOffset, REASONS[reason]);
    }

    private static PacketFact packet(In in, long stream) {
        long ts = stream + in.sv();
        int wire = in.int32();
        long fileOffset = in.sv() - 1;
        int recordLength = in.int32();
        int ipVersion = in.u8v();
        IpAddr src = in.addr(), dst = in.addr();
        int proto = in.u8v(), srcPort = in.port(), dstPort = in.port(), flags = in.int32();
        long seq = in.uv(), ack = in.uv();
        int optLen = in.int32(), ttl = in.u8v(), ipLength = in.int32();
        int bits = in.u8();
        int icmpType = in.u8v(), icmpCode = in.u8v(), greProto = in.port(), innerProto = in.u8v(), innerDst = in.port();
        long srcMac = (bits & 32) != 0 ? in.mac() : -1;
        long dstMac = (bits & 64) != 0 ? in.mac() : -1;
        int payloadLength = in.int32();
        int n = in.length();
        if (n > MAX_PAYLOAD || n > payloadLength) {
            in.invalid = true;
            return null;
        }
        byte[] payload = in.raw(n);
        String file = in.str();
        long uid = in.fixed64();
        IpAddr orig = in.addr();
        int origPort = in.port();
        IpAddr resp = in.addr();
        int respPort = in.port();
        long flowStart = ts - in.sv();
        long flowFirst = in.sv() - 1;
        long pa = in.uv(), pb = in.uv();
        int fa = in.int32(), fb = in.int32();
        if (in.bad) {
            return null;
        }
        return new PacketFact(ts, wire, fileOffset, recordLength, ipVersion, src.hi(), src.lo(), dst.hi(), dst.lo(),
                proto, srcPort, dstPort, flags, seq, ack, optLen, ttl, ipLength, (bits & 1) != 0, icmpType, icmpCode,
                (bits & 2) != 0, greProto, innerProto, innerDst, (bits & 4) != 0, srcMac, dstMac, payloadLength, payload, file,
                uid, orig.hi(), orig.lo(), origPort, resp.hi(), resp.lo(), respPort, flowStart, flowFirst, pa, pb, fa, fb,
                (bits & 8) != 0, (bits & 16) != 0);
    }

    private static final class Out {
        private byte[] buf;
        private int pos;

        Out(int size) {
            buf = new byte[size];
        }

        void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }

        void b(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
        }

        void uv(long v) {
            ensure(10);
            while ((v & ~0x7FL) != 0) {
                buf[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            buf[pos++] = (byte) v;
        }

        void sv(long v) {
            uv((v << 1) ^ (v >> 63));
        }

        void fixed64(long v) {
            ensure(8);
            for (int i = 56; i >= 0; i -= 8) {
                buf[pos++] = (byte) (v >>> i);
            }
        }

        void mac(long v) {
            ensure(6);
            for (int i = 40; i >= 0; i -= 8) {
                buf[pos++] = (byte) (v >>> i);
            }
        }

        void raw(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void str(String s) {
            if (s == null) {
                uv(0);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            uv(b.length + 1L);
            raw(b);
        }

        void addr(IpAddr a) {
            addr(a.hi(), a.lo());
        }

        void addr(long hi, long lo) {
            if (IpAddr.isV4(hi, lo)) {
                b(4);
                ensure(4);
                for (int i = 24; i >= 0; i -= 8) {
                    buf[pos++] = (byte) (lo >>> i);
                }
            } else {
                b(6);
                fixed64(hi);
                fixed64(lo);
            }
        }

        byte[] bytes() {
            return Arrays.copyOf(buf, pos);
        }
    }

    /** Bounds-checked reader: past the end it sets {@code bad} and yields zeros, never throws. */
    private static final class In {
        final byte[] b;
        int pos;
        boolean bad, invalid;

        In(byte[] b) {
            this.b = b;
        }

        int u8() {
            if (pos >= b.length) {
                bad = true;
                return 0;
            }
            return b[pos++] & 0xff;
        }

        long uv() {
            long v = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int x = u8();
                if (bad) {
                    return 0;
                }
                if (shift == 63 && (x & 0x7e) != 0) {
                    invalid = true;
                    bad = true;
                    return 0;
                }
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
            }
            invalid = true;
            bad = true;
            return 0;
        }

        long sv() {
            long v = uv();
            return (v >>> 1) ^ -(v & 1);
        }

        /** A zigzag varint in [-1, max]: small fields, where -1 means "none". */
        int small(long max) {
            long v = sv();
            if (v < -1 || v > max) {
                invalid = bad = true;
                return 0;
            }
            return (int) v;
        }

        int int32() {
            return small(Integer.MAX_VALUE);
        }

        int u8v() {
            return small(0xff);
        }

        int port() {
            return small(0xffff);
        }

        /** A length: an unsigned varint that fits an int. */
        int length() {
            long v = uv();
            if (v < 0 || v > Integer.MAX_VALUE) {
                invalid = bad = true;
                return 0;
            }
            return (int) v;
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = v << 8 | u8();
            }
            return v;
        }

        long mac() {
            long v = 0;
            for (int i = 0; i < 6; i++) {
                v = v << 8 | u8();
            }
            return v;
        }

        byte[] raw(int n) {
            if (n < 0 || n > b.length - pos) {
                bad = true;
                pos = b.length;
                return new byte[0];
            }
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        String str() {
            long n = uv();
            if (n == 0 || bad) {
                return null;
            }
            if (n - 1 > MAX_STRING) {
                invalid = bad = true;
                return null;
            }
            return new String(raw((int) (n - 1)), StandardCharsets.UTF_8);
        }

        IpAddr addr() {
            int tag = u8();
            if (tag == 4) {
                long v4 = 0;
                for (int i = 0; i < 4; i++) {
                    v4 = v4 << 8 | u8();
                }
                return IpAddr.ofV4((int) v4);
            }
            if (tag == 6) {
                return new IpAddr(fixed64(), fixed64());
            }
            if (!bad) {
                invalid = bad = true;
            }
            return new IpAddr(0, 0);
        }
    }
}
