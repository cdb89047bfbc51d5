package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;

import io.bulwark.app.store.Store;
import io.bulwark.incident.Incident;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds analyze's incidents into a {@link Store} while the run goes on, so that a crash or a
 * kill loses at most the last batch: incidents touched by a finding are committed every
 * {@link #BATCH} touched incidents or once a second of wall time has passed (checked on each
 * finding and on each progress tick), and everything, devices included, at the end. After each
 * commit the listener hears which incident ids are now durable. Not thread-safe (analyze is
 * single-threaded).
 */
final class StoreFeed {
    static final int BATCH = 256;
    /** Wall time between commits at most: 1 s (-Dbulwark.store.commitMillis, for the kill test). */
    private static final long MAX_WAIT_NANOS = Long.getLong("bulwark.store.commitMillis", 1000L) * 1_000_000L;

    /** Told after each commit: the ids now in the store, and whether this was the final write. */
    interface Committed {
        void committed(List<String> incidentIds, int devices, boolean last);
    }

    private final Supplier<Store> store;
    private final Function<String, Incident> current;
    private final Committed listener;
    private final Set<String> pending = new LinkedHashSet<>();
    private long lastCommit = System.nanoTime();
    private long commits;

    /** @param current the incident with an id as it stands now (Analyzer::incident) */
    /**
     * @param store the store, fetched at the first commit: analyze opens it in the background
     *              while the first packets are read (H2 and its migration check take most of a
     *              second to start)
     */
    StoreFeed(Supplier<Store> store, Function<String, Incident> current, Committed listener) {
        this.store = store;
        this.current = current;
        this.listener = listener;
    }

    void found(String incidentId) {
        pending.add(incidentId);
        tick();
    }

    void tick() {
        if (!pending.isEmpty() && (pending.size() >= BATCH || System.nanoTime() - lastCommit >= MAX_WAIT_NANOS)) {
            commitPending();
        }
    }

    private void commitPending() {
        List<Incident> batch = new ArrayList<>(pending.size());
        for (String id : pending) {
            Incident i = current.apply(id);
            if (i != null) {
                batch.add(i);
            }
        }
        store.get().write(batch, List.of());
        List<String> ids = List.copyOf(pending);
        pending.clear();
        lastCommit = System.nanoTime();
        commits++;
        listener.committed(ids, 0, false);
    }

    /**
     * The final, complete write (incidents with their MACs, and the devices), then the run's
     * ingest record: what serve reports under /api/status and /metrics.
     *
     * @param source  "analyze" or "collect"; @param inputs what was read, for people
     */
    void finish(Analyzer.Result r, String source, String inputs, Instant started) {
        store.get().write(r.incidents(), r.devices());
        pending.clear();
        commits++;
        listener.committed(r.incidents().stream().map(Incident::id).toList(), r.devices().size(), true);
        Analyzer.Stats st = r.stats();
        store.get().recordIngest(new Store.IngestRun(source, inputs, started, Instant.now(), st.packets(), st.ipPackets(),
                st.bytes(), st.flowsBuilt(), st.flowRecordsRead(), r.incidents().size(), r.anomalies().total()));
    }

    long commits() {
        return commits;
    }
}
