package io.bulwark.decode.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only file seen through a sliding memory-mapped window, so that files larger than
 * 2 GiB can be read with int offsets into one {@link ByteBuffer}. {@link #ensure} makes a
 * byte range addressable and returns the buffer; {@link #base()} is the file offset of the
 * buffer's index 0. The window moves only when a record crosses its end, so remapping
 * costs one syscall per {@value #WINDOW} bytes.
 */
final class MappedFile implements AutoCloseable {
    static final int WINDOW = 1 << 30;

    private final FileChannel channel;
    private final long size;
    private MappedByteBuffer window;
    private long base;

    MappedFile(Path path) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        map(0);
    }

    private void map(long start) throws IOException {
        long len = Math.min(WINDOW, size - start);
        window = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, len));
        window.order(ByteOrder.BIG_ENDIAN);
        base = start;
    }

    long size() {
        return size;
    }

    long base() {
        return base;
    }

    ByteBuffer buffer() {
        return window;
    }

    /**
     * Makes [offset, offset+len) addressable. Returns false when the range runs past the end
     * of the file or cannot be mapped.
     */
    boolean ensure(long offset, int len) {
        // A range longer than the window could never be made addressable by one mapping.
        if (offset < 0 || len < 0 || len > WINDOW || offset + len > size) {
            return false;
        }
        if (offset >= base && offset + len <= base + window.limit()) {
            return true;
        }
        try {
            map(offset);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only channel: nothing to flush
        }
    }
}
