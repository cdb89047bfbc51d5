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

    private final Map<Integer, String> vendors;
    private final String source;

    private Oui(Map<Integer, String> vendors, String source) {
        this.vendors = vendors;
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

    /**
     * Starts loading {@link #system()} on a daemon thread, so that reading the registry (about
     * 0.7 s for ieee-data's 32,000 assignments on a cold JVM) overlaps with the analysis
     * instead of adding to it; {@link #system()} then waits for it.
     */
    public static void preload() {
        if (system == null) {
            Thread t = new Thread(Oui::system, "oui-registry");
            t.setDaemon(true);
            t.start();
        }
    }

    /** Reads the CSV, else the text form, whichever exists and parses first, else the bundled subset. */
    public static Oui load(Path txt, Path csv) {
        try {
            if (Files.isReadable(csv)) {
                try (Reader r = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
                    Map<Integer, String> m = parseCsv(r);
                    if (!m.isEmpty()) {
                        return new Oui(m, csv.toString());
                    }
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

    /** ieee-data's oui.csv: "Registry,Assignment,Organization Name,Organization Address" with RFC 4180 quoting. */
    static Map<Integer, String> parseCsv(Reader in) throws IOException {
        Map<Integer, String> m = new HashMap<>();
        BufferedReader r = new BufferedReader(in);
        for (String line; (line = r.readLine()) != null; ) {
            if (!line.startsWith("MA-L,") || line.length() < 13 || line.charAt(11) != ',') {
                continue;
            }
            int key = hex6(line, 5);
            String org = csvField(line, 12);
            if (key >= 0 && !org.isEmpty()) {
                m.put(key, org);
            }
        }
        return m;
    }

    private static String csvField(String line, int at) {
        if (at < line.length() && line.charAt(at) == '"') {
            StringBuilder sb = new StringBuilder();
            for (int i = at + 1; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        break;
                    }
                } else {
                    sb.append(c);
                }
            }
            return sb.toString().trim();
        }
        int end = line.indexOf(',', at);
        return (end < 0 ? line.substring(at) : line.substring(at, end)).trim();
    }

    private static int hex6(String s, int at) {
        if (s.length() < at + 6) {
            return -1;
        }
        int v = 0;
        for (int i = at; i < at + 6; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /**
     * The organisation the MAC's OUI is assigned to, or null: unknown, no MAC (-1), or a locally
     * administered address (bit 1 of the first octet: randomised or virtual, no vendor).
     */
    public String vendor(long mac) {
        if (mac < 0 || ((mac >>> 40) & 0x02) != 0) {
            return null;
        }
        return vendors.get((int) (mac >>> 24) & 0xffffff);
    }

    public int size() {
        return vendors.size();
    }

    /** Where the registry came from: a file path, "bundled:..." or "none". */
    public String source() {
        return source;
    }
}
