package io.bulwark.app.evidence;

import io.bulwark.app.Sha256;
import io.bulwark.app.Version;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.evidence.EvidenceLog;
import io.bulwark.evidence.Excerpts;
import io.bulwark.evidence.SignedTreeHead;
import io.bulwark.incident.Incident;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evidence directory ({@code analyze --evidence DIR}): keeps, as analysis ends, for each
 * incident its pcapng excerpt and its record, and for the run a record of what was analysed
 * with what (input hashes, tool version, configuration hash, sensor). Every file's SHA-256 goes
 * into the append-only Merkle log in {@code DIR/log}, and a signed tree head closes the run.
 * Re-analysing the same input appends nothing new: a file whose content is already logged under
 * its name is left as it is.
 *
 * <pre>
 *  DIR/log/            the Merkle log (core/evidence: leaves, entries, signed tree heads, key)
 *  DIR/excerpts/ID.pcapng
 *  DIR/incidents/ID.json
 *  DIR/analyses/analysis-N.json
 * </pre>
 */
public final class EvidenceArchive {
    private EvidenceArchive() {
    }

    /** What one run added. */
    public record Recorded(int excerpts, int incidents, long logSize, SignedTreeHead treeHead) {
    }

    public static Recorded record(Path dir, List<Path> inputs, List<Incident> incidents, byte[] configBytes,
                                  Clock clock) throws IOException {
        Path excerptDir = dir.resolve("excerpts");
        Path incidentDir = dir.resolve("incidents");
        Path analysisDir = dir.resolve("analyses");
        Files.createDirectories(incidentDir);
        Files.createDirectories(analysisDir);
        List<Path> captures = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isRegularFile(p) && looksLikeCapture(p)) {
                captures.add(p);
            }
        }
        int excerpts = 0;
        int records = 0;
        try (EvidenceLog log = EvidenceLog.open(dir.resolve("log"), clock)) {
            // Excerpts are cut into a scratch folder first, so that an unchanged excerpt is not rewritten.
            Path scratch = Files.createTempDirectory(dir, ".excerpts");
            try {
                for (Excerpts.Excerpt e : Excerpts.write(captures, incidents, scratch, Excerpts.Limits.defaults(), Version.TOOL)) {
                    if (keep(log, "excerpt", e.incidentId() + ".pcapng", Files.readAllBytes(e.file()), excerptDir)) {
                        excerpts++;
                    }
                }
            } finally {
                try (var s = Files.list(scratch)) {
                    for (Path p : s.toList()) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(scratch);
            }
            for (Incident i : incidents) {
                byte[] json = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(RecordWriter.incident(i));
                if (keep(log, "incident", i.id() + ".json", json, incidentDir)) {
                    records++;
                }
            }
            Map<String, Object> analysis = new LinkedHashMap<>();
            analysis.put("tool", Version.TOOL);
            analysis.put("sensor", hostName());
            analysis.put("analysed_at", clock.instant().toString());
            analysis.put("config_sha256", configBytes == null ? "embedded defaults" : Sha256.hexOf(configBytes));
            List<Map<String, Object>> in = new ArrayList<>();
            for (Path p : inputs) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("file", p.getFileName().toString());
                if (Files.isRegularFile(p)) {
                    m.put("bytes", Files.size(p));
                    m.put("sha256", hex(sha256(p)));
                }
                in.add(m);
            }
            analysis.put("inputs", in);
            List<String> ids = new ArrayList<>();
            incidents.forEach(i -> ids.add(i.id()));
            analysis.put("incidents", ids);
            String name = "analysis-" + (log.size() + 1) + ".json";
            keep(log, "analysis", name, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(analysis), analysisDir);
            return new Recorded(excerpts, records, log.size(), log.signTreeHead());
        }
    }

    /** Writes and logs the content unless the newest log entry of that name already has it. */
    private static boolean keep(EvidenceLog log, String kind, String name, byte[] content, Path folder) throws IOException {
        byte[] h = Sha256.of(content);
        Long latest = Bundle.latest(log, kind, name);
        if (latest != null && MessageDigest.isEqual(log.entry(latest).contentSha256(), h)) {
            return false;
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve(name), content);
        log.append(kind, name, h);
        return true;
    }

    private static boolean looksLikeCapture(Path p) throws IOException {
        byte[] head = new byte[512];
        try (InputStream in = Files.newInputStream(p)) {
            int n = Math.max(0, in.readNBytes(head, 0, head.length));
            return io.bulwark.decode.capture.Captures.looksLikeCapture(head, n);
        }
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    static byte[] sha256(Path p) throws IOException {
        MessageDigest d = Sha256.digest();
        byte[] buf = new byte[1 << 20];
        try (InputStream in = Files.newInputStream(p)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                d.update(buf, 0, n);
            }
        }
        return d.digest();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
