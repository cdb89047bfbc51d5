package io.bulwark.inventory;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * The header lines of an HTTP/1.x message (RFC 9112) or of an SSDP message (UPnP Device
 * Architecture 2.0, HTTP over UDP): only the fields that name software and devices are kept.
 * Reads the first {@link #MAX_LINES} lines of one packet's payload; never throws.
 */
final class HeaderLines {
    private static final int MAX_LINES = 40;

    /** What kind of message the payload starts with. */
    enum Start { NONE, REQUEST, RESPONSE, SSDP_NOTIFY, SSDP_SEARCH }

    private HeaderLines() {
    }

    private static final String[] METHODS = {"GET ", "POST ", "PUT ", "HEAD ", "DELETE ", "OPTIONS ", "PATCH ", "SUBSCRIBE "};

    static Start start(ByteBuffer b, int off, int end) {
        if (Wire.startsWith(b, off, end, "HTTP/1.")) {
            return Start.RESPONSE;
        }
        if (Wire.startsWith(b, off, end, "NOTIFY * ")) {
            return Start.SSDP_NOTIFY;
        }
        if (Wire.startsWith(b, off, end, "M-SEARCH * ")) {
            return Start.SSDP_SEARCH;
        }
        for (String m : METHODS) {
            if (Wire.startsWith(b, off, end, m)) {
                return Start.REQUEST;
            }
        }
        return Start.NONE;
    }

    /**
     * Whether the payload continues a request's header block: small embedded HTTP stacks send
     * the request line and the header lines in separate segments ("GET /x HTTP/1.1\r\n", then
     * "Host: h\r\n\r\n"), so the telling lines would be missed by looking at request starts only.
     */
    static boolean continuation(ByteBuffer b, int off, int end) {
        return Wire.startsWith(b, off, end, "Host: ") || Wire.startsWith(b, off, end, "User-Agent: ");
    }

    /**
     * Emits the kept fields under {@code prefix} ("http" or "ssdp"): Server, User-Agent (and
     * UPnP's X-User-Agent), NT and ST device and service types, Location, and, for HTTP, Host
     * and the presence (never the value) of Basic credentials.
     */
    static void read(ByteBuffer b, int off, int len, String prefix, BiConsumer<String, String> out) {
        int end = off + len;
        // An M-SEARCH's ST names what the device looks for, not what it is: keep only its user agent.
        Start st = start(b, off, end);
        boolean search = st == Start.SSDP_SEARCH;
        // A continuation segment has no start line: its first line is already a header.
        int first = st == Start.NONE && prefix.equals("http") && continuation(b, off, end) ? 0 : 1;
        int line = off;
        for (int n = 0; n < MAX_LINES && line < end; n++) {
            int eol = line;
            while (eol < end && b.get(eol) != '\n') {
                eol++;
            }
            int stop = eol > line && b.get(eol - 1) == '\r' ? eol - 1 : eol;
            if (stop == line) {
                return; // blank line: end of headers
            }
            if (n == 0 && first == 1 && prefix.equals("http")) {
                update(b, line, stop, out);
            } else if (n >= first) {
                field(b, line, stop, prefix, search, out);
            }
            line = eol + 1;
        }
    }

    /** File names of firmware and software packages, in a path that says it is an update. */
    private static final java.util.regex.Pattern UPDATE = java.util.regex.Pattern.compile(
            "(?i)(firmware|upgrade|update|/fw/|fota|ota).*\\.(bin|img|fw|trx|chk|pkg|tar|tgz|gz|zip|ipk|deb|rom|hex)(\\?|$)");

    /** A request line whose target looks like a firmware or software update: "GET /fw/update.bin". */
    private static void update(ByteBuffer b, int from, int to, BiConsumer<String, String> out) {
        String line = Wire.text(b, from, to);
        int sp1 = line.indexOf(' ');
        int sp2 = line.indexOf(' ', sp1 + 1);
        if (sp1 > 0 && sp2 > sp1 && UPDATE.matcher(line.substring(sp1 + 1, sp2)).find()) {
            out.accept("http.update", line.substring(0, sp2));
        }
    }

    private static void field(ByteBuffer b, int from, int to, String prefix, boolean search,
                              BiConsumer<String, String> out) {
        int colon = from;
        while (colon < to && b.get(colon) != ':') {
            colon++;
        }
        if (colon >= to || colon - from > 20) {
            return;
        }
        String name = Wire.text(b, from, colon).toLowerCase(java.util.Locale.ROOT);
        String value = Wire.text(b, colon + 1, to);
        if (value.isEmpty()) {
            return;
        }
        switch (name) {
            case "server" -> out.accept(prefix + ".server", value);
            case "user-agent", "x-user-agent" -> out.accept(prefix + ".user_agent", value);
            case "nt", "st" -> {
                if (value.startsWith("urn:") && !search) {
                    out.accept(prefix + ".type", value);
                }
            }
            case "location" -> out.accept(prefix + ".location", value);
            case "host" -> {
                if (prefix.equals("http")) {
                    out.accept("http.host", value);
                }
            }
            case "authorization", "proxy-authorization" -> {
                if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                    out.accept("http.basic_auth", "Authorization: Basic (value not kept)");
                }
            }
            default -> {
            }
        }
    }
}
