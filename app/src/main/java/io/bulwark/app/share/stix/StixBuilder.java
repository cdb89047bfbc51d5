package io.bulwark.app.share.stix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Markings;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes the common properties of STIX 2.1 objects (section 3.2) in one place: type,
 * spec_version, id, created_by_ref, created, modified, and the TLP marking. Ids are
 * deterministic: SDOs and SROs take a UUIDv5 in Bulwark's namespace over a stable name;
 * SCOs take the UUIDv5 section 2.9 prescribes, over the JCS form of their id-contributing
 * properties.
 */
final class StixBuilder {
    /** Always milliseconds: STIX timestamps may carry any precision, but ours must not vary. */
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private StixBuilder() {
    }

    static String time(long nanos) {
        return MILLIS.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }

    static String id(String type, String name) {
        return type + "--" + Uuid5.of(Uuid5.BULWARK, type + "/" + name);
    }

    /** An SDO or SRO: {@code created} and {@code modified} in ns; add the type's own properties after. */
    static ObjectNode sdo(String type, String name, String createdBy, long created, long modified, Tlp tlp) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", type);
        o.put("spec_version", "2.1");
        o.put("id", id(type, name));
        if (createdBy != null) {
            o.put("created_by_ref", createdBy);
        }
        o.put("created", time(created));
        o.put("modified", time(Math.max(created, modified)));
        o.putArray("object_marking_refs").add(tlp.stixId());
        return o;
    }

    /**
     * An SCO whose id is derived from {@code contributing} (the id-contributing properties of
     * its type, section 6); those properties are copied into it, then {@code rest}.
     */
    static ObjectNode sco(String type, ObjectNode contributing, ObjectNode rest, Tlp tlp) {
        byte[] name = Jcs.canonical(contributing).getBytes(StandardCharsets.UTF_8);
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("type", type);
        o.put("spec_version", "2.1");
        o.put("id", type + "--" + Uuid5.of(Uuid5.STIX_SCO, name));
        o.setAll(contributing);
        if (rest != null) {
            o.setAll(rest);
        }
        o.putArray("object_marking_refs").add(tlp.stixId());
        return o;
    }

    /** Adds a list property unless it would be empty (STIX lists must not be). */
    static void list(ObjectNode o, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode a = o.putArray(field);
            values.forEach(a::add);
        }
    }

    /** The OASIS TLP 2.0 marking-definition object for a level, as the extension defines it. */
    static ObjectNode marking(Tlp tlp) {
        return Markings.definition(tlp.stixId()).orElseThrow();
    }
}
