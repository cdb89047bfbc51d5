package io.bulwark.simulate;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What Mirai's bot, loader and CNC put on the wire, as constants: the scanner's weighted
 * credential table, the strings of the bot's obfuscated table, the ports, and the binary
 * records of the CNC protocol and of the scanner's report. Values follow the public Mirai
 * source release (2016); domains are moved under .example (RFC 2606).
 *
 * <pre>
 *  CNC attack command   length 2 (whole record) | duration s 4 | vector 1 | targets 1 |
 *                       targets * (ip 4 | prefix length 1) | options 1 | options * (key 1 | len 1 | value)
 *  bot hello            00 00 00 01 | id length 1 | id
 *  keepalive            00 00, echoed by the CNC
 *  scanner report       00 | victim ip 4 | port 2 | user length 1 | user | password length 1 | password
 * </pre>
 */
final class Mirai {
    /** A login from the scanner's table; the weight sets how often the bot draws it. */
    record Credential(String user, String password, int weight) {
    }

    static final List<Credential> CREDENTIALS = List.of(
            new Credential("root", "xc3511", 10), new Credential("root", "vizxv", 9),
            new Credential("root", "admin", 8), new Credential("admin", "admin", 7),
            new Credential("root", "888888", 6), new Credential("root", "xmhdipc", 5),
            new Credential("root", "default", 5), new Credential("root", "juantech", 5),
            new Credential("root", "123456", 5), new Credential("root", "54321", 5),
            new Credential("support", "support", 5), new Credential("root", "", 4),
            new Credential("admin", "password", 4), new Credential("root", "root", 4),
            new Credential("root", "12345", 4), new Credential("user", "user", 3),
            new Credential("admin", "", 3), new Credential("root", "pass", 3),
            new Credential("admin", "admin1234", 3), new Credential("root", "1111", 3),
            new Credential("admin", "smcadmin", 3), new Credential("admin", "1111", 2),
            new Credential("root", "666666", 2), new Credential("root", "password", 2),
            new Credential("root", "1234", 2), new Credential("root", "klv123", 1),
            new Credential("Administrator", "admin", 1), new Credential("service", "service", 1),
            new Credential("supervisor", "supervisor", 1), new Credential("guest", "guest", 1),
            new Credential("guest", "12345", 1), new Credential("admin1", "password", 1),
            new Credential("administrator", "1234", 1), new Credential("666666", "666666", 1),
            new Credential("888888", "888888", 1), new Credential("ubnt", "ubnt", 1),
            new Credential("root", "klv1234", 1), new Credential("root", "Zte521", 1),
            new Credential("root", "hi3518", 1), new Credential("root", "jvbzd", 1),
            new Credential("root", "anko", 4), new Credential("root", "zlxx.", 1),
            new Credential("root", "7ujMko0vizxv", 1), new Credential("root", "7ujMko0admin", 1),
            new Credential("root", "system", 1), new Credential("root", "ikwb", 1),
            new Credential("root", "dreambox", 1), new Credential("root", "user", 1),
            new Credential("root", "realtek", 1), new Credential("root", "00000000", 1),
            new Credential("admin", "1111111", 1), new Credential("admin", "1234", 1),
            new Credential("admin", "12345", 1), new Credential("admin", "54321", 1),
            new Credential("admin", "123456", 1), new Credential("admin", "7ujMko0admin", 1),
            new Credential("admin", "pass", 1), new Credential("admin", "meinsm", 1),
            new Credential("tech", "tech", 1), new Credential("mother", "fucker", 1));
    private static final int TOTAL_WEIGHT = CREDENTIALS.stream().mapToInt(Credential::weight).sum();

    /** The browser User-Agents of the HTTP flood; each connection slot draws one. */
    static final List<String> USER_AGENTS = List.of(
            "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
            "Mozilla/5.0 (Windows NT 10.0; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Safari/537.36",
            "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/51.0.2704.103 Safari/537.36",
            "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/52.0.2743.116 Safari/537.36",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_6) AppleWebKit/601.7.7 (KHTML, like Gecko) Version/9.1.2 Safari/601.7.7");
    static final String HTTP_KEEP_ALIVE = "Connection: keep-alive";
    static final String HTTP_ACCEPT = "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/webp,*/*;q=0.8";
    static final String HTTP_ACCEPT_LANGUAGE = "Accept-Language: en-US,en;q=0.8";

