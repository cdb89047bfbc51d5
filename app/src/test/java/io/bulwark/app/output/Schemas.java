package io.bulwark.app.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Validates NDJSON output files against the checked-in schemas in {@code schemas/}. */
public final class Schemas {
    private static final Path DIR = locate();

    private Schemas() {
    }

    private static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("schemas"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("schemas/ not found above " + Path.of("").toAbsolutePath());
        }
        return p.resolve("schemas");
    }

    public static JsonSchema load(String name) throws IOException {
        try (InputStream in = Files.newInputStream(DIR.resolve(name))) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(in);
        }
    }

    /** All violations in an NDJSON file, as "line N: message". Empty when every line is valid. */
    public static List<String> violations(Path ndjson, String schemaName) throws IOException {
        JsonSchema schema = load(schemaName);
        List<String> out = new ArrayList<>();
        int n = 0;
        for (String line : Files.readAllLines(ndjson)) {
            n++;
            JsonNode node = Json.MAPPER.readTree(line);
            Set<ValidationMessage> msgs = schema.validate(node);
            for (ValidationMessage m : msgs) {
                out.add(ndjson.getFileName() + " line " + n + ": " + m.getMessage());
            }
        }
        return out;
    }

    /** Checks the three output files of an analyze run. */
    public static List<String> violationsIn(Path outDir) throws IOException {
        List<String> v = new ArrayList<>();
        v.addAll(violations(outDir.resolve("incidents.ndjson"), "incident.schema.json"));
        v.addAll(violations(outDir.resolve("devices.ndjson"), "device.schema.json"));
        v.addAll(violations(outDir.resolve("events.ndjson"), "event.schema.json"));
        return v;
    }
}
