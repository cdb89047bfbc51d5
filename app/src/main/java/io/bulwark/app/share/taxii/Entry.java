package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.share.Markings;
import io.bulwark.app.share.Tlp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;

/**
 * One version of one STIX object in a collection, with the time the collection added it.
 * Collections are lists of entries in {@link #ORDER}: date added, then id, then version.
 *
 * @param addedMillis date added, ms since the epoch (TAXII timestamps carry ms here, so that an
 *                    {@code added_after} copied from a header names exactly this instant)
 * @param version     the object's {@code modified}, else {@code created}, else its date added
 * @param tlp         the level that governs who may read this version ({@link Markings#of}): no
 *                    partner cleared below it is ever given it, or told it exists
 */
record Entry(ObjectNode object, String id, String type, String specVersion, String version, long addedMillis, Tlp tlp) {
    static final Comparator<Entry> ORDER = Comparator.comparingLong(Entry::addedMillis)
            .thenComparing(Entry::id).thenComparing(Entry::version);
    static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    static Entry of(ObjectNode o, long addedMillis) {
        String version = o.hasNonNull("modified") ? o.get("modified").asText()
                : o.hasNonNull("created") ? o.get("created").asText() : time(addedMillis);
        return new Entry(o, o.path("id").asText(), o.path("type").asText(),
                o.path("spec_version").asText("2.1"), version, addedMillis, Markings.of(o));
    }

    String dateAdded() {
        return time(addedMillis);
    }

    static String time(long millis) {
        return MILLIS.format(Instant.ofEpochMilli(millis));
    }
}
