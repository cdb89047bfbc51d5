package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The writable collection "partner-intel": STIX objects partners POST, each version kept once
 * with the time it was added. In memory (lost on restart; docs/share.md). Each POST gets one
 * date added, strictly after the previous POST's, so {@code added_after} never misses a later
 * object. Thread-safe.
 */
final class IntelCollection {
    /** Object versions kept at most; further ones are refused per object in the status. */
    static final int MAX_OBJECTS = 100_000;
    /** Bytes of object JSON kept at most (the objects are held in memory). */
    static final long MAX_BYTES = 64L << 20;
    /** Objects accepted from one POST at most; the rest of the envelope is refused. */
    static final int MAX_PER_POST = 10_000;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,249}");

    /** What became of one POSTed object: its id and version, and why it failed (null on success). */
    record Outcome(String id, String version, String failure) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final Set<String> keys = new HashSet<>();
    private long lastAdded = Long.MIN_VALUE;
    private long bytes;

    /**
     * The entries in {@link Entry#ORDER}: the paging cursor ("after this date added, id and
     * version") is only right over a list in that order, and one POST adds its objects with one
     * date added in the order the partner sent them.
     */
    synchronized List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(Entry.ORDER);
        return out;
    }

    /** Adds the objects of one POST at {@code nowMillis} (or just after the previous POST). */
    synchronized List<Outcome> add(JsonNode objects, long nowMillis) {
        long added = Math.max(nowMillis, lastAdded + 1);
        List<Outcome> out = new ArrayList<>();
        boolean any = false;
        int seen = 0;
        for (JsonNode n : objects) {
            if (++seen > MAX_PER_POST) {
                out.add(new Outcome(n.path("id").asText(""), null, "more than " + MAX_PER_POST + " objects in one request"));
                continue;
            }
            String problem = problem(n);
            String id = n.path("id").asText("");
            if (problem != null) {
                out.add(new Outcome(id, n.path("modified").asText(null), problem));
                continue;
            }
            Entry e = Entry.of((ObjectNode) n, added);
            if (keys.contains(e.id() + "\n" + e.version())) {
                out.add(new Outcome(e.id(), e.version(), null)); // the same version again changes nothing
            } else if (entries.size() >= MAX_OBJECTS || bytes + n.toString().length() > MAX_BYTES) {
                out.add(new Outcome(e.id(), e.version(), "collection full (" + MAX_OBJECTS + " objects or "
                        + (MAX_BYTES >> 20) + " MiB)"));
            } else {
                keys.add(e.id() + "\n" + e.version());
                bytes += n.toString().length();
                entries.add(e);
                any = true;
                out.add(new Outcome(e.id(), e.version(), null));
            }
        }
        if (any) {
            lastAdded = added;
        }
        return out;
    }

    /** Why an object is not a STIX 2.1 object we keep, or null. Only the envelope-level shape is checked. */
    static String problem(JsonNode n) {
        if (!n.isObject()) {
            return "not a JSON object";
        }
        String type = n.path("type").asText("");
        String id = n.path("id").asText("");
        if (!TYPE.matcher(type).matches()) {
            return "bad type";
        }
        if (!id.startsWith(type + "--")) {
            return "id must be " + type + "--<uuid>";
        }
        try {
            UUID.fromString(id.substring(type.length() + 2));
        } catch (IllegalArgumentException e) {
            return "id must be " + type + "--<uuid>";
        }
        if (n.has("spec_version") && !"2.1".equals(n.get("spec_version").asText())) {
            return "spec_version must be 2.1";
        }
        for (String t : new String[] {"created", "modified"}) {
            if (n.has(t)) {
                try {
                    Instant.parse(n.get(t).asText());
                } catch (DateTimeParseException e) {
                    return "bad " + t + ": not an RFC 3339 UTC timestamp";
                }
            }
        }
        return null;
    }
}
