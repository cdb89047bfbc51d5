package io.bulwark.app.api;

import io.bulwark.app.store.Store;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A {@link Store} in memory, for testing the HTTP layer only: the contract's behaviour
 * (filters, sorts, bounded pages, state transitions, hashed tokens) without JDBC. Not a
 * product feature; the JDBC store has its own tests. Synchronized: Javalin calls it from many threads.
 */
final class MemoryStore implements Store {
    private final Map<String, StoredIncident> incidents = new LinkedHashMap<>();
    private final Map<String, List<StateChange>> history = new LinkedHashMap<>();
    private final Map<String, DeviceSummary> devices = new TreeMap<>();
    private final Map<String, Role> tokensByHash = new LinkedHashMap<>();
    private final Map<String, Holder> holders = new LinkedHashMap<>();
    private final Map<String, String> hashById = new LinkedHashMap<>();
    private final Map<String, double[]> latency = new TreeMap<>();
    private final AtomicLong tokenIds = new AtomicLong();

    private synchronized <T> T timed(String op, Supplier<T> call) {
        long t0 = System.nanoTime();
        try {
            return call.get();
        } finally {
            double[] cs = latency.computeIfAbsent(op, o -> new double[2]);
            cs[0]++;
            cs[1] += (System.nanoTime() - t0) / 1e6;
        }
    }

    @Override
    public int write(List<Incident> in, List<DeviceSummary> ds) {
        return timed("write", () -> {
            for (Incident i : in) {
                StoredIncident old = incidents.get(i.id());
                incidents.put(i.id(), old == null ? new StoredIncident(i, State.new_, null, null)
                        : new StoredIncident(i, old.state(), old.stateChangedAt(), old.stateChangedBy()));
                history.putIfAbsent(i.id(), new ArrayList<>());
            }
            ds.forEach(d -> devices.put(d.ip(), d));
            return in.size() + ds.size();
        });
    }

    @Override
    public Page<StoredIncident> incidents(IncidentQuery q) {
        return timed("incidents", () -> {
            Comparator<StoredIncident> order = switch (q.sort()) {
                case "detected_at" -> Comparator.comparingLong(s -> s.incident().detectedAt());
                case "severity" -> Comparator.comparing(s -> s.incident().severity());
                case "-severity" -> Comparator.<StoredIncident, io.bulwark.detect.Severity>comparing(s -> s.incident().severity()).reversed();
                case "host" -> Comparator.comparing(s -> s.incident().host());
                default -> Comparator.<StoredIncident>comparingLong(s -> s.incident().detectedAt()).reversed();
            };
            List<StoredIncident> all = incidents.values().stream()
                    .filter(s -> q.kind() == null || s.incident().kind().name().equals(q.kind()))
                    .filter(s -> q.host() == null || s.incident().host().equals(q.host()))
                    .filter(s -> q.state() == null || s.state() == q.state())
                    .filter(s -> q.from() == null || nanos(q.from()) <= s.incident().detectedAt())
                    .filter(s -> q.to() == null || s.incident().detectedAt() < nanos(q.to()))
                    .sorted(order.thenComparing(s -> s.incident().id()))
                    .toList();
            return page(all.stream(), all.size(), q.limit(), q.offset());
        });
    }

    private static <T> Page<T> page(Stream<T> s, long total, int limit, int offset) {
        if (limit < 1 || limit > MAX_PAGE || offset < 0) {
            throw new IllegalArgumentException("limit " + limit + " offset " + offset);
        }
        return new Page<>(s.skip(offset).limit(limit).toList(), total, limit, offset);
    }

    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public Optional<IncidentDetail> incident(String id) {
        return timed("incident", () -> Optional.ofNullable(incidents.get(id))
                .map(s -> new IncidentDetail(s, List.copyOf(history.get(id)))));
    }

    @Override
    public Optional<IncidentDetail> changeState(String id, State to, String by, Instant at, String note) {
        return timed("change_state", () -> {
            StoredIncident s = incidents.get(id);
            if (s == null) {
                return Optional.empty();
            }
            boolean forward = to.ordinal() > s.state().ordinal();
            boolean reopen = to == State.new_ && s.state() != State.new_;
            if (!forward && !reopen) {
                throw new IllegalStateException("cannot move incident " + id + " from " + s.state().id() + " to " + to.id());
            }
            incidents.put(id, new StoredIncident(s.incident(), to, at, by));
            history.get(id).add(new StateChange(s.state(), to, by, at, note));
            return Optional.of(new IncidentDetail(incidents.get(id), List.copyOf(history.get(id))));
        });
    }

