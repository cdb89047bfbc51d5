package io.bulwark.decode.sflow;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;

/**
 * Writes XDR (RFC 4506: big-endian 32-bit words, opaque data padded to 4 bytes) for sFlow
 * fixtures. {@link #open()} writes a length word to be filled in by the matching
 * {@link #close()}, so that fixtures state the fields and the lengths follow.
 */
final class Xdr {
    private byte[] buf = new byte[256];
    private int size;
    private final Deque<Integer> open = new ArrayDeque<>();

    Xdr u32(long v) {
        ensure(4);
        ByteBuffer.wrap(buf).putInt(size, (int) v);
        size += 4;
        return this;
    }

    /** A dotted IPv4 or a hex IPv6 address ("20010db8000000000000000000000001"), raw. */
    Xdr ip(String s) {
        if (s.contains(".")) {
            for (String part : s.split("\\.")) {
                raw(new byte[] {(byte) Integer.parseInt(part)});
            }
            return this;
        }
        return raw(HexFormat.of().parseHex(s));
    }

    /** Bytes as they are: the caller keeps the 4-byte alignment. */
    Xdr raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
        return this;
    }

    /** opaque&lt;&gt;: length word, bytes, zero padding to 4. */
    Xdr opaque(byte[] b) {
        u32(b.length);
        raw(b);
        return raw(new byte[(4 - b.length % 4) % 4]);
    }

    /** Starts a length-prefixed structure (sample or record data). */
    Xdr open() {
        open.push(size);
        return u32(0);
    }

    /** Ends the innermost {@link #open()} structure and writes its length. */
    Xdr close() {
        int at = open.pop();
        ByteBuffer.wrap(buf).putInt(at, size - at - 4);
        return this;
    }

    int size() {
        return size;
    }

    byte[] bytes() {
        if (!open.isEmpty()) {
            throw new IllegalStateException(open.size() + " structures not closed");
        }
        return Arrays.copyOf(buf, size);
    }

    private void ensure(int n) {
        if (size + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        }
    }
}
