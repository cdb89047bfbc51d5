package io.bulwark.app.contain;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.TextFiles;
import io.bulwark.app.output.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What containment works from: an analyze output directory's incidents.ndjson (and
 * devices.ndjson, when present, for MAC addresses). Lines that are not incident records are
 * skipped and counted; at most {@link #MAX_RECORDS} of each are read.
 */
public record ContainInput(List<IncidentLine> incidents, Map<String, String> macByIp, long skipped) {
    public static final int MAX_RECORDS = 1_000_000;

    /** The incident fields containment needs. Times are RFC 3339 text, compared as such (same format throughout). */
    public record IncidentLine(String id, String kind, String host, String lastSeen, JsonNode detail) {
    }

    public static ContainInput read(Path dir) throws IOException {
        Path inc = dir.resolve("incidents.ndjson");
        if (!Files.isRegularFile(inc)) {
            throw new IOException(dir + ": no incidents.ndjson (give the output directory of bulwark analyze)");
        }
        List<IncidentLine> out = new ArrayList<>();
        long skipped = 0;
        try (BufferedReader r = TextFiles.lenientReader(inc)) {
            for (String line; (line = r.readLine()) != null && out.size() < MAX_RECORDS; ) {
                JsonNode n = parse(line);
                if (n == null || !n.path("id").isTextual() || !n.path("kind").isTextual() || !n.path("host").isTextual()) {
                    skipped++;
                    continue;
                }
                out.add(new IncidentLine(n.path("id").asText(), n.path("kind").asText(), n.path("host").asText(),
                        n.path("last_seen").asText(""), n.path("detail")));
            }
        }
        Map<String, String> macs = new java.util.HashMap<>();
        Path dev = dir.resolve("devices.ndjson");
        if (Files.isRegularFile(dev)) {
            try (BufferedReader r = TextFiles.lenientReader(dev)) {
                int n = 0;
                for (String line; (line = r.readLine()) != null && n++ < MAX_RECORDS; ) {
                    JsonNode d = parse(line);
                    if (d != null && d.path("ip").isTextual() && d.path("mac").isTextual()) {
                        macs.put(d.path("ip").asText(), d.path("mac").asText());
                    }
                }
            }
        }
        return new ContainInput(List.copyOf(out), Map.copyOf(macs), skipped);
    }

    private static JsonNode parse(String line) {
        try {
            JsonNode n = Json.MAPPER.readTree(line);
            return n != null && n.isObject() ? n : null;
        } catch (IOException e) {
            return null;
        }
    }
}
