import io.bulwark.app.cli.Main;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs analyze on many inputs in one JVM (JVM start would otherwise dominate a sweep of 800
 * short captures) and prints one line per input: the incidents it produced, as "kind host".
 *
 *   java -cp app/target/bulwark.jar bench/sweep/Sweep.java [--flows-only] [--config F] INPUT...
 */
public class Sweep {
    public static void main(String[] args) throws Exception {
        List<String> extra = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--flows-only")) {
                extra.add(args[i]);
            } else if (args[i].equals("--config")) {
                extra.add(args[i]);
                extra.add(args[++i]);
            } else {
                inputs.add(args[i]);
            }
        }
        Path tmp = Files.createTempDirectory("sweep");
        int total = 0;
        for (String in : inputs) {
            Path out = tmp.resolve("out");
            List<String> a = new ArrayList<>(List.of("analyze", in, "--out", out.toString(), "-q", "--no-store"));
            a.addAll(extra);
            int rc = Main.run(a.toArray(new String[0]));
            List<String> lines = Files.exists(out.resolve("incidents.ndjson"))
                    ? Files.readAllLines(out.resolve("incidents.ndjson")) : List.of();
            StringBuilder sb = new StringBuilder();
            for (String l : lines) {
                sb.append(' ').append(field(l, "kind")).append(':').append(field(l, "host"));
            }
            total += lines.size();
            System.out.println((rc == 0 ? "" : "rc=" + rc + " ") + lines.size() + " " + in + sb);
        }
        System.out.println("total incidents: " + total);
    }

    static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\":\"");
        if (i < 0) {
            return "?";
        }
        int s = i + name.length() + 4;
        return json.substring(s, json.indexOf('"', s));
    }
}
