package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.share.Markings;
import io.bulwark.app.share.Tlp;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The writable collection "partner-intel": STIX objects partners POST, each version kept once
 * per partner with the time it was added. In memory (lost on restart; docs/share.md). Each POST
 * gets one date added, strictly after the previous POST's, so {@code added_after} never misses a
 * later object. Thread-safe.
 *
 * <p>Markings are recorded when an object is stored, so that every later reader is filtered by
 * them ({@link Entry#tlp}): an object posted without {@code object_marking_refs} gets the
 * collection's default marking added to it (never CLEAR: an object that says nothing about its
 * sharing is not public), and the OASIS TLP marking definitions are stored as published. The
 * marking is the source's: an object marked above the poster's own ceiling is kept (the poster
 * then cannot read it back, which the status says), because refusing it would push a partner to
 * lower the marking to get its intelligence through.
 */
final class IntelCollection {
    /** Object versions kept at most; further ones are refused per object in the status. */
    static final int MAX_OBJECTS = 100_000;
    /** Bytes of object JSON kept at most (the objects are held in memory). */
    static final long MAX_BYTES = 64L << 20;
    /** Objects accepted from one POST at most; the rest of the envelope is refused. */
    static final int MAX_PER_POST = 10_000;
    private static final Pattern TYPE = Pattern.compile("[a-z0-9][a-z0-9-]{0,249}");

    /**
     * What became of one POSTed object: its id and version, why it failed (null on success), and
     * a note for the poster on success (null when there is nothing to say).
     */
    record Outcome(String id, String version, String failure, String note) {
    }

    /**
     * One partner's copy of one object version. Keyed per partner: were copies merged across
     * partners, a partner re-posting an object it guessed would learn from the read-back whether
     * somebody had posted it at a level it may not see.
     */
    private record Key(String partner, String id, String version) {
    }

    private final Tlp unmarked;
    private final List<Entry> entries = new ArrayList<>();
    private final Map<Key, Entry> stored = new HashMap<>();
    private long lastAdded = Long.MIN_VALUE;
    private long bytes;

    /** @param unmarked the marking given to objects posted without one; never CLEAR */
    IntelCollection(Tlp unmarked) {
        if (unmarked == Tlp.CLEAR) {
            throw new IllegalArgumentException("objects posted without a marking cannot default to TLP:CLEAR");
        }
        this.unmarked = unmarked;
    }

    /**
     * Every entry, of every partner and level, in {@link Entry#ORDER}: the paging cursor ("after
     * this date added, id and version") is only right over a list in that order, and one POST adds
     * its objects with one date added in the order the partner sent them. Callers filter by the
     * reader's ceiling ({@code TaxiiServer}).
     */
    synchronized List<Entry> snapshot() {
        List<Entry> out = new ArrayList<>(entries);
        out.sort(Entry.ORDER);
        return out;
    }

    /**
     * Adds the objects {@code partner} (ceiling {@code ceiling}) POSTed at {@code nowMillis} (or
     * just after the previous POST).
     */
    synchronized List<Outcome> add(JsonNode objects, long nowMillis, String partner, Tlp ceiling) {
        long added = Math.max(nowMillis, lastAdded + 1);
        List<Outcome> out = new ArrayList<>();
        boolean any = false;
        int seen = 0;
        for (JsonNode n : objects) {
            if (++seen > MAX_PER_POST) {
                out.add(new Outcome(n.path("id").asText(""), null, "more than " + MAX_PER_POST + " objects in one request", null));
                continue;
            }
            String problem = problem(n);
            String id = n.path("id").asText("");
            if (problem == null) {
                Optional<Tlp> claimed = Markings.contradiction(n);
                if (claimed.isPresent()) {
                    problem = "the OASIS id of " + Markings.level(id).orElseThrow().title()
                            + " on a definition of " + claimed.get().title();
                }
            }
            if (problem != null) {
                out.add(new Outcome(id, n.path("modified").asText(null), problem, null));
                continue;
            }
            ObjectNode o = (ObjectNode) n;
            String note = null;
            if (Markings.level(id).isPresent()) {
                o = Markings.definition(id).orElseThrow(); // as published: nothing else rides on an always-readable object
            } else if (!o.has("object_marking_refs")) {
                o = o.deepCopy();
                o.putArray("object_marking_refs").add(unmarked.stixId());
                note = "no object_marking_refs: stored as " + unmarked.title();
            }
            Entry e = Entry.of(o, added);
            if (!Markings.understood(o)) {
                note = (note == null ? "" : note + "; ")
                        + "markings other than the OASIS TLP definitions, or malformed ones: readable at TLP:RED only";
            }
            if (!e.tlp().allowedUpTo(ceiling)) {
                note = (note == null ? "" : note + "; ") + e.tlp().title() + " is above your ceiling " + ceiling.title()
                        + ": stored, but you cannot read it back";
            }
            Key key = new Key(partner, e.id(), e.version());
            Entry before = stored.get(key);
            if (before != null) {
                // The same version again changes nothing, its marking included: a new marking needs a new version.
                out.add(new Outcome(e.id(), e.version(), null, "this version was stored before, as "
                        + before.tlp().title() + "; unchanged"));
            } else if (entries.size() >= MAX_OBJECTS || bytes + o.toString().length() > MAX_BYTES) {
                out.add(new Outcome(e.id(), e.version(), "collection full (" + MAX_OBJECTS + " objects or "
                        + (MAX_BYTES >> 20) + " MiB)", null));
            } else {
                stored.put(key, e);
                bytes += o.toString().length();
                entries.add(e);
                any = true;
                out.add(new Outcome(e.id(), e.version(), null, note));
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
