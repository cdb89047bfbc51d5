package io.bulwark.decode.dns;

/**
 * Reads a domain name in DNS wire form (RFC 1035 section 4.1.4): labels, each a length byte
 * (1..63) and that many bytes, ending in a zero byte or in a compression pointer (two bytes, top
 * bits 11, a 14-bit offset) to the rest of the name. The one reader of names for DNS answers
 * and for the inventory's mDNS and DHCP parsers.
 *
 * <p>Hostile names never throw and never read outside {@code [0, end)}: a read past {@code end},
 * a label type other than 00 or 11, more than {@link #MAX_JUMPS} pointers (which ends every
 * pointer loop) or a name longer than {@link #MAX_LENGTH} characters returns -1.
 */
public final class DnsName {
    /** Longest name kept, in characters including the dots (RFC 1035 2.3.4 allows 255 octets). */
    public static final int MAX_LENGTH = 255;
    /** Most compression pointers followed in one name. */
    public static final int MAX_JUMPS = 16;

    /** The message's bytes: the unsigned byte at {@code i}, only asked for {@code 0 <= i < end}. */
    @FunctionalInterface
    public interface Bytes {
        int u8(int i);
    }

    private DnsName() {
    }

    /**
     * Reads the name at {@code at} into {@code out}, dot-separated, lower-cased, bytes other than
     * printable non-space ASCII as '?': the form for comparing names.
     *
     * @param base where the message starts: compression offsets count from it
     * @return the offset just after the name where it was read (after its first pointer, if
     *         any), or -1 when malformed, truncated or over a bound
     */
    public static int lowerCase(Bytes m, int base, int at, int end, StringBuilder out) {
        return read(m, base, at, end, out, true);
    }

    /**
     * As {@link #lowerCase}, but the name as written: case and spaces kept, bytes other than
     * printable ASCII as '?'. mDNS instance names ("Philips hue - 2476FF") are meant to be read.
     */
    public static int asWritten(Bytes m, int base, int at, int end, StringBuilder out) {
        return read(m, base, at, end, out, false);
    }

    private static int read(Bytes m, int base, int at, int end, StringBuilder out, boolean lowerCase) {
        int next = -1;
        int jumps = 0;
        int i = at;
        while (true) {
            if (i < 0 || i >= end) {
                return -1;
            }
            int len = m.u8(i);
            if (len == 0) {
                return next >= 0 ? next : i + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                if (i + 1 >= end || ++jumps > MAX_JUMPS) {
                    return -1;
                }
                if (next < 0) {
                    next = i + 2;
                }
                i = base + (((len & 0x3f) << 8) | m.u8(i + 1));
                continue;
            }
            if ((len & 0xc0) != 0 || i + 1 + len > end || out.length() + len + 1 > MAX_LENGTH) {
                return -1;
            }
            if (out.length() > 0) {
                out.append('.');
            }
            for (int k = 1; k <= len; k++) {
                int c = m.u8(i + k);
                if (lowerCase) {
                    // Printable ASCII only, so A-Z are the only letters to lower (Character.toLowerCase
                    // looked the code point up in Unicode's tables: 1.5 % of the bench's steady state).
                    out.append(c > 0x20 && c < 0x7f ? (char) (c >= 'A' && c <= 'Z' ? c | 0x20 : c) : '?');
                } else {
                    out.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
                }
            }
            i += 1 + len;
        }
    }
}
