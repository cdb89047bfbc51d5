package io.bulwark.app.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.bulwark.app.Sha256;
import io.bulwark.app.output.InventoryJson;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Column lists and the mapping between rows and the core records, in one place. */
final class Rows {
    static final String INCIDENT_COLUMNS = "id, kind, host, mac, first_seen, detected_at, last_seen, severity, "
            + "severity_rank, confidence, summary, detector, detail, state, state_changed_at, state_changed_by, stored_at";
    static final String INSERT_INCIDENT = "INSERT INTO incidents (id, kind, host, mac, first_seen, detected_at, "
            + "last_seen, severity, severity_rank, confidence, summary, detector, detail, fingerprint, state, stored_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /** Everything the analysis owns; the workflow state is the analyst's and is left alone. */
    static final String UPDATE_INCIDENT = "UPDATE incidents SET kind = ?, host = ?, mac = ?, first_seen = ?, "
            + "detected_at = ?, last_seen = ?, severity = ?, severity_rank = ?, confidence = ?, summary = ?, "
            + "detector = ?, detail = ?, fingerprint = ?, stored_at = ? WHERE id = ?";
    static final String INSERT_EVIDENCE = "INSERT INTO evidence (incident_id, ordinal, uid, community_id, file, "
            + "file_offset, record_length) VALUES (?, ?, ?, ?, ?, ?, ?)";
    static final String DEVICE_COLUMNS = "ip, mac, first_seen, last_seen, packets_out, bytes_out, packets_in, "
            + "bytes_in, flows_originated, flows_answered, services, incident_ids, inventory";
    static final String INSERT_DEVICE = "INSERT INTO devices (ip, mac, first_seen, last_seen, packets_out, "
            + "bytes_out, packets_in, bytes_in, flows_originated, flows_answered, services, incident_ids, fingerprint, "
            + "vendor, device_class, inventory) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    static final String UPDATE_DEVICE = "UPDATE devices SET mac = ?, first_seen = ?, last_seen = ?, packets_out = ?, "
            + "bytes_out = ?, packets_in = ?, bytes_in = ?, flows_originated = ?, flows_answered = ?, services = ?, "
            + "incident_ids = ?, fingerprint = ?, vendor = ?, device_class = ?, inventory = ? WHERE ip = ?";

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };

    private Rows() {
    }

    /**
     * Binds an incident's analysis fields from parameter {@code at}: kind, host, mac, the three
     * times, severity and its rank, confidence, summary, detector, detail, fingerprint.
     */
    static int bindIncident(PreparedStatement ps, int at, Incident i, String fingerprint) throws SQLException {
        ps.setString(at++, i.kind().name());
        ps.setString(at++, i.host());
        setNullable(ps, at++, i.mac());
        ps.setLong(at++, i.firstSeen());
        ps.setLong(at++, i.detectedAt());
        ps.setLong(at++, i.lastSeen());
        ps.setString(at++, i.severity().name());
        ps.setInt(at++, i.severity().ordinal());
        ps.setDouble(at++, i.confidence());
        ps.setString(at++, i.summary());
        ps.setString(at++, i.detector());
        ps.setString(at++, json(i.detail()));
        ps.setString(at++, fingerprint);
        return at;
    }

    static int bindDevice(PreparedStatement ps, int at, DeviceSummary d, String fingerprint) throws SQLException {
        setNullable(ps, at++, d.mac());
        ps.setLong(at++, d.firstSeen());
        ps.setLong(at++, d.lastSeen());
        ps.setLong(at++, d.packetsOut());
        ps.setLong(at++, d.bytesOut());
        ps.setLong(at++, d.packetsIn());
        ps.setLong(at++, d.bytesIn());
        ps.setLong(at++, d.flowsOriginated());
        ps.setLong(at++, d.flowsAnswered());
        ps.setString(at++, json(d.services()));
        ps.setString(at++, json(d.incidents()));
        ps.setString(at++, fingerprint);
        String vendor = d.profile().vendor();
        setNullable(ps, at++, vendor == null || vendor.length() <= 256 ? vendor : vendor.substring(0, 256));
        ps.setString(at++, d.profile().deviceClass());
        ps.setString(at++, json(RecordWriter.inventory(d)));
        return at;
    }

    static void bindEvidence(PreparedStatement ps, String incidentId, int ordinal, EvidenceRef r) throws SQLException {
        ps.setString(1, incidentId);
        ps.setInt(2, ordinal);
        setNullable(ps, 3, r.flowUid());
        setNullable(ps, 4, r.communityId());
        setNullable(ps, 5, r.file());
        ps.setLong(6, r.offset());
        ps.setInt(7, r.length());
    }

    /** Reads an incident row selected with {@link #INCIDENT_COLUMNS}; evidence comes separately. */
    static Store.StoredIncident incident(ResultSet rs, List<EvidenceRef> evidence) throws SQLException {
        Incident i = new Incident(rs.getString(1), Kind.valueOf(rs.getString(2)), rs.getString(3), rs.getString(4),
                rs.getLong(5), rs.getLong(6), rs.getLong(7), Severity.valueOf(rs.getString(8)), rs.getDouble(10),
                rs.getString(11), rs.getString(12), map(rs.getString(13)), List.copyOf(evidence));
        long changedAt = rs.getLong(15);
        Instant at = rs.wasNull() ? null : instant(changedAt);
        return new Store.StoredIncident(i, state(rs.getString(14)), at, rs.getString(16), instant(rs.getLong(17)));
    }

    static DeviceSummary device(ResultSet rs) throws SQLException {
        Map<String, Object> inventory = map(rs.getString(13));
        return new DeviceSummary(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
                strings(rs.getString(11)), strings(rs.getString(12)), InventoryJson.profile(inventory),
                InventoryJson.posture(inventory));
    }

    static Store.State state(String id) {
        return "new".equals(id) ? Store.State.new_ : Store.State.valueOf(id);
    }

    static long nanos(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    static Instant instant(long nanos) {
        return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
    }

    /** What the record looks like on the wire, hashed: equal fingerprints mean nothing to write. */
    static String fingerprint(Incident i) {
        return Sha256.hexOf(json(RecordWriter.incident(i)));
    }

    static String fingerprint(DeviceSummary d) {
        return Sha256.hexOf(json(List.of(d.ip(), String.valueOf(d.mac()), d.firstSeen(), d.lastSeen(), d.packetsOut(),
                d.bytesOut(), d.packetsIn(), d.bytesIn(), d.flowsOriginated(), d.flowsAnswered(), d.services(),
                d.incidents(), RecordWriter.inventory(d))));
    }

    static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not serialisable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, Object> map(String json) {
        try {
            return Json.MAPPER.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt detail JSON in the store: " + e.getOriginalMessage(), e);
        }
    }

    private static List<String> strings(String json) {
        try {
            return List.copyOf(Json.MAPPER.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new StoreException("corrupt JSON list in the store: " + e.getOriginalMessage(), e);
        }
    }

    private static void setNullable(PreparedStatement ps, int at, String v) throws SQLException {
        if (v == null) {
            ps.setNull(at, Types.VARCHAR);
        } else {
            ps.setString(at, v);
        }
    }
}
