import io.bulwark.app.cli.Main;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detection quality per scenario family over many seeds, from packets and from flows only, in
 * one JVM: for each family and seed, simulate (with ground truth), analyze, score with
 * ../shared/tools/score.py (with the time-to-detect limits), and print one markdown table row
 * per family and mode: runs, worst recall, false positives, late detections, the worst seed,
 * and time to detect (median and max) per kind.
 *
 *   java -cp app/target/bulwark.jar bench/sweep/Families.java FIRST_SEED LAST_SEED FAMILY...
 */
public class Families {
    static final Pattern FOUND = Pattern.compile("^FOUND\\s+\\S+\\s+(\\S+).*ttd=([0-9.]+)s");
    static final Pattern SCORE = Pattern.compile("recall=([0-9.]+) precision=[0-9.]+ fp=(\\d+)(?: late=(\\d+))?");

    public static void main(String[] args) throws Exception {
        int first = Integer.parseInt(args[0]);
        int last = Integer.parseInt(args[1]);
        Path root = Path.of("").toAbsolutePath();
        Path score = root.resolveSibling("shared").resolve("tools/score.py");
        Path tmp = Files.createTempDirectory("families");
        PrintStream realOut = System.out;
        realOut.println("| family | mode | runs | recall (worst) | false positives | late | worst seed | time to detect, median / max (s) |");
        realOut.println("|---|---|---|---|---|---|---|---|");
        for (int a = 2; a < args.length; a++) {
            String family = args[a];
            for (String mode : new String[] {"packets", "flows"}) {
                int runs = 0, fp = 0, late = 0;
                double worst = 2;
                int worstSeed = -1;
                String worstWhy = "";
                Map<String, List<Double>> ttd = new TreeMap<>();
                for (int seed = first; seed <= last; seed++) {
                    Path pcap = tmp.resolve(family + "-" + seed + ".pcap");
                    Path truth = tmp.resolve(family + "-" + seed + ".truth.json");
                    String seedText = Integer.toString(seed);
                    if (!Files.exists(pcap)) {
                        quiet(() -> Main.run("simulate", "--scenario", family, "--seed", seedText, "--out",
                                pcap.toString(), "--truth", truth.toString()));
                    }
                    Path out = tmp.resolve("out");
                    List<String> an = new ArrayList<>(List.of("analyze", pcap.toString(), "--out", out.toString(), "-q", "--no-store"));
                    if (mode.equals("flows")) {
                        an.add("--flows-only");
                    }
                    quiet(() -> Main.run(an.toArray(new String[0])));
                    Process p = new ProcessBuilder("/usr/bin/python3", score.toString(), truth.toString(),
                            out.resolve("incidents.ndjson").toString(), "--max-ttd",
                            "scan=10,ddos=10,ddos_target=10,bruteforce=30,c2=300")
                            .redirectErrorStream(true).start();
                    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    p.waitFor();
                    runs++;
                    double recall = 0;
                    int f = 0, l = 0;
                    StringBuilder why = new StringBuilder();
                    for (String line : text.split("\n")) {
                        Matcher m = FOUND.matcher(line);
                        if (m.find()) {
                            ttd.computeIfAbsent(m.group(1), k -> new ArrayList<>()).add(Double.parseDouble(m.group(2)));
                        }
                        if (line.startsWith("MISSED") || line.startsWith("FP") || line.startsWith("LATE")) {
                            why.append(line.trim().replaceAll("\\s+", " ")).append("; ");
                        }
                        Matcher s = SCORE.matcher(line);
                        if (line.startsWith("score:") && s.find()) {
                            recall = Double.parseDouble(s.group(1));
                            f = Integer.parseInt(s.group(2));
                            l = s.group(3) == null ? 0 : Integer.parseInt(s.group(3));
                        }
                    }
                    fp += f;
                    late += l;
                    double badness = recall - f * 0.001 - l * 0.0001;
                    if (badness < worst) {
                        worst = badness;
                        worstSeed = seed;
                        worstWhy = why.toString();
                    }
                    if (mode.equals("flows")) {
                        Files.deleteIfExists(pcap);
                    }
                }
                StringBuilder t = new StringBuilder();
                for (Map.Entry<String, List<Double>> e : ttd.entrySet()) {
                    List<Double> v = e.getValue();
                    v.sort(null);
                    t.append(String.format(Locale.ROOT, "%s %.1f / %.1f; ", e.getKey(), v.get(v.size() / 2), v.get(v.size() - 1)));
                }
                realOut.printf(Locale.ROOT, "| %s | %s | %d | %.3f | %d | %d | %s | %s |%n", family, mode, runs,
                        Math.max(0, Math.ceil(worst * 1000) / 1000), fp, late,
                        worstWhy.isEmpty() ? String.valueOf(worstSeed) : worstSeed + ": " + worstWhy.trim(), t.toString().trim());
                realOut.flush();
            }
        }
    }

    interface Run {
        int run() throws Exception;
    }

    static void quiet(Run r) throws Exception {
        PrintStream o = System.out;
        PrintStream e = System.err;
        System.setOut(new PrintStream(new ByteArrayOutputStream()));
        System.setErr(new PrintStream(new ByteArrayOutputStream()));
        try {
            r.run();
        } finally {
            System.setOut(o);
            System.setErr(e);
        }
    }
}
