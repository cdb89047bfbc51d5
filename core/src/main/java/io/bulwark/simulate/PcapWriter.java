package io.bulwark.simulate;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a classic libpcap file (https://www.tcpdump.org/manpages/pcap-savefile.5.html)
 * as tcpdump does on a little-endian machine: magic a1b2c3d4 stored as d4 c3 b2 a1,
 * version 2.4, microsecond timestamps, LINKTYPE_ETHERNET, snaplen {@value #SNAPLEN}.
 *
 * <pre>
 *  global header (24)                  record header (16) + frame
 *  0  magic        4                   0  ts_sec   4
 *  4  major 2, minor 4                 4  ts_usec  4
 *  8  thiszone 0   4                   8  incl_len 4
 *  12 sigfigs 0    4                   12 orig_len 4
 *  16 snaplen      4                   16 frame bytes
 *  20 linktype 1   4
 * </pre>
 *
 * Records are gathered in one fixed direct buffer and written to the channel in large
 * blocks, so memory stays at {@value #BUFFER} bytes however long the capture (and, for a
 * file, no extra copy through a heap array is made: that was a fifth of bench time). Timestamps are truncated to
 * microseconds; the writer does not reorder them. Not thread-safe.
 */
public final class PcapWriter implements Closeable {
    public static final int SNAPLEN = 262_144;
    static final int LINKTYPE_ETHERNET = 1;
    static final int BUFFER = 1 << 20;

    private final WritableByteChannel out;
    private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
    private long packets;
    private long bytes;
    private long firstNanos = -1;
    private long lastNanos = -1;
    private boolean closed;

    /** Creates (or truncates) {@code path} and writes the global header. */
    public PcapWriter(Path path) throws IOException {
        this(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    }

    /** Writes to {@code out}, which this writer closes. */
    public PcapWriter(OutputStream out) throws IOException {
        this(Channels.newChannel(out));
    }

    private PcapWriter(WritableByteChannel out) {
        this.out = out;
        putInt(0xa1b2c3d4);
        putInt(2 | (4 << 16));
        putInt(0);
        putInt(0);
        putInt(SNAPLEN);
        putInt(LINKTYPE_ETHERNET);
    }

    /** Appends one frame captured whole at {@code tsNanos} (Unix epoch, not negative). */
    public void write(long tsNanos, byte[] frame, int off, int len) throws IOException {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
        if (tsNanos < 0 || len < 0 || len > SNAPLEN) {
            throw new IllegalArgumentException("bad record: ts " + tsNanos + ", length " + len);
        }
        if (buf.remaining() < 16 + len) {
            flush();
        }
        long micros = tsNanos / 1000;
        putInt((int) (micros / 1_000_000));
        putInt((int) (micros % 1_000_000));
        putInt(len);
        putInt(len);
        buf.put(frame, off, len);
        packets++;
        bytes += len;
        if (firstNanos < 0) {
            firstNanos = tsNanos;
        }
        lastNanos = tsNanos;
    }

    /** Appends the last finished frame of {@code f}. */
    public void write(long tsNanos, Frame f) throws IOException {
        write(tsNanos, f.array(), 0, f.length());
    }

    public long packets() {
        return packets;
    }

    /** Frame bytes written, headers excluded. */
    public long bytes() {
        return bytes;
    }

    /** Timestamp of the first record, or -1 when none was written. */
    public long firstNanos() {
        return firstNanos;
    }

    /** Timestamp of the last record, or -1 when none was written. */
    public long lastNanos() {
        return lastNanos;
    }

    private void putInt(int v) {
        buf.putInt(v);
    }

    private void flush() throws IOException {
        buf.flip();
        while (buf.hasRemaining()) {
            out.write(buf);
        }
        buf.clear();
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            flush();
        }
    }
}
