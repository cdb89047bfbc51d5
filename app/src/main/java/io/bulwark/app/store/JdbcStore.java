package io.bulwark.app.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Kind;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;
import org.flywaydb.core.Flyway;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Store} over JDBC: embedded H2 (a file under the data directory) or PostgreSQL, through
 * a small HikariCP pool, with the schema kept by Flyway (classpath:db/migration). Every statement
 * is a PreparedStatement; the only SQL built from pieces is a whitelisted ORDER BY, a WHERE of
 * fixed clauses and the "?" placeholders of an IN list.
 *
 * <p>Upserts are portable: read the stored fingerprints of the batch's ids, then INSERT the new,
 * UPDATE the changed (replacing their evidence rows) and skip the identical, all in one
 * transaction with JDBC batches. Two writers racing to insert the same new id make one of them
 * fail with a unique violation; that transaction is retried once, when it sees the row.
 *
 * <p>Thread-safe.
 */
public final class JdbcStore implements Store {
    /** IN lists are cut to this many ids (well under every driver's parameter limit). */
    private static final int IN_CHUNK = 500;
    /** Matches counted past the end of the requested page before the total becomes a lower bound. */
    static final int COUNT_CAP = 10_000;
    private static final int MAX_NAME = 200;
    private static final int MAX_NOTE = 2000;
    /** The newest migration in db/migration (V{n}__*.sql); a test keeps the two in step. */
    static final int SCHEMA_VERSION = 5;

    private final HikariDataSource ds;
    private final Clock clock;
    private final Tokens tokens;
    private final Map<String, double[]> latency = new ConcurrentHashMap<>();

    private JdbcStore(HikariDataSource ds, Clock clock) {
        this.ds = ds;
        this.clock = clock;
        this.tokens = new Tokens(this::tx);
    }

