package io.bulwark.app.store;

import io.bulwark.app.Sha256;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.detect.Kind;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.app.store.Store.IncidentQuery;
import io.bulwark.app.store.Store.State;
import io.bulwark.app.store.Store.StoredIncident;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The {@link Store} contract, run against every database the store supports: each subclass
 * gives an empty store per test and a raw connection to the same database for checks the
 * contract cannot see (what a token row holds, that a table survived an injection attempt).
 * Data comes from the real analyzer on real and simulated traffic ({@link Traffic}).
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-02-01T09:00:00Z");

    Store store;
    final Traffic.Analysis data = Traffic.get();

    /** An empty, migrated store of its own for one test. */
    abstract Store openEmpty() throws Exception;

    /** A plain JDBC connection to the database behind the store {@link #openEmpty} gave. */
    abstract Connection raw() throws Exception;

    abstract void dropEmpty() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openEmpty();
    }

    @AfterEach
    void close() throws Exception {
        if (store != null) {
            store.close();
        }
        dropEmpty();
    }

    private void writeAll() {
        store.write(data.incidents(), data.devices());
    }

    private static String json(Incident i) {
        return Rows.json(RecordWriter.incident(i));
    }

    private List<StoredIncident> all(IncidentQuery q) {
        List<StoredIncident> out = new ArrayList<>();
        for (int off = 0; ; off += 7) {
            Store.Page<StoredIncident> p = store.incidents(new IncidentQuery(q.kind(), q.host(), q.state(), q.from(), q.to(),
                    q.sort(), 7, off));
            out.addAll(p.items());
            if (p.items().size() < 7) {
                assertThat(p.total()).isEqualTo(out.size());
                return out;
            }
        }
    }

    private static IncidentQuery any() {
        return new IncidentQuery(null, null, null, null, null, null, Store.MAX_PAGE, 0);
    }

    @Test
    void recordIngest_twoRuns_totalsAddUpAndTheLastRunGivesTheRate() {
        assertThat(store.ingestTotals()).containsEntry("ingest_runs", 0L).containsEntry("packets", 0L);
        store.recordIngest(new Store.IngestRun("analyze", "a.pcap", T0, T0.plusSeconds(2), 1_000, 990, 80_000, 70,
                0, 1, 3));
        store.recordIngest(new Store.IngestRun("analyze", "b.pcap, c.pcap", T0, T0.plusSeconds(4), 4_000, 4_000, 1, 300,
                20, 2, 0));
        assertThat(store.ingestTotals()).containsEntry("ingest_runs", 2L).containsEntry("packets", 5_000L)
                .containsEntry("ip_packets", 4_990L).containsEntry("flows", 370L).containsEntry("flow_records", 20L)
                .containsEntry("anomalies", 3L).containsEntry("last_run_packets_per_second", 1_000L)
                .containsEntry("last_run_records_per_second", 5L);
    }

    @Test
    void write_sameAnalysisTwice_storesEachIncidentOnceAndChangesNothing() {
        assertThat(data.incidents()).hasSizeGreaterThan(20);
        int first = store.write(data.incidents(), data.devices());
        assertThat(first).isEqualTo(data.incidents().size() + data.devices().size());
        assertThat(store.write(data.incidents(), data.devices())).isZero();

        Store.Page<StoredIncident> page = store.incidents(any());
        assertThat(page.total()).isEqualTo(data.incidents().size());
        Map<String, String> stored = page.items().stream()
                .collect(Collectors.toMap(s -> s.incident().id(), s -> json(s.incident())));
        for (Incident i : data.incidents()) {
            assertThat(stored.get(i.id())).as(i.id()).isEqualTo(json(i));
        }
        assertThat(store.devices(new Store.DeviceQuery(null, null, Store.MAX_PAGE, 0)).items())
                .containsExactlyInAnyOrderElementsOf(data.devices());
    }

    @Test
    void write_incidentSeenAgain_updatesAnalysisFieldsAndEvidenceButKeepsWorkflowState() {
        writeAll();
        Incident i = data.incidents().stream().filter(x -> x.evidence().size() > 2).findFirst().orElseThrow();
        store.changeState(i.id(), State.acknowledged, "alice", T0, null);
        Incident later = new Incident(i.id(), i.kind(), i.host(), i.mac(), i.firstSeen(), i.detectedAt(),
                i.lastSeen() + 5_000_000_000L, i.severity(), i.confidence(), "updated: " + i.summary(), i.detector(),
                Map.of("targets", 1), i.evidence().subList(0, 2));
        assertThat(store.write(List.of(later), List.of())).isEqualTo(1);

        StoredIncident s = store.incident(i.id()).orElseThrow().incident();
        assertThat(json(s.incident())).isEqualTo(json(later));
        assertThat(s.state()).isEqualTo(State.acknowledged);
        assertThat(s.stateChangedBy()).isEqualTo("alice");
        assertThat(store.incidents(any()).total()).isEqualTo(data.incidents().size());
    }

    @Test
    void incidents_filters_matchTheAnalysis() {
        writeAll();
        for (Kind k : Kind.values()) {
            List<String> want = data.incidents().stream().filter(i -> i.kind() == k).map(Incident::id).sorted().toList();
            List<String> got = all(new IncidentQuery(k.name(), null, null, null, null, null, 0, 0)).stream()
                    .map(s -> s.incident().id()).sorted().toList();
            assertThat(got).as(k.name()).isEqualTo(want);
        }
        String host = "192.168.1.101";
        assertThat(all(new IncidentQuery(null, host, null, null, null, null, 0, 0)))
                .hasSize((int) data.incidents().stream().filter(i -> i.host().equals(host)).count())
                .allSatisfy(s -> assertThat(s.incident().host()).isEqualTo(host));

        List<Incident> byTime = data.incidents().stream().sorted(Comparator.comparingLong(Incident::detectedAt)).toList();
        Instant from = Rows.instant(byTime.get(5).detectedAt());
        Instant to = Rows.instant(byTime.get(15).detectedAt());
        List<StoredIncident> window = all(new IncidentQuery(null, null, null, from, to, "detected_at", 0, 0));
        long want = data.incidents().stream()
                .filter(i -> i.detectedAt() >= Rows.nanos(from) && i.detectedAt() < Rows.nanos(to)).count();
        assertThat(window).hasSize((int) want).isNotEmpty()
                .allSatisfy(s -> assertThat(s.incident().detectedAt()).isBetween(Rows.nanos(from), Rows.nanos(to) - 1));

        String scanId = data.incidents().stream().filter(i -> i.kind() == Kind.scan).findFirst().orElseThrow().id();
        store.changeState(scanId, State.contained, "bob", T0, "port shut");
        assertThat(all(new IncidentQuery(null, null, State.contained, null, null, null, 0, 0)))
                .extracting(s -> s.incident().id()).containsExactly(scanId);
        assertThat(all(new IncidentQuery("scan", null, State.new_, null, null, null, 0, 0)))
                .hasSize((int) data.incidents().stream().filter(i -> i.kind() == Kind.scan).count() - 1);
    }

    @Test
    void incidents_sortAndPages_areBoundedAndStable() {
        writeAll();
        List<StoredIncident> newest = all(new IncidentQuery(null, null, null, null, null, null, 0, 0));
        assertThat(newest).extracting(s -> s.incident().detectedAt()).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(newest).extracting(s -> s.incident().id()).doesNotHaveDuplicates().hasSize(data.incidents().size());
        assertThat(all(new IncidentQuery(null, null, null, null, null, "detected_at", 0, 0)))
                .extracting(s -> s.incident().detectedAt()).isSorted();
        assertThat(all(new IncidentQuery(null, null, null, null, null, "-severity", 0, 0)))
                .extracting(s -> s.incident().severity()).isSortedAccordingTo(Comparator.reverseOrder());
        assertThat(all(new IncidentQuery(null, null, null, null, null, "host", 0, 0)))
                .extracting(s -> s.incident().host()).isSorted();

        Store.Page<StoredIncident> huge = store.incidents(new IncidentQuery(null, null, null, null, null, null, 100_000, 0));
        assertThat(huge.limit()).isEqualTo(Store.MAX_PAGE);
        Store.Page<StoredIncident> past = store.incidents(new IncidentQuery(null, null, null, null, null, null, 10, 10_000));
        assertThat(past.items()).isEmpty();
        assertThat(past.total()).isEqualTo(data.incidents().size());
        assertThatThrownBy(() -> store.incidents(new IncidentQuery(null, null, null, null, null, null, -1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.incidents(new IncidentQuery(null, null, null, null, null, null, 10, -1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.incidents(new IncidentQuery(null, null, null, null, null, "summary; DROP TABLE incidents", 10, 0)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown sort");
    }

    @Test
    void changeState_throughTheWorkflowAndReopen_recordsWhoWhenAndWhy() {
        writeAll();
        String id = data.incidents().get(3).id();
        store.changeState(id, State.acknowledged, "alice", T0, "looking");
        store.changeState(id, State.contained, "bob", T0.plusSeconds(60), "quarantined VLAN");
        store.changeState(id, State.resolved, "bob", T0.plusSeconds(3600), null);
        Store.IncidentDetail d = store.changeState(id, State.new_, "carol", T0.plusSeconds(7200), "seen again").orElseThrow();

        assertThat(d.incident().state()).isEqualTo(State.new_);
        assertThat(d.incident().stateChangedBy()).isEqualTo("carol");
        assertThat(d.incident().stateChangedAt()).isEqualTo(T0.plusSeconds(7200));
        assertThat(d.history()).containsExactly(
                new Store.StateChange(State.new_, State.acknowledged, "alice", T0, "looking"),
                new Store.StateChange(State.acknowledged, State.contained, "bob", T0.plusSeconds(60), "quarantined VLAN"),
                new Store.StateChange(State.contained, State.resolved, "bob", T0.plusSeconds(3600), null),
                new Store.StateChange(State.resolved, State.new_, "carol", T0.plusSeconds(7200), "seen again"));
        assertThat(store.incident(id).orElseThrow().history()).hasSize(4);
    }

    @Test
    void changeState_backwardsOrUnchanged_isRefusedAndChangesNothing() {
        writeAll();
        String id = data.incidents().get(0).id();
        store.changeState(id, State.contained, "alice", T0, null);
        assertThatThrownBy(() -> store.changeState(id, State.acknowledged, "alice", T0, null))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("contained");
        assertThatThrownBy(() -> store.changeState(id, State.contained, "alice", T0, null))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.changeState(id, State.resolved, " ", T0, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.changeState("inc-0000000000000000", State.acknowledged, "alice", T0, null)).isEmpty();
        Store.IncidentDetail d = store.incident(id).orElseThrow();
        assertThat(d.incident().state()).isEqualTo(State.contained);
        assertThat(d.history()).hasSize(1);
    }

    @Test
    void tokens_createAuthenticateRevoke_storeOnlyTheHash() throws Exception {
        Store.NewToken a = store.createToken(Store.Role.analyst, "soc laptop", T0);
        Store.NewToken b = store.createToken(Store.Role.viewer, "wallboard", T0);
        assertThat(a.secret()).startsWith("bwk_").hasSize(47).isNotEqualTo(b.secret());
        assertThat(a.id()).isNotEqualTo(b.id()).doesNotContain(a.secret().substring(4));
        assertThat(store.authenticate(a.secret()).map(Store.Holder::role)).contains(Store.Role.analyst);
        assertThat(store.authenticate(b.secret()).map(Store.Holder::role)).contains(Store.Role.viewer);

        char last = a.secret().charAt(a.secret().length() - 1);
        String wrong = a.secret().substring(0, a.secret().length() - 1) + (last == 'A' ? 'B' : 'A');
        assertThat(store.authenticate(wrong)).isEmpty();
        assertThat(store.authenticate("")).isEmpty();
        assertThat(store.authenticate(null)).isEmpty();
        assertThat(store.authenticate(a.secret() + "x")).isEmpty();

        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement("SELECT id, hash FROM tokens ORDER BY id");
             ResultSet rs = ps.executeQuery()) {
            int n = 0;
            while (rs.next()) {
                String secret = rs.getString(1).equals(a.id()) ? a.secret() : b.secret();
                assertThat(rs.getString(2)).isNotEqualTo(secret).doesNotContain(secret.substring(4))
                        .isEqualTo(Sha256.hexOf(secret));
                n++;
            }
            assertThat(n).isEqualTo(2);
        }

        assertThat(store.revokeToken(a.id())).isTrue();
        assertThat(store.revokeToken(a.id())).isFalse();
        assertThat(store.revokeToken("tok_nope")).isFalse();
        assertThat(store.authenticate(a.secret())).isEmpty();
        assertThat(store.authenticate(b.secret()).map(Store.Holder::role)).contains(Store.Role.viewer);
    }

    @Test
    void devices_listAndDetail_withTheirIncidents() {
        writeAll();
        Store.Page<DeviceSummary> page = store.devices(new Store.DeviceQuery(null, null, 5, 0));
        assertThat(page.total()).isEqualTo(data.devices().size());
        assertThat(page.items()).hasSize(5).extracting(DeviceSummary::ip).isSorted();
        assertThat(store.devices(new Store.DeviceQuery(null, "-bytes_out", 10_000, 0)))
                .satisfies(p -> assertThat(p.limit()).isEqualTo(Store.MAX_PAGE))
                .satisfies(p -> assertThat(p.items()).extracting(DeviceSummary::bytesOut).isSortedAccordingTo(Comparator.reverseOrder()));
        assertThat(store.devices(new Store.DeviceQuery("1.101", null, 10, 0)).items())
                .extracting(DeviceSummary::ip).contains("192.168.1.101").allMatch(ip -> ip.contains("1.101"));
        assertThatThrownBy(() -> store.devices(new Store.DeviceQuery(null, "ip desc", 10, 0)))
                .isInstanceOf(IllegalArgumentException.class);

        String ip = "192.168.1.102";
        Store.DeviceDetail d = store.device(ip).orElseThrow();
        assertThat(d.device()).isEqualTo(data.devices().stream().filter(x -> x.ip().equals(ip)).findFirst().orElseThrow());
        List<String> want = data.incidents().stream().filter(i -> i.host().equals(ip)).map(Incident::id).sorted().toList();
        assertThat(d.incidents()).extracting(s -> s.incident().id()).hasSize(want.size()).containsExactlyInAnyOrderElementsOf(want);
        assertThat(d.incidents()).extracting(s -> s.incident().detectedAt()).isSorted();
        assertThat(d.incidents()).allSatisfy(s -> assertThat(s.incident().evidence()).isNotEmpty());
        assertThat(store.device("10.255.255.254")).isEmpty();
    }

    @Test
    void overview_countsByKindStateAndHour() {
        writeAll();
        String id = data.incidents().get(0).id();
        store.changeState(id, State.resolved, "alice", T0, null);
        Store.Overview o = store.overview(48, 3600);
        assertThat(o.devices()).isEqualTo(data.devices().size());
        assertThat(o.incidents()).isEqualTo(data.incidents().size());
        for (Kind k : Kind.values()) {
            assertThat(o.byKind().get(k.name())).as(k.name())
                    .isEqualTo(data.incidents().stream().filter(i -> i.kind() == k).count());
        }
        assertThat(o.byState()).containsEntry("resolved", 1L).containsEntry("new", (long) data.incidents().size() - 1)
                .containsEntry("acknowledged", 0L).containsEntry("contained", 0L);
        assertThat(o.timeline()).isNotEmpty().allSatisfy(p -> assertThat(p.count()).isPositive());
        assertThat(o.timeline().stream().mapToLong(Store.TimePoint::count).sum()).isEqualTo(data.incidents().size());
        assertThat(o.timeline()).allSatisfy(p -> assertThat(p.bucket().getEpochSecond() % 3600).isZero());
        assertThat(store.overview(1, 86400).timeline().stream().mapToLong(Store.TimePoint::count).sum())
                .isEqualTo(data.incidents().size());
        assertThatThrownBy(() -> store.overview(10, 60)).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.latency()).containsKeys("write", "changeState", "overview")
                .allSatisfy((op, v) -> assertThat(v[0]).isPositive());
    }

    @Test
    void filters_sqlInjectionAttempts_areJustValues() throws Exception {
        writeAll();
        for (String evil : List.of("x' OR '1'='1", "scan' --", "scan; DROP TABLE incidents; --", "%", "_")) {
            assertThat(store.incidents(new IncidentQuery(evil, null, null, null, null, null, 10, 0)).total()).as(evil).isZero();
            assertThat(store.incidents(new IncidentQuery(null, evil, null, null, null, null, 10, 0)).total()).as(evil).isZero();
            assertThat(store.devices(new Store.DeviceQuery(evil, null, 10, 0)).total()).as(evil).isZero();
            assertThat(store.device(evil)).isEmpty();
            assertThat(store.incident(evil)).isEmpty();
            assertThat(store.authenticate(evil)).isEmpty();
        }
        try (Connection c = raw(); PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM incidents");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            assertThat(rs.getLong(1)).isEqualTo(data.incidents().size());
        }
        // A hostile name is stored as given and comes back as given.
        String name = "Robert'); DROP TABLE tokens;--";
        Store.NewToken t = store.createToken(Store.Role.admin, name, T0);
        assertThat(store.authenticate(t.secret())).contains(new Store.Holder(t.id(), name, Store.Role.admin));
        Incident i = data.incidents().get(1);
        assertThat(store.changeState(i.id(), State.acknowledged, name, T0, "%' OR 1=1 --")).hasValueSatisfying(d ->
                assertThat(d.history().get(0)).isEqualTo(new Store.StateChange(State.new_, State.acknowledged, name, T0, "%' OR 1=1 --")));
    }
}
