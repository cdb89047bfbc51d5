package io.bulwark.inventory;

import io.bulwark.decode.dns.DnsName;

import java.nio.ByteBuffer;

/**
 * Bounds-checked reads for the inventory's payload parsers: every read is checked against the
 * end of the payload, so hostile lengths end a parse instead of throwing. Absolute gets on the
 * capture's buffer; nothing is copied until a value is kept.
 */
final class Wire {
    private Wire() {
    }

    /** Unsigned byte at {@code i}, or -1 past {@code end}. */
    static int u8(ByteBuffer b, int i, int end) {
        return i >= 0 && i < end ? b.get(i) & 0xff : -1;
    }

    /** Unsigned big-endian 16 bits at {@code i}, or -1 when it does not fit before {@code end}. */
    static int u16(ByteBuffer b, int i, int end) {
        return i >= 0 && i + 2 <= end ? ((b.get(i) & 0xff) << 8) | (b.get(i + 1) & 0xff) : -1;
    }

    static int u24(ByteBuffer b, int i, int end) {
        return i >= 0 && i + 3 <= end ? ((b.get(i) & 0xff) << 16) | ((b.get(i + 1) & 0xff) << 8) | (b.get(i + 2) & 0xff) : -1;
    }

    /**
     * Printable text of {@code [from, to)}: ASCII 0x20..0x7e kept, runs of anything else become
     * one space, trimmed, at most {@link Observation#MAX_VALUE} characters.
     */
    static String text(ByteBuffer b, int from, int to) {
        StringBuilder sb = new StringBuilder(Math.min(Math.max(0, to - from), Observation.MAX_VALUE));
        boolean gap = false;
        for (int i = Math.max(0, from); i < to && i < b.limit() && sb.length() < Observation.MAX_VALUE; i++) {
            int c = b.get(i) & 0xff;
            if (c >= 0x20 && c < 0x7f) {
                if (gap && sb.length() > 0) {
                    sb.append(' ');
                }
                gap = false;
                sb.append((char) c);
            } else {
                gap = true;
            }
        }
        return cap(sb.toString().trim());
    }

    /** {@code s} cut to {@link Observation#MAX_VALUE} characters. */
    static String cap(String s) {
        return s.length() <= Observation.MAX_VALUE ? s : s.substring(0, Observation.MAX_VALUE);
    }

    /** True when the bytes at {@code i} are the ASCII {@code s} (case-sensitive). */
    static boolean startsWith(ByteBuffer b, int i, int end, String s) {
        if (i < 0 || i + s.length() > end) {
            return false;
        }
        for (int k = 0; k < s.length(); k++) {
            if ((b.get(i + k) & 0xff) != s.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads a DNS name as written (case and spaces kept) into {@code out}; compression pointers
     * count from {@code base}. Returns the offset after the name in the original position, or -1
     * when malformed, truncated or over {@link DnsName}'s bounds.
     */
    static int dnsName(ByteBuffer b, int base, int at, int end, StringBuilder out) {
        return DnsName.asWritten(i -> b.get(i) & 0xff, base, at, end, out);
    }
}
