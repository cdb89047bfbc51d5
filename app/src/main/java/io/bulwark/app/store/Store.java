package io.bulwark.app.store;

import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable store of devices, incidents, their evidence references, incident state changes
 * and API tokens (issue 5). JDBC with Flyway migrations, on embedded H2 (the default, a file
 * under the data directory) or PostgreSQL. The same migrations and tests run on both.
 *
 * <p>Writes are batched and transactional, and idempotent: ids are stable, so writing the same
 * analysis twice changes nothing (an incident seen again is updated: last_seen, summary,
 * detail, evidence). Reads are bounded: every list takes a limit of at most {@link #MAX_PAGE}.
 * Only parameterised SQL. Thread-safe (a connection per call, or a small pool).
 */
public interface Store extends AutoCloseable {
    int MAX_PAGE = 500;

    /** Incident states, in the only order they may advance (an analyst may also reopen to new). */
    enum State { new_, acknowledged, contained, resolved;
        public String id() {
            return this == new_ ? "new" : name();
        }

        /**
         * The workflow rule: a change must change the state; it may advance any number of steps
         * (new to resolved closes a false positive), and the only way back is reopening to new.
         */
        public boolean canMoveTo(State to) {
            return to != this && (to == new_ || to.ordinal() > ordinal());
        }
    }

    enum Role { viewer, analyst, admin }

    /** Writes (upserts) incidents and devices in one transaction; returns how many rows changed. */
    int write(List<Incident> incidents, List<DeviceSummary> devices);

    /**
     * @param kind  null for any; @param host null for any; @param state null for any
     * @param from  detected_at at or after (null: no bound); @param to detected_at before
     * @param sort  "detected_at", "-detected_at" (default), "severity", "-severity", "host"
     */
    record IncidentQuery(String kind, String host, State state, Instant from, Instant to, String sort,
                         int limit, int offset) {
    }

    /**
     * @param search null for all; else a substring of the ip or mac (LIKE wildcards are literal)
     * @param sort   "ip" (default, as text), "-ip", "last_seen", "-last_seen", "-bytes_out", "-packets_out"
     */
    record DeviceQuery(String search, String sort, int limit, int offset) {
    }

    /**
     * One page of a list. {@code total} is exact when {@code exact}; otherwise it is a lower bound
     * (a store may stop counting matches past a cap, since counting a million rows on every page
     * costs seconds).
     */
    record Page<T>(List<T> items, long total, int limit, int offset, boolean exact) {
        public Page(List<T> items, long total, int limit, int offset) {
            this(items, total, limit, offset, true);
        }
    }

    /** An incident as stored: the incidents.ndjson fields plus its workflow state. */
    /** @param storedAt when the store last wrote the incident (wall clock): only moves forward */
    record StoredIncident(Incident incident, State state, Instant stateChangedAt, String stateChangedBy, Instant storedAt) {
        public StoredIncident(Incident incident, State state, Instant stateChangedAt, String stateChangedBy) {
            this(incident, state, stateChangedAt, stateChangedBy, null);
        }
    }

    record StateChange(State from, State to, String by, Instant at, String note) {
    }

    record IncidentDetail(StoredIncident incident, List<StateChange> history) {
    }

    record DeviceDetail(DeviceSummary device, List<StoredIncident> incidents) {
    }

    /** Counts for the overview: totals, by kind, by state, and per hour (or day) per kind. */
    record Overview(long devices, long incidents, Map<String, Long> byKind, Map<String, Long> byState,
                    List<TimePoint> timeline) {
    }

    record TimePoint(Instant bucket, String kind, long count) {
    }

    /**
     * A limit above {@link #MAX_PAGE} is lowered to it (the page says which limit applied); a
     * negative limit or offset, or an unknown sort, is an IllegalArgumentException.
     */
    Page<StoredIncident> incidents(IncidentQuery q);

    Optional<IncidentDetail> incident(String id);

    /**
     * Up to {@code max} incidents of a query, page after page ({@code q}'s limit and offset are
     * ignored): for exports, which want more than one page.
     */
    default List<StoredIncident> incidentsUpTo(IncidentQuery q, int max) {
        return upTo(max, (limit, offset) -> incidents(new IncidentQuery(q.kind(), q.host(), q.state(), q.from(), q.to(),
                q.sort(), limit, offset)));
    }

    /**
     * Up to {@code max} devices of a query, page after page ({@code q}'s limit and offset are
     * ignored): for the posture report and page, which want the whole network.
     */
    default List<DeviceSummary> devicesUpTo(DeviceQuery q, int max) {
        return upTo(max, (limit, offset) -> devices(new DeviceQuery(q.search(), q.sort(), limit, offset)));
    }

    /** Up to {@code max} items, fetching pages of at most {@link #MAX_PAGE} from {@code page(limit, offset)}. */
    private static <T> List<T> upTo(int max, java.util.function.BiFunction<Integer, Integer, Page<T>> page) {
        List<T> all = new java.util.ArrayList<>();
        int offset = 0;
        while (all.size() < max) {
            Page<T> p = page.apply(Math.min(MAX_PAGE, max - all.size()), offset);
            all.addAll(p.items());
            offset += p.items().size();
            if (p.items().isEmpty() || p.items().size() < p.limit()) {
                break;
            }
        }
        return all;
    }

    /**
     * Moves an incident to {@code to}, recording who and when. Returns empty when there is no
     * such incident; throws IllegalStateException for a transition that is not allowed (see
     * {@link State#canMoveTo}). Later writes of the same incident by an analysis keep its state.
     */
    Optional<IncidentDetail> changeState(String id, State to, String by, Instant at, String note);

    Page<DeviceSummary> devices(DeviceQuery q);

    Optional<DeviceDetail> device(String ip);

    /**
     * @param newest        how many buckets the timeline covers (1..MAX_PAGE), ending with the bucket
     *                      of the latest detected_at in the store (traffic time, not the wall clock)
     * @param bucketSeconds 3600 or 86400
     */
    Overview overview(int newest, int bucketSeconds);

    /** A new token for {@code role}: the secret is returned once; only its SHA-256 is stored. */
    record NewToken(String id, String secret, Role role, String name, Instant created) {
    }

    NewToken createToken(Role role, String name, Instant now);

    /** Who holds a token: its id, the name given at creation, and its role. */
    record Holder(String tokenId, String name, Role role) {
    }

    /** The holder of a presented secret, or empty (unknown or revoked). Constant-time comparison of hashes. */
    Optional<Holder> authenticate(String secret);

    boolean revokeToken(String id);

    /**
     * One ingest run as it ended: which source ("analyze", "collect"), its inputs, wall-clock
     * start and end, and its counts.
     */
    record IngestRun(String source, String inputs, Instant started, Instant finished, long packets, long ipPackets,
                     long bytes, long flows, long flowRecords, long incidents, long anomalies) {
    }

    void recordIngest(IngestRun run);

    /**
     * Totals over every ingest run, for /metrics and /api/status: runs, packets, ip_packets,
     * bytes, flows, flow_records, anomalies, and the last run's packets and records per second.
     */
    Map<String, Long> ingestTotals();

    /** Milliseconds spent in store calls, for /metrics: count and sum per operation. */
    Map<String, double[]> latency();

    @Override
    void close();
}
