package io.bulwark.app.share.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OASIS STIX 2.1 JSON schemas from ../shared/specs/stix2.1-json-schemas, resolved from
 * that folder only: their {@code $id}s and cross-references under raw.githubusercontent.com
 * are mapped to the local files, so validation never touches the network.
 */
final class StixSchemas {
    static final String PREFIX = "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/schemas/";
    static final Path DIR = locate();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            b -> b.schemaMappers(m -> m.mapPrefix(PREFIX, DIR.toUri().toString())));
    private static final Map<String, JsonSchema> CACHE = new HashMap<>();
    private static final Set<String> SDOS = Set.of("attack-pattern", "grouping", "identity", "indicator", "infrastructure", "malware",
            "observed-data");
    private static final Set<String> SROS = Set.of("relationship", "sighting");

    private StixSchemas() {
    }

    private static Path locate() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            for (Path c : List.of(p.resolve("shared/specs/stix2.1-json-schemas"),
                    p.resolveSibling("shared").resolve("specs/stix2.1-json-schemas"))) {
                if (Files.isDirectory(c.resolve("sdos"))) {
                    return c;
                }
            }
            p = p.getParent();
        }
        throw new IllegalStateException("../shared/specs/stix2.1-json-schemas not found above " + Path.of("").toAbsolutePath());
    }

    /** The schema files an object of this type must satisfy (marking definitions: both). */
    static List<String> schemasFor(String type) {
        if (type.equals("marking-definition")) {
            return List.of(PREFIX + "common/marking-definition.json",
                    DIR.resolve("tlp-2.0-extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d.json").toUri().toString());
        }
        if (type.equals("bundle")) {
            return List.of(PREFIX + "common/bundle.json");
        }
        String folder = SDOS.contains(type) ? "sdos/" : SROS.contains(type) ? "sros/" : "observables/";
        return List.of(PREFIX + folder + type + ".json");
    }

    static synchronized JsonSchema schema(String uri) {
        return CACHE.computeIfAbsent(uri, u -> FACTORY.getSchema(SchemaLocation.of(u)));
    }

    /** Every violation of one object against its type's schemas; empty when valid. */
    static List<String> violations(JsonNode object) {
        List<String> out = new ArrayList<>();
        String type = object.path("type").asText();
        for (String uri : schemasFor(type)) {
            for (ValidationMessage m : schema(uri).validate(object)) {
                out.add(object.path("id").asText() + " (" + uri.substring(uri.lastIndexOf('/') + 1) + "): " + m.getMessage());
            }
        }
        return out;
    }
}