    /**
     * The H2 URL of the store under a data directory: DIR/bulwark.mv.db. WRITE_DELAY=0 makes
     * every commit reach the file before commit() returns (H2's default keeps the last 500 ms in
     * memory), so a killed process loses nothing it reported as committed. AUTO_SERVER=TRUE is
     * H2's mixed mode: the first process to open the file serves it to the others over a
     * loopback TCP port, so that {@code analyze} and {@code token create} work while
     * {@code serve} runs.
     */
    public static String h2Url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("bulwark") + ";WRITE_DELAY=0;AUTO_SERVER=TRUE";
    }

    /**
     * Opens the store and brings its schema up to date.
     *
     * @param jdbcUrl  jdbc:h2:... or jdbc:postgresql://...
     * @param user     null to use the URL's own (H2: the default user)
     * @throws StoreException when the database cannot be reached or migrated
     */
    public static Store open(String jdbcUrl, String user, String password) {
        return open(jdbcUrl, user, password, Clock.systemUTC());
    }

    /** @param clock wall clock for token creation and revocation times */
    public static Store open(String jdbcUrl, String user, String password, Clock clock) {
        if (jdbcUrl == null || !(jdbcUrl.startsWith("jdbc:h2:") || jdbcUrl.startsWith("jdbc:postgresql:"))) {
            throw new IllegalArgumentException("store URL must be jdbc:h2:... or jdbc:postgresql://..., not " + jdbcUrl);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl);
        hc.setUsername(user);
        hc.setPassword(password);
        hc.setPoolName("bulwark-store");
        hc.setMaximumPoolSize(4);
        hc.setMinimumIdle(1);
        hc.setAutoCommit(false);
        hc.setConnectionTimeout(10_000);
        // Fail in open(), with the driver's reason, rather than on the first call.
        hc.setInitializationFailTimeout(1);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open store " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        try {
            if (!schemaCurrent(ds)) {
                Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
            }
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("cannot migrate store " + redact(jdbcUrl) + ": " + rootMessage(e), e);
        }
        return new JdbcStore(ds, clock);
    }

    /**
     * True when Flyway's history already shows {@link #SCHEMA_VERSION} applied and no failed
     * migration. Flyway itself then has nothing to do, and skipping it saves its start-up: about
     * 0.45-0.8 s of one core on every command that opens the store (measured on an up-to-date H2
     * store), as much as the rest of a small {@code analyze}. Any doubt (no history table, an
     * older version, a failure row, an error) runs Flyway as before, which migrates or reports.
     */
    static boolean schemaCurrent(javax.sql.DataSource ds) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT SUM(CASE WHEN \"success\" THEN 0 ELSE 1 END),"
                             + " SUM(CASE WHEN \"version\" = ? AND \"success\" THEN 1 ELSE 0 END)"
                             + " FROM \"flyway_schema_history\"")) {
            ps.setString(1, Integer.toString(SCHEMA_VERSION));
            try (ResultSet rs = ps.executeQuery()) {
                boolean current = rs.next() && rs.getLong(1) == 0 && !rs.wasNull() && rs.getLong(2) == 1;
                c.rollback();
                return current;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public int write(List<Incident> incidents, List<DeviceSummary> devices) {
        return timed("write", () -> {
            try {
                return tx(c -> Upserts.incidents(c, incidents, Rows.nanos(clock.instant())) + Upserts.devices(c, devices));
            } catch (StoreException e) {
                if (!(e.getCause() instanceof SQLException s) || s.getSQLState() == null
                        || !s.getSQLState().startsWith("23")) {
                    throw e;
                }
                // Another writer inserted one of our new ids between our read and our insert.
                return tx(c -> Upserts.incidents(c, incidents, Rows.nanos(clock.instant())) + Upserts.devices(c, devices));
            }
        });
    }

    @Override
    public void recordIngest(IngestRun r) {
        timed("record_ingest", () -> tx(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO ingest_runs (source, inputs, started_at, "
                    + "finished_at, packets, ip_packets, bytes, flows, flow_records, incidents, anomalies) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                String inputs = r.inputs() == null ? "" : r.inputs();
                ps.setString(1, r.source());
                ps.setString(2, inputs.length() > 4000 ? inputs.substring(0, 4000) : inputs);
                ps.setLong(3, Rows.nanos(r.started()));
                ps.setLong(4, Rows.nanos(r.finished()));
                ps.setLong(5, r.packets());
                ps.setLong(6, r.ipPackets());
                ps.setLong(7, r.bytes());
                ps.setLong(8, r.flows());
                ps.setLong(9, r.flowRecords());
                ps.setLong(10, r.incidents());
                ps.setLong(11, r.anomalies());
                return ps.executeUpdate();
            }
        }));
    }

    @Override
    public Map<String, Long> ingestTotals() {
        return timed("ingest_totals", () -> tx(c -> {
            Map<String, Long> m = new java.util.LinkedHashMap<>();
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT COUNT(*), COALESCE(SUM(packets), 0), "
                    + "COALESCE(SUM(ip_packets), 0), COALESCE(SUM(bytes), 0), COALESCE(SUM(flows), 0), "
                    + "COALESCE(SUM(flow_records), 0), COALESCE(SUM(anomalies), 0) FROM ingest_runs");
                 java.sql.ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] names = {"ingest_runs", "packets", "ip_packets", "bytes", "flows", "flow_records", "anomalies"};
                for (int i = 0; i < names.length; i++) {
                    m.put(names[i], rs.getLong(i + 1));
                }
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT packets, flow_records, started_at, finished_at "
                    + "FROM ingest_runs ORDER BY id DESC");) {
                ps.setMaxRows(1);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        double secs = Math.max(1e-3, (rs.getLong(4) - rs.getLong(3)) / 1e9);
                        m.put("last_run_packets_per_second", Math.round(rs.getLong(1) / secs));
                        m.put("last_run_records_per_second", Math.round(rs.getLong(2) / secs));
                    }
                }
            }
            return m;
        }));
    }

    @Override
    public Page<StoredIncident> incidents(IncidentQuery q) {
        int limit = Pages.limit(q.limit());
        int offset = Pages.offset(q.offset());
        String order = Pages.incidentOrder(q.sort());
        List<String> where = new ArrayList<>();
        List<Object> args = new ArrayList<>();
        if (q.kind() != null) {
            where.add("kind = ?");
            args.add(q.kind());
        }
        if (q.host() != null) {
            where.add("host = ?");
            args.add(q.host());
        }
        if (q.state() != null) {
            where.add("state = ?");
            args.add(q.state().id());
        }
        if (q.from() != null) {
            where.add("detected_at >= ?");
            args.add(Rows.nanos(q.from()));
        }
        if (q.to() != null) {
            where.add("detected_at < ?");
            args.add(Rows.nanos(q.to()));
        }
        String cond = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
        // Filtered by equality, the rows are read in order from the (column, detected_at DESC,
        // id DESC) index only when the ORDER BY names that column too: H2 does not skip a
        // leading equality column by itself (EXPLAIN shows "index sorted" only then). The column
        // is constant under the filter, so the order is the same.
        String lead = q.host() != null ? "host" : q.kind() != null ? "kind" : q.state() != null ? "state" : null;
        // Ascending sorts are read backwards from the same index, which H2 does when the lead
        // column is named DESC.
        String orderBy = lead == null ? order
                : order.startsWith("detected_at DESC") || order.startsWith("severity_rank DESC") ? lead + ", " + order
                : order.startsWith("detected_at ASC") || order.startsWith("severity_rank ASC") ? lead + " DESC, " + order
                : order;
        return timed("incidents", () -> tx(c -> {
            // Matches are counted up to a cap past the page: an exact count of a million rows
            // costs seconds on every page (bench/api-load.sh), and "10,000+" is what a reader needs.
            long cap = (long) offset + limit + COUNT_CAP;
            long total;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT COUNT(*) FROM (SELECT 1 AS one FROM incidents" + cond + " LIMIT ?) capped")) {
                List<Object> countArgs = new ArrayList<>(args);
                countArgs.add(cap + 1);
                bind(ps, countArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<Object> pageArgs = new ArrayList<>(args);
            pageArgs.add(limit);
            pageArgs.add(offset);
            List<StoredIncident> items = selectIncidents(c, cond + " ORDER BY " + orderBy + " LIMIT ? OFFSET ?", pageArgs);
            return new Page<>(items, Math.min(total, cap), limit, offset, total <= cap);
        }));
    }

    @Override
    public Optional<IncidentDetail> incident(String id) {
        return timed("incident", () -> tx(c -> detail(c, id)));
    }

    @Override
    public Optional<IncidentDetail> changeState(String id, State to, String by, Instant at, String note) {
        if (to == null || at == null || by == null || by.isBlank() || by.length() > MAX_NAME) {
            throw new IllegalArgumentException("a state change needs a state, a time and who (1.." + MAX_NAME + " chars)");
        }
        if (note != null && note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note longer than " + MAX_NOTE + " chars");
        }
        return timed("changeState", () -> tx(c -> {
            State from;
            try (PreparedStatement ps = c.prepareStatement("SELECT state FROM incidents WHERE id = ? FOR UPDATE")) {
                ps.setString(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.<IncidentDetail>empty();
                    }
                    from = Rows.state(rs.getString(1));
                }
            }
            if (!from.canMoveTo(to)) {
                throw new IllegalStateException("incident " + id + " cannot go from " + from.id() + " to " + to.id());
            }
            long t = Rows.nanos(at);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE incidents SET state = ?, state_changed_at = ?, state_changed_by = ? WHERE id = ?")) {
                ps.setString(1, to.id());
                ps.setLong(2, t);
                ps.setString(3, by);
                ps.setString(4, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO incident_history (incident_id, from_state, "
                    + "to_state, changed_by, changed_at, note) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, from.id());
                ps.setString(3, to.id());
                ps.setString(4, by);
                ps.setLong(5, t);
                ps.setString(6, note);
                ps.executeUpdate();
            }
            return detail(c, id);
        }));
    }

    @Override
    public Page<DeviceSummary> devices(DeviceQuery q) {
        int limit = Pages.limit(q.limit());
        int offset = Pages.offset(q.offset());
        String order = Pages.deviceOrder(q.sort());
        List<Object> args = new ArrayList<>();
        String cond = "";
        if (q.search() != null && !q.search().isEmpty()) {
            cond = " WHERE ip LIKE ? ESCAPE '!' OR mac LIKE ? ESCAPE '!'";
            String like = "%" + Pages.likeEscape(q.search()) + "%";
            args.add(like);
            args.add(like.toLowerCase(java.util.Locale.ROOT));
        }
        String where = cond;
        return timed("devices", () -> tx(c -> {
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM devices" + where)) {
                bind(ps, args);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            List<DeviceSummary> items = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.DEVICE_COLUMNS + " FROM devices" + where
                    + " ORDER BY " + order + " LIMIT ? OFFSET ?")) {
                List<Object> pageArgs = new ArrayList<>(args);
                pageArgs.add(limit);
                pageArgs.add(offset);
                bind(ps, pageArgs);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(Rows.device(rs));
                    }
                }
            }
            return new Page<>(items, total, limit, offset);
        }));
    }

    /** The device and its newest {@link #MAX_PAGE} incidents (host = ip), oldest first. */
    @Override
    public Optional<DeviceDetail> device(String ip) {
        return timed("device", () -> tx(c -> {
            DeviceSummary d = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.DEVICE_COLUMNS + " FROM devices WHERE ip = ?")) {
                ps.setString(1, ip);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        d = Rows.device(rs);
                    }
                }
            }
            if (d == null) {
                return Optional.<DeviceDetail>empty();
            }
            List<StoredIncident> newest = selectIncidents(c, " WHERE host = ? ORDER BY detected_at DESC, id DESC LIMIT ?",
                    List.of(ip, MAX_PAGE));
            List<StoredIncident> items = new ArrayList<>(newest);
            java.util.Collections.reverse(items);
            return Optional.of(new DeviceDetail(d, List.copyOf(items)));
        }));
    }

    /**
     * Totals, and a timeline of the {@code newest} buckets (1..{@link #MAX_PAGE}) ending at the
     * bucket of the latest detected_at in the store: traffic time, not the wall clock, so a
     * replayed capture has a timeline too.
     */
    @Override
    public Overview overview(int newest, int bucketSeconds) {
        if (bucketSeconds != 3600 && bucketSeconds != 86400) {
            throw new IllegalArgumentException("bucket must be 3600 or 86400 seconds, not " + bucketSeconds);
        }
        if (newest < 1) {
            throw new IllegalArgumentException("newest must be at least 1, not " + newest);
        }
        int buckets = Math.min(newest, MAX_PAGE);
        long width = bucketSeconds * 1_000_000_000L;
        return timed("overview", () -> tx(c -> {
            long devices = count(c, "SELECT COUNT(*) FROM devices");
            long incidents = count(c, "SELECT COUNT(*) FROM incidents");
            Map<String, Long> byKind = new LinkedHashMap<>();
            for (Kind k : Kind.values()) {
                byKind.put(k.name(), 0L);
            }
            Map<String, Long> byState = new LinkedHashMap<>();
            for (State s : State.values()) {
                byState.put(s.id(), 0L);
            }
            groupCounts(c, "SELECT kind, COUNT(*) FROM incidents GROUP BY kind", byKind);
            groupCounts(c, "SELECT state, COUNT(*) FROM incidents GROUP BY state", byState);
            List<TimePoint> timeline = new ArrayList<>();
            long max;
            try (PreparedStatement ps = c.prepareStatement("SELECT MAX(detected_at) FROM incidents");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                max = rs.getLong(1);
                if (rs.wasNull()) {
                    return new Overview(devices, incidents, byKind, byState, timeline);
                }
            }
            long from = (Math.floorDiv(max, width) - buckets + 1) * width;
            // A derived table: H2 cannot GROUP BY a select-list position, nor match "detected_at / ?" twice.
            try (PreparedStatement ps = c.prepareStatement("SELECT b, kind, COUNT(*) FROM (SELECT detected_at / ? AS b, kind "
                    + "FROM incidents WHERE detected_at >= ?) t GROUP BY b, kind ORDER BY b, kind")) {
                ps.setLong(1, width);
                ps.setLong(2, Math.max(from, 0));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        timeline.add(new TimePoint(Rows.instant(rs.getLong(1) * width), rs.getString(2), rs.getLong(3)));
                    }
                }
            }
            return new Overview(devices, incidents, byKind, byState, timeline);
        }));
    }

    @Override
    public NewToken createToken(Role role, String name, Instant now) {
        if (role == null || name == null || name.isBlank() || name.length() > MAX_NAME) {
            throw new IllegalArgumentException("a token needs a role and a name of 1.." + MAX_NAME + " chars");
        }
        return timed("createToken", () -> tokens.create(role, name, now));
    }

    @Override
    public Optional<Holder> authenticate(String secret) {
        return timed("authenticate", () -> tokens.authenticate(secret));
    }

    @Override
    public boolean revokeToken(String id) {
        return timed("revokeToken", () -> tokens.revoke(id, Rows.nanos(clock.instant())));
    }

    @Override
    public Map<String, double[]> latency() {
        Map<String, double[]> copy = new HashMap<>();
        latency.forEach((op, v) -> {
            synchronized (v) {
                copy.put(op, v.clone());
            }
        });
        return copy;
    }

    @Override
    public void close() {
        ds.close();
    }

    // ---- inside a transaction

    private Optional<IncidentDetail> detail(Connection c, String id) throws SQLException {
        List<StoredIncident> one = selectIncidents(c, " WHERE id = ?", List.of(id));
        if (one.isEmpty()) {
            return Optional.empty();
        }
        List<StateChange> history = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT from_state, to_state, changed_by, changed_at, note "
                + "FROM incident_history WHERE incident_id = ? ORDER BY id")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    history.add(new StateChange(Rows.state(rs.getString(1)), Rows.state(rs.getString(2)),
                            rs.getString(3), Rows.instant(rs.getLong(4)), rs.getString(5)));
                }
            }
        }
        return Optional.of(new IncidentDetail(one.get(0), List.copyOf(history)));
    }

    /** Incidents matching {@code tail} (a WHERE/ORDER/LIMIT of fixed text), with their evidence. */
    private static List<StoredIncident> selectIncidents(Connection c, String tail, List<Object> args) throws SQLException {
        record Row(String id, StoredIncident partial) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + Rows.INCIDENT_COLUMNS + " FROM incidents" + tail)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), Rows.incident(rs, List.of())));
                }
            }
        }
        Map<String, List<EvidenceRef>> evidence = evidence(c, rows.stream().map(Row::id).toList());
        List<StoredIncident> out = new ArrayList<>(rows.size());
        for (Row r : rows) {
            Incident i = r.partial().incident();
            Incident full = new Incident(i.id(), i.kind(), i.host(), i.mac(), i.firstSeen(), i.detectedAt(), i.lastSeen(),
                    i.severity(), i.confidence(), i.summary(), i.detector(), i.detail(),
                    List.copyOf(evidence.getOrDefault(r.id(), List.of())));
            out.add(new StoredIncident(full, r.partial().state(), r.partial().stateChangedAt(), r.partial().stateChangedBy(),
                    r.partial().storedAt()));
        }
        return out;
    }

    private static Map<String, List<EvidenceRef>> evidence(Connection c, List<String> ids) throws SQLException {
        Map<String, List<EvidenceRef>> out = new HashMap<>();
        for (int from = 0; from < ids.size(); from += IN_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement("SELECT incident_id, uid, community_id, file, file_offset, "
                    + "record_length FROM evidence WHERE incident_id IN (" + placeholders(chunk.size())
                    + ") ORDER BY incident_id, ordinal")) {
                bind(ps, new ArrayList<>(chunk));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new EvidenceRef(
                                rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5), rs.getInt(6)));
                    }
                }
            }
        }
        return out;
    }

    static String placeholders(int n) {
        return String.join(", ", java.util.Collections.nCopies(n, "?"));
    }

    static void bind(PreparedStatement ps, Collection<Object> args) throws SQLException {
        int at = 1;
        for (Object a : args) {
            if (a instanceof String s) {
                ps.setString(at++, s);
            } else if (a instanceof Long l) {
                ps.setLong(at++, l);
            } else if (a instanceof Integer i) {
                ps.setInt(at++, i);
            } else {
                throw new IllegalArgumentException("unsupported parameter " + a);
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void groupCounts(Connection c, String sql, Map<String, Long> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                into.put(rs.getString(1), rs.getLong(2));
            }
        }
    }

    // ---- plumbing

    interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** Runs {@code w} in one transaction: committed when it returns, rolled back when it throws. */
    <T> T tx(Work<T> w) {
        try (Connection c = ds.getConnection()) {
            try {
                T t = w.run(c);
                c.commit();
                return t;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new StoreException("store: " + rootMessage(e), e);
        }
    }

    private <T> T timed(String op, java.util.function.Supplier<T> body) {
        long t0 = System.nanoTime();
        try {
            return body.get();
        } finally {
            double ms = (System.nanoTime() - t0) / 1e6;
            double[] v = latency.computeIfAbsent(op, k -> new double[2]);
            synchronized (v) {
                v[0]++;
                v[1] += ms;
            }
        }
    }

    /** The URL without its query (a PostgreSQL URL may carry ?password=...). */
    private static String redact(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?...";
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
