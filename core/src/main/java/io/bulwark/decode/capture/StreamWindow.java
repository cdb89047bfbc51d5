package io.bulwark.decode.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * A non-seekable stream (a pipe from a capture engine, standard input) behind the
 * {@link ByteWindow} contract, in one fixed buffer, so memory stays bounded however long
 * the stream runs.
 *
 * <p>{@link #ensure} blocks only until the bytes asked for have arrived: each read takes
 * what the pipe already holds (at most the free room) and never waits for more than the
 * range asked for, so a packet is delivered as soon as its block is complete, not when a
 * buffer fills. Bytes before the offset given to {@link #release} are forgotten when room
 * is needed; a range reaching further than one buffer from it cannot be had (the reader
 * treats that as damage, as it does a block longer than a file's window).
 */
final class StreamWindow extends ByteWindow {
    private final InputStream in;
    private final byte[] bytes;
    private final ByteBuffer window;
    private long base;
    private int limit;
    private long mark;
    private boolean ended;
    private long endSize = Long.MAX_VALUE;
    private String error;

    StreamWindow(InputStream in, int capacity) {
        this.in = in;
        this.bytes = new byte[capacity];
        this.window = ByteBuffer.wrap(bytes);
        window.limit(0);
    }

    @Override
    long size() {
        return endSize;
    }

    @Override
    long base() {
        return base;
    }

    @Override
    ByteBuffer buffer() {
        return window;
    }

    /** Why the stream ended early (a read error), or null after a clean end or while it runs. */
    @Override
    String readError() {
        return error;
    }

    @Override
    void release(long offset) {
        if (offset > mark) {
            mark = offset;
        }
    }

    @Override
    boolean ensure(long offset, int len) {
        if (offset < base || len < 0) {
            return false;
        }
        long need = offset + len;
        if (need <= base + limit) {
            return true;
        }
        if (ended) {
            return false;
        }
        long keep = Math.max(base, Math.min(mark, offset));
        if (need - keep > bytes.length) {
            return false;
        }
        if (need > base + bytes.length) {
            int shift = (int) Math.min(keep - base, limit);
            System.arraycopy(bytes, shift, bytes, 0, limit - shift);
            limit -= shift;
            base += shift;
        }
        try {
            while (base + limit < need) {
                int n = in.read(bytes, limit, bytes.length - limit);
                if (n < 0) {
                    end();
                    break;
                }
                limit += n;
            }
        } catch (IOException e) {
            error = e.getMessage() == null ? e.toString() : e.getMessage();
            end();
        }
        window.limit(limit);
        return need <= base + limit;
    }

    private void end() {
        ended = true;
        endSize = base + limit;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // a pipe we only read: nothing to flush
        }
    }
}
