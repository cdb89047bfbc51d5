package io.bulwark.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The IEEE MA-L registry (OUI, the first 24 bits of a MAC address) to organisation names.
 * Read at run time from Debian's {@code ieee-data} package ({@code /usr/share/ieee-data/oui.txt}
 * or {@code oui.csv}); without it, a bundled subset generated from that package by
 * {@code .ci/generate-oui-fallback} (the vendors of common IoT, camera, router and smart-home
 * devices). Immutable once loaded; thread-safe. Bad lines are skipped, never thrown on.
 */
public final class Oui {
    public static final Path DEBIAN_TXT = Path.of("/usr/share/ieee-data/oui.txt");
    public static final Path DEBIAN_CSV = Path.of("/usr/share/ieee-data/oui.csv");
    private static final String FALLBACK = "oui-fallback.tsv";
    private static volatile Oui system;

    private final IntFunction<String> vendors;
    private final int size;
    private final String source;

    private Oui(Map<Integer, String> vendors, String source) {
        this(vendors::get, vendors.size(), source);
    }

    private Oui(IntFunction<String> vendors, int size, String source) {
        this.vendors = vendors;
        this.size = size;
        this.source = source;
    }

    /** The registry of this machine: ieee-data when installed, else the bundled subset. Loaded once. */
    public static Oui system() {
        Oui o = system;
        if (o == null) {
            synchronized (Oui.class) {
                if (system == null) {
                    system = load(DEBIAN_TXT, DEBIAN_CSV);
                }
                o = system;
            }
        }
        return o;
    }

    /** Reads the CSV, else the text form, whichever exists and parses first, else the bundled subset. */
    public static Oui load(Path txt, Path csv) {
        try {
            if (Files.isReadable(csv)) {
                Oui o = fromCsv(Files.readAllBytes(csv), csv.toString());
                if (o.size() > 0) {
                    return o;
                }
            }
            if (Files.isReadable(txt)) {
                try (Reader r = Files.newBufferedReader(txt, StandardCharsets.UTF_8)) {
                    Map<Integer, String> m = parseTxt(r);
                    if (!m.isEmpty()) {
                        return new Oui(m, txt.toString());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // unreadable or not UTF-8: fall back to the bundled subset below
        }
        return bundled();
    }

    /** The bundled subset only. */
    public static Oui bundled() {
        try (InputStream in = Oui.class.getResourceAsStream(FALLBACK)) {
            if (in == null) {
                return new Oui(Map.of(), "none");
            }
            Map<Integer, String> m = new HashMap<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                int tab = line.indexOf('\t');
                int key = tab == 6 ? hex6(line, 0) : -1;
                if (key >= 0) {
                    m.put(key, line.substring(tab + 1).trim());
                }
            }
            return new Oui(m, "bundled:" + FALLBACK);
        } catch (IOException e) {
            return new Oui(Map.of(), "none");
        }
    }

    /** ieee-data's oui.txt: lines "AA-BB-CC   (hex)\t\tOrganisation". */
    static Map<Integer, String> parseTxt(Reader in) throws IOException {
        Map<Integer, String> m = new HashMap<>();
        BufferedReader r = new BufferedReader(in);
        for (String line; (line = r.readLine()) != null; ) {
            int hex = line.indexOf("(hex)");
            if (hex < 8 || line.length() < 8 || line.charAt(2) != '-' || line.charAt(5) != '-') {
                continue;
            }
            int key = hex6(line.substring(0, 2) + line.substring(3, 5) + line.substring(6, 8), 0);
            String org = line.substring(hex + 5).trim();
            if (key >= 0 && !org.isEmpty()) {
                m.put(key, org);
            }
        }
        return m;
    }

    /**
     * ieee-data's oui.csv ("Registry,Assignment,Organization Name,Organization Address", RFC 4180
     * quoting), indexed where it lies: one pass over the bytes puts each MA-L assignment's
     * 24 bits and the offset of its organisation field into an open-addressing table, and a
     * name is decoded only when a device asks for it. Reading the file line by line into
     * strings and a map cost about 0.3 s of CPU on every run, most of it the JIT compiling
     * the parser (measured with -XX:+CITime on the bench capture, one core), for the few
     * hundred vendors a capture has.
     */
    static Oui fromCsv(byte[] b, String source) {
        int cap = Integer.highestOneBit(Math.max(64, b.length / 24));
        int[] keys = new int[cap];
        int[] fields = new int[cap];
        int n = 0;
        for (int i = 0; i < b.length; ) {
            int eol = i;
            while (eol < b.length && b[eol] != '\n') {
                eol++;
            }
            if (eol - i >= 13 && b[i] == 'M' && b[i + 1] == 'A' && b[i + 2] == '-' && b[i + 3] == 'L'
                    && b[i + 4] == ',' && b[i + 11] == ',') {
                int key = hex6(b, i + 5);
                int f = i + 12;
                boolean empty = b[f] == ',' || b[f] == '\r' || b[f] == '\n'
                        || (b[f] == '"' && f + 1 < eol && b[f + 1] == '"' && (f + 2 >= eol || b[f + 2] != '"'));
                if (key >= 0 && !empty && n < cap / 2) {
                    int slot = slot(keys, key);
                    if (keys[slot] == 0) {
                        n++;
                    }
                    keys[slot] = key + 1;
                    fields[slot] = f;
                }
            }
            i = eol + 1;
        }
        return new Oui(key -> {
            int slot = slot(keys, key);
            String v = keys[slot] == 0 ? null : csvField(b, fields[slot]);
            return v == null || v.isEmpty() ? null : v;
        }, n, source);
    }

    /** The slot holding {@code key} (stored plus one: 0 is empty), or the empty slot it would take. */
    private static int slot(int[] keys, int key) {
        int mask = keys.length - 1;
        int i = (key * 0x9E3779B1) >>> 8 & mask;
        while (keys[i] != 0 && keys[i] != key + 1) {
            i = (i + 1) & mask;
        }
        return i;
    }

    /** The CSV field starting at {@code at}, unquoted and trimmed; it ends at a comma or the line's end. */
    static String csvField(byte[] b, int at) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        if (at < b.length && b[at] == '"') {
            for (int i = at + 1; i < b.length && b[i] != '\n'; i++) {
                if (b[i] == '"') {
                    if (i + 1 < b.length && b[i + 1] == '"') {
                        out.write('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    out.write(b[i]);
                }
            }
        } else {
            for (int i = at; i < b.length && b[i] != ',' && b[i] != '\n'; i++) {
                out.write(b[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    private static int hex6(byte[] b, int at) {
        int v = 0;
        for (int i = at; i < at + 6; i++) {
            int d = Character.digit(b[i], 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    private static int hex6(String s, int at) {
        return s.length() < at + 6 ? -1 : hex6(s.getBytes(StandardCharsets.ISO_8859_1), at);
    }

    /**
     * The organisation the MAC's OUI is assigned to, or null: unknown, no MAC (-1), or a locally
     * administered address (bit 1 of the first octet: randomised or virtual, no vendor).
     */
    public String vendor(long mac) {
        if (mac < 0 || ((mac >>> 40) & 0x02) != 0) {
            return null;
        }
        return vendors.apply((int) (mac >>> 24) & 0xffffff);
    }

    public int size() {
        return size;
    }

    /** Where the registry came from: a file path, "bundled:..." or "none". */
    public String source() {
        return source;
    }
}