    /** The vse vector's payload: four 0xff bytes then the table's string with its NUL. */
    static final byte[] VSE_PAYLOAD = "\u00ff\u00ff\u00ff\u00ffTSource Engine Query\0".getBytes(StandardCharsets.ISO_8859_1);
    /** rand_alphastr's alphabet: one of 32 characters per 5 bits of entropy. */
    static final String ALPHASET = "abcdefghijklmnopqrstuvw012345678";

    static final String SCAN_QUERY = "/bin/busybox MIRAI";
    static final String SCAN_RESPONSE = "MIRAI: applet not found";
    static final String LOADER_TOKEN = "/bin/busybox ECCHI";
    static final String LOADER_TOKEN_RESPONSE = "ECCHI: applet not found";
    static final String LOADER_EXEC = "/bin/busybox IHCCE";
    static final String LOADER_EXEC_RESPONSE = "IHCCE: applet not found";
    static final String BINARY = "dvrHelper";
    static final String DROPPER = "upnp";
    /** What the bot prints when it starts (TABLE_EXEC_SUCCESS). */
    static final String EXEC_SUCCESS = "listening tun0";
    /** The loader's id tag, passed to the bot as {@code telnet.<arch>}. */
    static final String ID = "telnet.arm7";

    static final int CNC_PORT = 23;
    static final int REPORT_PORT = 48101;
    static final String CNC_DOMAIN = "cnc.changeme.example";
    static final String REPORT_DOMAIN = "report.changeme.example";
    /** resolv.c asks Google's public resolver, whatever the device's own resolver is. */
    static final int RESOLVER = 0x08080808;

    /** CNC vector numbers (attack.h); 8 was the proxy vector, never built. */
    static final Map<String, Integer> VECTOR_IDS = Map.of("udp", 0, "vse", 1, "dns", 2, "syn", 3, "ack", 4,
            "stomp", 5, "greip", 6, "greeth", 7, "udpplain", 9, "http", 10);
    static final int OPT_DPORT = 7;
    static final int OPT_DOMAIN = 8;
    static final int OPT_GRE_CONSTIP = 19;
    static final int OPT_CONNS = 24;

    static final byte[] HELLO = {0, 0, 0, 1};
    static final byte[] KEEPALIVE = {0, 0};

    private Mirai() {
    }

    /** random_auth_entry: a credential drawn by weight. */
    static Credential drawCredential(SplittableRandom rng) {
        int r = rng.nextInt(TOTAL_WEIGHT);
        for (Credential c : CREDENTIALS) {
            r -= c.weight();
            if (r < 0) {
                return c;
            }
        }
        throw new AssertionError("weights sum to " + TOTAL_WEIGHT);
    }

    /**
     * A CNC attack command for one /32 target; {@code options} are (key, value) pairs of
     * attack.h's ATK_OPT_* keys, written in the given order.
     */
    static byte[] attackCommand(String vector, int target, int durationSeconds, Object... options) {
        Integer id = VECTOR_IDS.get(vector);
        if (id == null || options.length % 2 != 0) {
            throw new IllegalArgumentException("vector " + vector + ", options " + options.length);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[2]);
        put32(out, durationSeconds);
        out.write(id);
        out.write(1);
        put32(out, target);
        out.write(32);
        out.write(options.length / 2);
        for (int i = 0; i < options.length; i += 2) {
            byte[] value = String.valueOf(options[i + 1]).getBytes(StandardCharsets.US_ASCII);
            out.write((Integer) options[i]);
            out.write(value.length);
            out.writeBytes(value);
        }
        byte[] b = out.toByteArray();
        b[0] = (byte) (b.length >>> 8);
        b[1] = (byte) b.length;
        return b;
    }

    /** The bot's first words to the CNC after the hello: its id, length-prefixed. */
    static byte[] botId(String id) {
        byte[] s = id.getBytes(StandardCharsets.US_ASCII);
        byte[] b = new byte[1 + s.length];
        b[0] = (byte) s.length;
        System.arraycopy(s, 0, b, 1, s.length);
        return b;
    }

    /** The scanner's report of a working login, after its leading zero byte (sent alone first). */
    static byte[] report(int victim, int port, Credential c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        put32(out, victim);
        out.write(port >>> 8);
        out.write(port);
        byte[] user = c.user().getBytes(StandardCharsets.US_ASCII);
        byte[] pass = c.password().getBytes(StandardCharsets.US_ASCII);
        out.write(user.length);
        out.writeBytes(user);
        out.write(pass.length);
        out.writeBytes(pass);
        return out.toByteArray();
    }

    private static void put32(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }
}
