package io.bulwark.app.score;

import io.bulwark.app.TextFiles;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Joins a scores file ({@link ScoresWriter}) with labels and gives the ROC. Labels are either
 * the simulator's per-packet file ({@code simulate --labels}: a header line, then one 0/1 line
 * per frame) joined by packet number, or a labelled conn.log CSV (IoT-23's, with {@code uid}
 * and {@code label} columns, "Malicious" positive) joined by flow uid, taking the highest score
 * of a flow's local endpoints. Items with a label but no score count with score 0 and are
 * reported as {@code unscored}.
 */
public final class Evaluation {
    public record Result(Roc roc, String unit, long unscored) {
    }

    private Evaluation() {
    }

    public static Result of(Path scores, Path labels) throws IOException {
        String head;
        try (BufferedReader r = TextFiles.lenientReader(labels)) {
            head = r.readLine();
        }
        if (head == null) {
            throw new IOException(labels + ": empty labels file");
        }
        return head.startsWith(io.bulwark.simulate.Simulator.LABELS_HEADER) ? packets(scores, labels) : flows(scores, labels, head);
    }

    private static Result packets(Path scores, Path labels) throws IOException {
        List<Boolean> lab = new ArrayList<>();
        try (BufferedReader r = TextFiles.lenientReader(labels)) {
            String l;
            while ((l = r.readLine()) != null) {
                if (!l.startsWith("#") && !l.isEmpty()) {
                    lab.add(l.charAt(0) == '1');
                }
            }
        }
        double[] s = new double[lab.size()];
        boolean[] seen = new boolean[lab.size()];
        try (BufferedReader r = TextFiles.lenientReader(scores)) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("p\t")) {
                    int a = l.indexOf('\t', 2);
                    long n = Long.parseLong(l.substring(2, a));
                    if (n >= 1 && n <= s.length) {
                        s[(int) n - 1] = Double.parseDouble(l.substring(a + 1));
                        seen[(int) n - 1] = true;
                    }
                }
            }
        }
        boolean[] pos = new boolean[lab.size()];
        long unscored = 0;
        for (int i = 0; i < pos.length; i++) {
            pos[i] = lab.get(i);
            unscored += seen[i] ? 0 : 1;
        }
        return new Result(new Roc(s, pos), "packets", unscored);
    }

    private static Result flows(Path scores, Path labels, String header) throws IOException {
        String sep = header.contains("\t") ? "\t" : ",";
        List<String> cols = List.of(header.split(sep, -1));
        int uidCol = cols.indexOf("uid");
        int labelCol = cols.indexOf("label");
        if (uidCol < 0 || labelCol < 0) {
            throw new IOException(labels + ": neither simulator labels nor a labelled conn.log (needs uid and label columns)");
        }
        Map<String, Double> byUid = new HashMap<>();
        try (BufferedReader r = TextFiles.lenientReader(scores)) {
            String l;
            while ((l = r.readLine()) != null) {
                if (l.startsWith("f\t")) {
                    String[] f = l.split("\t");
                    byUid.merge(f[1], Double.parseDouble(f[3]), Math::max);
                }
            }
        }
        List<Double> s = new ArrayList<>();
        List<Boolean> pos = new ArrayList<>();
        long unscored = 0;
        try (BufferedReader r = TextFiles.lenientReader(labels)) {
            r.readLine();
            String l;
            while ((l = r.readLine()) != null) {
                String[] f = l.split(sep, -1);
                if (f.length <= Math.max(uidCol, labelCol)) {
                    continue;
                }
                Double v = byUid.get(f[uidCol]);
                if (v == null) {
                    unscored++;
                }
                s.add(v == null ? 0 : v);
                pos.add(f[labelCol].trim().toLowerCase(java.util.Locale.ROOT).startsWith("malicious"));
            }
        }
        double[] sa = new double[s.size()];
        boolean[] pa = new boolean[s.size()];
        for (int i = 0; i < sa.length; i++) {
            sa[i] = s.get(i);
            pa[i] = pos.get(i);
        }
        return new Result(new Roc(sa, pa), "flows", unscored);
    }
}