    @Override
    public Page<DeviceSummary> devices(DeviceQuery q) {
        return timed("devices", () -> {
            Comparator<DeviceSummary> order = switch (q.sort()) {
                case "-ip" -> Comparator.comparing(DeviceSummary::ip).reversed();
                case "last_seen" -> Comparator.comparingLong(DeviceSummary::lastSeen);
                case "-last_seen" -> Comparator.comparingLong(DeviceSummary::lastSeen).reversed();
                case "first_seen" -> Comparator.comparingLong(DeviceSummary::firstSeen);
                case "-first_seen" -> Comparator.comparingLong(DeviceSummary::firstSeen).reversed();
                default -> Comparator.comparing(DeviceSummary::ip);
            };
            List<DeviceSummary> all = devices.values().stream()
                    .filter(d -> q.search() == null || d.ip().contains(q.search())
                            || (d.mac() != null && d.mac().contains(q.search())))
                    .sorted(order).toList();
            return page(all.stream(), all.size(), q.limit(), q.offset());
        });
    }

    @Override
    public Optional<DeviceDetail> device(String ip) {
        return timed("device", () -> Optional.ofNullable(devices.get(ip)).map(d -> new DeviceDetail(d,
                incidents.values().stream().filter(s -> s.incident().host().equals(ip)).toList())));
    }

    @Override
    public Overview overview(int newest, int bucketSeconds) {
        if (newest < 1 || newest > MAX_PAGE) {
            // The contract's bound, as JdbcStore enforces it: a double that accepts more hid a 500.
            throw new IllegalArgumentException("newest must be at least 1, not " + newest);
        }
        return timed("overview", () -> {
            Map<String, Long> byKind = new TreeMap<>();
            Map<String, Long> byState = new TreeMap<>();
            Map<Instant, Map<String, Long>> buckets = new TreeMap<>();
            for (StoredIncident s : incidents.values()) {
                byKind.merge(s.incident().kind().name(), 1L, Long::sum);
                byState.merge(s.state().id(), 1L, Long::sum);
                long sec = Math.floorDiv(s.incident().detectedAt(), 1_000_000_000L);
                Instant b = Instant.ofEpochSecond(sec - Math.floorMod(sec, bucketSeconds));
                buckets.computeIfAbsent(b, x -> new TreeMap<>()).merge(s.incident().kind().name(), 1L, Long::sum);
            }
            List<TimePoint> timeline = new ArrayList<>();
            buckets.forEach((b, kinds) -> kinds.forEach((k, n) -> timeline.add(new TimePoint(b, k, n))));
            return new Overview(devices.size(), incidents.size(), byKind, byState, timeline);
        });
    }

    @Override
    public NewToken createToken(Role role, String name, Instant now) {
        return timed("create_token", () -> {
            String secret = "bw_" + role + "_" + tokenIds.incrementAndGet() + "_" + Long.toHexString(System.nanoTime());
            String id = "t" + tokenIds.get();
            tokensByHash.put(sha256(secret), role);
            holders.put(sha256(secret), new Holder(id, name, role));
            hashById.put(id, sha256(secret));
            return new NewToken(id, secret, role, name, now);
        });
    }

    @Override
    public Optional<Holder> authenticate(String secret) {
        return timed("authenticate", () -> Optional.ofNullable(holders.get(sha256(secret))));
    }

    @Override
    public boolean revokeToken(String id) {
        return timed("revoke_token", () -> {
            String h = hashById.remove(id);
            holders.remove(h);
            return h != null && tokensByHash.remove(h) != null;
        });
    }

    @Override
    public synchronized Map<String, double[]> latency() {
        Map<String, double[]> copy = new TreeMap<>();
        latency.forEach((k, v) -> copy.put(k, v.clone()));
        return copy;
    }

    @Override
    public void close() {
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private final List<IngestRun> runs = new java.util.ArrayList<>();

    @Override
    public synchronized void recordIngest(IngestRun run) {
        runs.add(run);
    }

    @Override
    public synchronized Map<String, Long> ingestTotals() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("ingest_runs", (long) runs.size());
        m.put("packets", runs.stream().mapToLong(IngestRun::packets).sum());
        m.put("flow_records", runs.stream().mapToLong(IngestRun::flowRecords).sum());
        m.put("anomalies", runs.stream().mapToLong(IngestRun::anomalies).sum());
        return m;
    }
}
