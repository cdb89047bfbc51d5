package io.bulwark.decode.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only file seen through a sliding window, so that files of any size are read with
 * int offsets into one {@link ByteBuffer}. {@link #ensure} makes a byte range addressable;
 * {@link #base()} is the file offset of the buffer's index 0. The window moves only when a
 * record crosses its end.
 *
 * <p>Two ways to fill the window, same contract:
 * <ul>
 *   <li>{@link Mode#READ} (default): {@code read(2)} into one reused 512 KiB direct buffer.
 *       The kernel copies the page cache sequentially and the buffer stays in the core's L2
 *       cache (1 MiB here) while it is parsed. Measured on this machine kind on the
 *       3-million-packet, 2.6 GB bench capture: reading took 0.21 s this way and 0.41 s
 *       memory-mapped (with mmap every packet header is a cache miss into page-cache memory,
 *       plus page faults); and the whole steady-state analysis took 1.26-1.44 s of CPU per
 *       pass with 512 KiB against 1.78-2.12 s with 8 MiB, whose copy no longer fit the L2
 *       cache, so each record header was a miss again (docs/performance.md). The window is
 *       larger than the largest record a reader asks for (a 256 KiB packet and its header).</li>
 *   <li>{@link Mode#MMAP}: the file is memory-mapped in 1 GiB windows. Zero-copy; kept for
 *       comparison ({@code -Dbulwark.io=mmap}).</li>
 * </ul>
 */
final class MappedFile extends ByteWindow {
    enum Mode { READ, MMAP }

    static final int MAP_WINDOW = 1 << 30;
    static final int READ_WINDOW = 512 << 10;

    private final FileChannel channel;
    private final long size;
    private final Mode mode;
    private ByteBuffer window;
    private long base;

    MappedFile(Path path) throws IOException {
        this(path, "mmap".equals(System.getProperty("bulwark.io")) ? Mode.MMAP : Mode.READ);
    }

    MappedFile(Path path, Mode mode) throws IOException {
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.size = channel.size();
        this.mode = mode;
        if (mode == Mode.READ) {
            window = ByteBuffer.allocateDirect((int) Math.min(READ_WINDOW, Math.max(size, 4096)));
            window.order(ByteOrder.BIG_ENDIAN);
        }
        fill(0);
    }

    private void fill(long start) throws IOException {
        if (mode == Mode.MMAP) {
            long len = Math.min(MAP_WINDOW, size - start);
            MappedByteBuffer m = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.max(0, len));
            m.order(ByteOrder.BIG_ENDIAN);
            window = m;
        } else {
            window.clear();
            long at = start;
            while (window.hasRemaining()) {
                int n = channel.read(window, at);
                if (n <= 0) {
                    break;
                }
                at += n;
            }
            window.flip();
        }
        base = start;
    }

    @Override
    long size() {
        return size;
    }

    @Override
    long base() {
        return base;
    }

    @Override
    ByteBuffer buffer() {
        return window;
    }

    @Override
    boolean ensure(long offset, int len) {
        int max = mode == Mode.MMAP ? MAP_WINDOW : window.capacity();
        if (offset < 0 || len < 0 || len > max || offset + len > size) {
            return false;
        }
        if (offset >= base && offset + len <= base + window.limit()) {
            return true;
        }
        try {
            fill(offset);
            return offset + len <= base + window.limit();
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    boolean more(long offset) {
        return offset < size;
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
