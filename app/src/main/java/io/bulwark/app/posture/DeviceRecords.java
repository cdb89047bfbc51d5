package io.bulwark.app.posture;

import com.fasterxml.jackson.core.type.TypeReference;
import io.bulwark.app.TextFiles;
import io.bulwark.app.output.InventoryJson;
import io.bulwark.app.output.Json;
import io.bulwark.inventory.DeviceSummary;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** devices.ndjson read back into device summaries, inventory and posture included. */
public final class DeviceRecords {
    private DeviceRecords() {
    }

    /** Reads at most {@code max} device records; a line that is not one is an error naming the line. */
    public static List<DeviceSummary> read(Path file, int max) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": not found (give the output directory of bulwark analyze)");
        }
        List<DeviceSummary> out = new ArrayList<>();
        try (BufferedReader r = TextFiles.lenientReader(file)) {
            long line = 0;
            for (String s; (s = r.readLine()) != null && out.size() < max; ) {
                line++;
                Map<String, Object> m;
                try {
                    m = Json.MAPPER.readValue(s, new TypeReference<>() {
                    });
                } catch (IOException e) {
                    throw new IOException(file + ": line " + line + ": not JSON");
                }
                if (!(m.get("ip") instanceof String ip)) {
                    throw new IOException(file + ": line " + line + ": not a device record (no ip)");
                }
                out.add(new DeviceSummary(ip, m.get("mac") instanceof String mac ? mac : null, nanos(m.get("first_seen")),
                        nanos(m.get("last_seen")), num(m.get("packets_out")), num(m.get("bytes_out")), num(m.get("packets_in")),
                        num(m.get("bytes_in")), num(m.get("flows_originated")), num(m.get("flows_answered")),
                        strings(m.get("services")), strings(m.get("incidents")), InventoryJson.profile(m),
                        InventoryJson.posture(m)));
            }
        }
        return out;
    }

    private static long nanos(Object o) {
        try {
            Instant t = Instant.parse(String.valueOf(o));
            return t.getEpochSecond() * 1_000_000_000L + t.getNano();
        } catch (RuntimeException e) {
            return 0;
        }
    }

    private static long num(Object o) {
        return o instanceof Number n ? n.longValue() : 0;
    }

    private static List<String> strings(Object o) {
        List<String> l = new ArrayList<>();
        if (o instanceof List<?> x) {
            x.forEach(v -> l.add(String.valueOf(v)));
        }
        return l;
    }
}
