package io.bulwark.decode.capture;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.packet.Packet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writes pcap and pcapng files field by field, in either byte order, so that every test
 * input is built in the test and every byte of it is named. Lengths are computed unless a
 * test wants to lie about them ({@link #block(int, long, byte[], long)}).
 */
final class CaptureBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private ByteOrder order;

    CaptureBytes(ByteOrder order) {
        this.order = order;
    }

    // ---- pcap ----

    /** pcap global header: magic, version 2.4, thiszone 0, sigfigs 0, snaplen, linktype. */
    static CaptureBytes pcap(ByteOrder order, boolean nanos, long snaplen, int linkType) {
        CaptureBytes c = new CaptureBytes(order);
        c.u32(nanos ? 0xa1b23c4dL : 0xa1b2c3d4L); // magic; its byte order is the file's
        c.u16(2).u16(4);                          // version major, minor
        c.u32(0);                                 // thiszone
        c.u32(0);                                 // sigfigs
        c.u32(snaplen);                           // snaplen
        c.u32(linkType);                          // linktype
        return c;
    }

    /** pcap record: ts_sec, ts_usec|ts_nsec, incl_len, orig_len, data (not padded). */
    CaptureBytes record(long sec, long frac, long inclLen, long origLen, byte[] data) {
        u32(sec).u32(frac).u32(inclLen).u32(origLen);
        out.writeBytes(data);
        return this;
    }

    CaptureBytes record(long sec, long frac, byte[] data) {
        return record(sec, frac, data.length, data.length, data);
    }

    // ---- pcapng ----

    static CaptureBytes pcapng(ByteOrder order) {
        return new CaptureBytes(order).section(order);
    }

    /** Section Header Block, version 1.0, section length -1 (unknown), no options. */
    CaptureBytes section(ByteOrder order) {
        return section(order, 1);
    }

    CaptureBytes section(ByteOrder order, int major) {
        this.order = order;
        CaptureBytes body = body();
        body.u32(PcapngSource.BYTE_ORDER_MAGIC); // byte-order magic, in this section's order
        body.u16(major).u16(0);                  // major, minor version
        body.u64(-1);                            // section length: not given
        return block(Captures.PCAPNG_SHB, body.bytes());
    }

    /** Interface Description Block: link type, reserved 0, snaplen, options, opt_endofopt. */
    CaptureBytes idb(int linkType, long snaplen, byte[]... options) {
        CaptureBytes body = body();
        body.u16(linkType).u16(0); // link type, reserved
        body.u32(snaplen);         // snaplen, 0 = no limit
        for (byte[] o : options) {
            body.out.writeBytes(o);
        }
        body.u16(PcapngSource.OPT_END).u16(0);
        return block(PcapngSource.BT_IDB, body.bytes());
    }

    /** if_tsresol: one byte, padded to four. */
    byte[] tsresol(int value) {
        return body().u16(PcapngSource.OPT_TSRESOL).u16(1).u8(value).u8(0).u8(0).u8(0).bytes();
    }

    /** if_tsoffset: signed 64-bit seconds in the section's byte order. */
    byte[] tsoffset(long seconds) {
        return body().u16(PcapngSource.OPT_TSOFFSET).u16(8).u64(seconds).bytes();
    }

    /** Enhanced Packet Block with captured = original = data length. */
    CaptureBytes epb(long ifId, long units, byte[] data) {
        return epb(ifId, units, data.length, data.length, data);
    }

    /** Enhanced Packet Block: interface, timestamp high/low words, caplen, origlen, padded data. */
    CaptureBytes epb(long ifId, long units, long caplen, long origlen, byte[] data) {
        CaptureBytes body = body();
        body.u32(ifId);
        body.u32(units >>> 32).u32(units & 0xffff_ffffL); // high word first in either order
        body.u32(caplen).u32(origlen);
        body.out.writeBytes(data);
        body.pad();
        return block(PcapngSource.BT_EPB, body.bytes());
    }

    /** Interface Statistics Block: interface, timestamp high/low words, options, opt_endofopt. */
    CaptureBytes isb(long ifId, long units, byte[]... options) {
        CaptureBytes body = body();
        body.u32(ifId);
        body.u32(units >>> 32).u32(units & 0xffff_ffffL);
        for (byte[] o : options) {
            body.out.writeBytes(o);
        }
        body.u16(PcapngSource.OPT_END).u16(0);
        return block(PcapngSource.BT_ISB, body.bytes());
    }

    /** A 64-bit option (the ISB counters) in the section's byte order. */
    byte[] u64option(int code, long value) {
        return body().u16(code).u16(8).u64(value).bytes();
    }

    /** if_name: UTF-8, padded to four. */
    byte[] ifName(String name) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        CaptureBytes b = body().u16(PcapngSource.OPT_IF_NAME).u16(n.length);
        b.out.writeBytes(n);
        return b.pad().bytes();
    }

    /** Obsolete Packet Block: 16-bit interface, 16-bit drops count, then as the EPB. */
    CaptureBytes opb(int ifId, long units, byte[] data) {
        CaptureBytes body = body();
        body.u16(ifId).u16(0);
        body.u32(units >>> 32).u32(units & 0xffff_ffffL);
        body.u32(data.length).u32(data.length);
        body.out.writeBytes(data);
        body.pad();
        return block(PcapngSource.BT_OPB, body.bytes());
    }

    /** Simple Packet Block: original length, padded data. */
    CaptureBytes spb(long origlen, byte[] data) {
        CaptureBytes body = body();
        body.u32(origlen);
        body.out.writeBytes(data);
        body.pad();
        return block(PcapngSource.BT_SPB, body.bytes());
    }

    /** Any block: type, total length, body padded to four, total length again. */
    CaptureBytes block(int type, byte[] body) {
        long len = 12 + ((body.length + 3) & ~3);
        return block(type, len, body, len);
    }

    /** A block whose header and trailer lengths are whatever the test says; body padded. */
    CaptureBytes block(int type, long len, byte[] body, long trailer) {
        u32(type & 0xffff_ffffL).u32(len);
        out.writeBytes(body);
        pad();
        return u32(trailer);
    }

    CaptureBytes raw(byte... bytes) {
        out.writeBytes(bytes);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    private CaptureBytes body() {
        return new CaptureBytes(order);
    }

    private CaptureBytes pad() {
        while ((out.size() & 3) != 0) {
            out.write(0);
        }
        return this;
    }

    CaptureBytes u8(int v) {
        out.write(v);
        return this;
    }

    CaptureBytes u16(int v) {
        return order == ByteOrder.BIG_ENDIAN ? u8(v >>> 8).u8(v) : u8(v).u8(v >>> 8);
    }

    CaptureBytes u32(long v) {
        int i = (int) v;
        return order == ByteOrder.BIG_ENDIAN ? u16(i >>> 16).u16(i) : u16(i).u16(i >>> 16);
    }

    CaptureBytes u64(long v) {
        return order == ByteOrder.BIG_ENDIAN ? u32(v >>> 32).u32(v) : u32(v).u32(v >>> 32);
    }

    /** Test frame: {@code len} bytes all equal to {@code fill}. */
    static byte[] frame(int fill, int len) {
        byte[] b = new byte[len];
        Arrays.fill(b, (byte) fill);
        return b;
    }

    // ---- reading back ----

    /** One frame as a reader delivered it, copied out of the reused packet. */
    record Frame(long tsNanos, int caplen, int wirelen, int linkType, int interfaceId,
                 long fileOffset, int recordLength, byte[] data) {
    }

    record Read(List<Frame> frames, String stopReason, long stopOffset, long position, String format) {
    }

    static Path write(Path dir, String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static Read readAll(Path path, AnomalyCounters anomalies) throws BadInputException {
        try (CaptureSource src = Captures.open(path, anomalies)) {
            List<Frame> frames = new ArrayList<>();
            Packet p = new Packet();
            while (src.next(p)) {
                byte[] data = new byte[p.caplen];
                p.buf.get(p.frameOffset, data);
                frames.add(new Frame(p.tsNanos, p.caplen, p.wirelen, p.linkType, p.interfaceId,
                        p.fileOffset, p.recordLength, data));
            }
            return new Read(frames, src.stopReason(), src.stopOffset(), src.position(), src.format());
        }
    }
}
