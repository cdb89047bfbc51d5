package io.bulwark.decode.capture;

import java.nio.ByteBuffer;

/**
 * A byte source seen through one {@link ByteBuffer} with int offsets: a file
 * ({@link MappedFile}) or a non-seekable stream ({@link StreamWindow}). {@link #ensure} makes
 * a byte range addressable; {@link #base()} is the source offset of the buffer's index 0;
 * {@link #buffer()} and {@link #base()} may change on every {@code ensure}, so a reader
 * recomputes its buffer index after each call.
 */
abstract class ByteWindow implements AutoCloseable {
    /**
     * The source's size: a file's length, or for a stream the number of bytes it had when it
     * ended, and Long.MAX_VALUE while it has not ended.
     */
    abstract long size();

    abstract long base();

    abstract ByteBuffer buffer();

    /**
     * Makes [offset, offset+len) addressable. Returns false when the range runs past the end
     * of the source, is longer than a window, or cannot be read. A stream blocks until the
     * bytes have arrived or the stream has ended.
     */
    abstract boolean ensure(long offset, int len);

    /** True when at least one byte exists at {@code offset} (a stream blocks until it arrives or ends). */
    boolean more(long offset) {
        return offset < size() && ensure(offset, 1);
    }

    /**
     * Nothing before {@code offset} will be asked for again: a stream may forget it. A file
     * ignores this.
     */
    void release(long offset) {
    }

    /** Why a stream ended early (a read error), or null. */
    String readError() {
        return null;
    }

    @Override
    public abstract void close();
}
