package io.bulwark.app.share;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TLP level that governs who may receive a STIX 2.1 object, read from the object's own data
 * markings (STIX 2.1 section 7.2), for a server that must never hand an object to a partner
 * cleared below it (docs/share.md, "TLP enforcement").
 *
 * <p>Only the nine OASIS TLP marking definitions are understood, by their fixed ids: the four
 * TLP 1.0 ones of STIX 2.1 section 7.2.1.4 (white = clear, green, amber, red) and the five of the
 * TLP 2.0 extension ({@link Tlp#stixId}). The level of an object is the most restrictive marking
 * it references, in {@code object_marking_refs} and in {@code granular_markings} alike (a granular
 * marking restricts part of the object, and the object is handed out whole). Fail closed: a
 * reference to any other marking definition, a marking property that is not a list of ids, or no
 * {@code object_marking_refs} at all give RED. Language-only granular markings ({@code lang}) say
 * nothing about sharing and are ignored.
 *
 * <p>The TLP marking definitions themselves, exactly as published, are CLEAR: anyone may read
 * what TLP:RED means.
 */
public final class Markings {
    /** STIX 2.1 section 7.2.1.4: the TLP 1.0 marking definitions, all created 2017-01-20. */
    private static final Map<String, Tlp> TLP1 = Map.of(
            "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp.CLEAR,
            "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp.GREEN,
            "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp.AMBER,
            "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp.RED);
    private static final String TLP2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
    /** Every OASIS TLP marking definition by id, as published. */
    private static final Map<String, ObjectNode> DEFINITIONS = definitions();

    private Markings() {
    }

    /** The TLP level of an OASIS TLP marking-definition id (1.0 or 2.0); empty for any other id. */
    public static Optional<Tlp> level(String markingId) {
        Tlp t = TLP1.get(markingId);
        if (t != null) {
            return Optional.of(t);
        }
        for (Tlp l : Tlp.values()) {
            if (l.stixId().equals(markingId)) {
                return Optional.of(l);
            }
        }
        return Optional.empty();
    }

    /** The OASIS marking-definition object with this id, as published (a fresh copy); empty for other ids. */
    public static Optional<ObjectNode> definition(String markingId) {
        ObjectNode d = DEFINITIONS.get(markingId);
        return d == null ? Optional.empty() : Optional.of(d.deepCopy());
    }

    /** True when {@code o} is an OASIS TLP marking definition exactly as published. */
    public static boolean isTlpDefinition(JsonNode o) {
        ObjectNode d = o == null ? null : DEFINITIONS.get(o.path("id").asText(""));
        return d != null && d.equals(o);
    }

    /**
     * The most restrictive TLP level of the object's markings (see the class comment): CLEAR for
     * a TLP marking definition as published, RED when a marking is missing, unknown or malformed.
     */
    public static Tlp of(JsonNode o) {
        return read(o).level();
    }

    /**
     * False when the object's level is RED for want of a marking Bulwark can read: no
     * {@code object_marking_refs}, a reference to another marking definition, or a malformed one.
     */
    public static boolean understood(JsonNode o) {
        return read(o).understood();
    }

    private record Reading(Tlp level, boolean understood) {
        static final Reading UNREADABLE = new Reading(Tlp.RED, false);
    }

    private static Reading read(JsonNode o) {
        if (isTlpDefinition(o)) {
            return new Reading(Tlp.CLEAR, true);
        }
        if (o == null || !o.isObject()) {
            return Reading.UNREADABLE;
        }
        JsonNode refs = o.get("object_marking_refs");
        if (refs == null || !refs.isArray() || refs.isEmpty()) {
            return Reading.UNREADABLE; // no object-level marking: the whole object is unmarked
        }
        Tlp worst = Tlp.CLEAR;
        for (JsonNode r : refs) {
            Optional<Tlp> l = ref(r);
            if (l.isEmpty()) {
                return Reading.UNREADABLE;
            }
            worst = max(worst, l.get());
        }
        JsonNode granular = o.get("granular_markings");
        if (granular != null) {
            if (!granular.isArray() || granular.isEmpty()) {
                return Reading.UNREADABLE;
            }
            for (JsonNode g : granular) {
                if (g.isObject() && g.has("marking_ref")) {
                    Optional<Tlp> l = ref(g.get("marking_ref"));
                    if (l.isEmpty()) {
                        return Reading.UNREADABLE;
                    }
                    worst = max(worst, l.get());
                } else if (!g.isObject() || !g.path("lang").isTextual()) {
                    return Reading.UNREADABLE; // neither a marking nor a language: not a granular marking we can read
                }
            }
        }
        return new Reading(worst, true);
    }

    /**
     * The level a marking-definition object with an OASIS TLP id claims for itself, when it claims
     * one that differs from its id's ({@code definition.tlp}, the TLP 2.0 extension's
     * {@code tlp_2_0}, or a {@code name} "TLP:..."); empty when it agrees or claims nothing.
     */
    public static Optional<Tlp> contradiction(JsonNode markingDefinition) {
        Optional<Tlp> own = level(markingDefinition.path("id").asText(""));
        if (own.isEmpty()) {
            return Optional.empty();
        }
        String[] claims = {
            markingDefinition.path("definition").path("tlp").asText(null),
            markingDefinition.path("extensions").path(TLP2_EXTENSION).path("tlp_2_0").asText(null),
            markingDefinition.path("name").asText(null),
        };
        for (String c : claims) {
            if (c == null) {
                continue;
            }
            Tlp claimed;
            try {
                claimed = Tlp.parse(c);
            } catch (IllegalArgumentException e) {
                claimed = null;
            }
            if (claimed != own.get()) {
                return Optional.of(claimed == null ? Tlp.RED : claimed);
            }
        }
        return Optional.empty();
    }

    private static Optional<Tlp> ref(JsonNode r) {
        return r != null && r.isTextual() ? level(r.asText()) : Optional.empty();
    }

    private static Tlp max(Tlp a, Tlp b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static Map<String, ObjectNode> definitions() {
        Map<String, ObjectNode> m = new LinkedHashMap<>();
        TLP1.forEach((id, tlp) -> {
            String name = tlp == Tlp.CLEAR ? "white" : tlp.label();
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", "marking-definition");
            o.put("spec_version", "2.1");
            o.put("id", id);
            o.put("created", "2017-01-20T00:00:00.000Z");
            o.put("definition_type", "tlp");
            o.put("name", "TLP:" + name.toUpperCase(Locale.ROOT)); // TLP:WHITE, not TLP:CLEAR
            o.putObject("definition").put("tlp", name);
            m.put(id, o);
        });
        for (Tlp tlp : Tlp.values()) {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("type", "marking-definition");
            o.put("spec_version", "2.1");
            o.put("id", tlp.stixId());
            o.put("created", "2022-10-01T00:00:00.000Z");
            o.put("name", tlp.title());
            ObjectNode ext = o.putObject("extensions").putObject(TLP2_EXTENSION);
            ext.put("extension_type", "property-extension");
            ext.put("tlp_2_0", tlp.label());
            m.put(tlp.stixId(), o);
        }
        return Map.copyOf(m);
    }
}
