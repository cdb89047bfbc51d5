package io.bulwark.inventory;

import java.nio.ByteBuffer;

/**
 * The greeting a server sends first: telnet (RFC 854, after stripping option negotiation),
 * SSH's identification string (RFC 4253 4.2: "SSH-2.0-software"), FTP's 220 reply (RFC 959).
 * Returns the printable text of the first line, or null when there is none. Never throws.
 */
final class Banner {
    private static final int IAC = 255, SB = 250, SE = 240;

    private Banner() {
    }

    /** Telnet: skips IAC commands (3 bytes for WILL/WONT/DO/DONT, IAC SB ... IAC SE for subnegotiation). */
    static String telnet(ByteBuffer b, int off, int len) {
        int end = off + len;
        StringBuilder sb = new StringBuilder();
        int i = off;
        while (i < end && sb.length() < Observation.MAX_VALUE) {
            int c = b.get(i) & 0xff;
            if (c == IAC) {
                int cmd = Wire.u8(b, i + 1, end);
                if (cmd == SB) {
                    int j = i + 2;
                    while (j + 1 < end && !((b.get(j) & 0xff) == IAC && (b.get(j + 1) & 0xff) == SE)) {
                        j++;
                    }
                    i = j + 2;
                } else if (cmd >= 251 && cmd <= 254) {
                    i += 3;
                } else {
                    i += 2;
                }
                continue;
            }
            if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                sb.append(' ');
            }
            i++;
        }
        String s = Wire.cap(sb.toString().trim());
        return s.isEmpty() ? "(option negotiation only)" : s;
    }

    /** First line of a text greeting, when it starts with {@code prefix} ("SSH-", "220"). */
    static String line(ByteBuffer b, int off, int len, String prefix) {
        int end = off + len;
        if (!Wire.startsWith(b, off, end, prefix)) {
            return null;
        }
        int eol = off;
        while (eol < end && b.get(eol) != '\n' && b.get(eol) != '\r') {
            eol++;
        }
        return Wire.text(b, off, eol);
    }
}
