package io.bulwark.decode.zeek;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into '\n'-terminated lines, remembering each line's file offset,
 * with memory bounded by {@link #MAX_LINE}: a longer line is reported as {@link Kind#TOO_LONG}
 * and its bytes are skipped, never buffered. A trailing '\r' is dropped, so a log that went
 * through a CRLF-converting copy still reads. Not thread-safe.
 */
final class LineSource {
    /** Longest line accepted, in bytes without the newline. A Zeek conn.log line is ~200. */
    static final int MAX_LINE = 64 * 1024;

    enum Kind {
        /** A complete line is in {@link #bytes()} from 0 to {@link #length()}. */
        LINE,
        /** The line at {@link #offset()} exceeded {@link #MAX_LINE}; its bytes were skipped. */
        TOO_LONG,
        /** The input ended inside a line (no final newline): the writer was cut off. Bytes are valid. */
        UNTERMINATED,
        END
    }

    private final InputStream in;
    /** Room for a whole bounded line plus its newline, so a line never has to straddle refills. */
    private final byte[] buf = new byte[2 * (MAX_LINE + 2)];
    private int start;
    private int end;
    /** File offset of buf[0]. */
    private long base;
    private boolean eof;
    private long lineOffset;
    private int lineStart;
    private int lineLength;

    LineSource(InputStream in, long startOffset) {
        this.in = in;
        this.base = startOffset;
    }

    /** Reads the next line. {@link IOException} is the file's, never the content's. */
    Kind next() throws IOException {
        int scanFrom = start;
        while (true) {
            int nl = indexOfNewline(scanFrom, end);
            if (nl >= 0) {
                return line(nl - start, nl + 1, Kind.LINE);
            }
            if (end - start > MAX_LINE + 1) {
                // +1 leaves room for a '\r' that a CRLF line carries before its '\n'.
                lineOffset = base + start;
                skipPastNewline();
                return Kind.TOO_LONG;
            }
            if (eof) {
                if (start == end) {
                    lineOffset = base + start;
                    return Kind.END;
                }
                return line(end - start, end, Kind.UNTERMINATED);
            }
            int scanned = end - start;
            fill();
            scanFrom = start + scanned;
        }
    }

    /** File offset of the line last returned, or of the end of input for {@link Kind#END}. */
    long offset() {
        return lineOffset;
    }

    byte[] bytes() {
        return buf;
    }

    int from() {
        return lineStart;
    }

    int length() {
        return lineLength;
    }

    /** Offset of the first byte not yet returned. */
    long position() {
        return base + start;
    }

    private Kind line(int length, int next, Kind kind) {
        lineOffset = base + start;
        lineStart = start;
        lineLength = length > 0 && buf[start + length - 1] == '\r' ? length - 1 : length;
        start = next;
        // A line just over the bound can arrive whole in one read; the bound still holds.
        return lineLength > MAX_LINE ? Kind.TOO_LONG : kind;
    }

    private int indexOfNewline(int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Moves the pending bytes to the front of the buffer and reads more after them. */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buf, start, buf, 0, end - start);
            base += start;
            end -= start;
            start = 0;
        }
        int n = in.read(buf, end, buf.length - end);
        if (n < 0) {
            eof = true;
        } else {
            end += n;
        }
    }

    private void skipPastNewline() throws IOException {
        while (true) {
            int nl = indexOfNewline(start, end);
            if (nl >= 0) {
                start = nl + 1;
                return;
            }
            base += end;
            start = 0;
            end = 0;
            if (eof) {
                return;
            }
            fill();
        }
    }
}
