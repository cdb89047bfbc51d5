package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.stix.StixExporter;
import io.bulwark.app.store.Store;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The read-only collection "bulwark-incidents": the store's incidents as the STIX objects
 * {@link StixExporter} makes of them for one partner (its TLP ceiling, pseudonymised if it says
 * so), exported incident by incident so that each object's date added is a stable value that
 * only moves forward: the time the store last wrote the first incident (in that order) that the
 * partner may see and that holds it. An older capture analysed later, or an incident seen again
 * (a new version of its objects), gets a later date, so {@code added_after} resume misses
 * nothing. Re-reading the same store gives the same entries.
 *
 * <p>Built per request from the store (the {@link #MAX_INCIDENTS} most recently written);
 * thread-safe as long as the store is.
 */
final class IncidentObjects {
    static final int MAX_INCIDENTS = 20_000;

    private final Store store;
    private final Function<Incident, Tlp> marking;
    private final UnaryOperator<IpAddr> pseudonymise;
    private final String operator;

    private final LocalNets local;
    private final boolean privateInPatterns;

    IncidentObjects(Store store, Function<Incident, Tlp> marking, UnaryOperator<IpAddr> pseudonymise, String operator,
                    LocalNets local, boolean privateInPatterns) {
        this.privateInPatterns = privateInPatterns;
        this.local = local;
        this.store = store;
        this.marking = marking;
        this.pseudonymise = pseudonymise;
        this.operator = operator;
    }

    List<Entry> entries(Partners.Partner p) {
        UnaryOperator<IpAddr> pan = ShareOptions.UNCHANGED;
        if (p.pseudonymise()) {
            if (pseudonymise == null) {
                // Never fall back to real addresses; serve refuses to start this way anyway.
                throw new IllegalStateException("partner " + p.name() + " needs pseudonymisation and no key was given");
            }
            pan = pseudonymise;
        }
        StixExporter exporter = new StixExporter(new ShareOptions(operator, marking, p.tlp(), pan, local, privateInPatterns));
        Set<String> seen = new HashSet<>();
        List<Entry> out = new ArrayList<>();
        for (Store.StoredIncident si : incidents()) {
            Incident i = si.incident();
            StixExporter.Export e = exporter.export(List.of(i));
            if (e.exported() == 0 || !e.bundle().has("objects")) {
                continue; // above the partner's TLP ceiling: nothing of it, not even its date
            }
            long added = si.storedAt() == null ? Math.floorDiv(i.detectedAt(), 1_000_000L) : si.storedAt().toEpochMilli();
            for (JsonNode o : e.bundle().get("objects")) {
                if (seen.add(o.path("id").asText())) {
                    out.add(Entry.of((ObjectNode) o, added));
                }
            }
        }
        out.sort(Entry.ORDER);
        return out;
    }

    private List<Store.StoredIncident> incidents() {
        List<Store.StoredIncident> all = new ArrayList<>(store.incidentsUpTo(
                new Store.IncidentQuery(null, null, null, null, null, "-stored_at", 0, 0), MAX_INCIDENTS));
        all.sort(java.util.Comparator.comparing((Store.StoredIncident s) -> s.storedAt() == null ? java.time.Instant.EPOCH : s.storedAt())
                .thenComparingLong(s -> s.incident().detectedAt()).thenComparing(s -> s.incident().id()));
        return all;
    }
}
