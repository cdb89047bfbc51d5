package io.bulwark.app.store;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Idempotent batched writes, inside the caller's transaction. The same SQL on H2 and PostgreSQL:
 * no MERGE or ON CONFLICT. Stored fingerprints decide per row: insert, update or nothing.
 */
final class Upserts {
    private static final int IN_CHUNK = 500;

    private Upserts() {
    }

    /** @return incidents inserted or changed */
    /** @param nowNanos the write's wall-clock time, kept as stored_at on every row it changes */
    static int incidents(Connection c, List<Incident> incidents, long nowNanos) throws SQLException {
        Map<String, Incident> byId = new LinkedHashMap<>();
        for (Incident i : incidents) {
            byId.put(i.id(), i);
        }
        Map<String, String> stored = fingerprints(c, "SELECT id, fingerprint FROM incidents WHERE id IN (", byId.keySet());
        List<Incident> changed = new ArrayList<>();
        try (PreparedStatement ins = c.prepareStatement(Rows.INSERT_INCIDENT);
             PreparedStatement upd = c.prepareStatement(Rows.UPDATE_INCIDENT);
             PreparedStatement del = c.prepareStatement("DELETE FROM evidence WHERE incident_id = ?")) {
            int inserts = 0;
            int updates = 0;
            for (Incident i : byId.values()) {
                String fp = Rows.fingerprint(i);
                String old = stored.get(i.id());
                if (fp.equals(old)) {
                    continue;
                }
                changed.add(i);
                if (old == null) {
                    ins.setString(1, i.id());
                    int at = Rows.bindIncident(ins, 2, i, fp);
                    ins.setString(at, Store.State.new_.id());
                    ins.setLong(at + 1, nowNanos);
                    ins.addBatch();
                    inserts++;
                } else {
                    int at = Rows.bindIncident(upd, 1, i, fp);
                    upd.setLong(at, nowNanos);
                    upd.setString(at + 1, i.id());
                    upd.addBatch();
                    del.setString(1, i.id());
                    del.addBatch();
                    updates++;
                }
            }
            if (inserts > 0) {
                ins.executeBatch();
            }
            if (updates > 0) {
                upd.executeBatch();
                del.executeBatch();
            }
        }
        if (!changed.isEmpty()) {
            try (PreparedStatement ev = c.prepareStatement(Rows.INSERT_EVIDENCE)) {
                int n = 0;
                for (Incident i : changed) {
                    int ordinal = 0;
                    for (EvidenceRef r : i.evidence()) {
                        Rows.bindEvidence(ev, i.id(), ordinal++, r);
                        ev.addBatch();
                        n++;
                    }
                }
                if (n > 0) {
                    ev.executeBatch();
                }
            }
        }
        return changed.size();
    }

    /** @return devices inserted or changed */
    static int devices(Connection c, List<DeviceSummary> devices) throws SQLException {
        Map<String, DeviceSummary> byIp = new LinkedHashMap<>();
        for (DeviceSummary d : devices) {
            byIp.put(d.ip(), d);
        }
        Map<String, String> stored = fingerprints(c, "SELECT ip, fingerprint FROM devices WHERE ip IN (", byIp.keySet());
        int changed = 0;
        try (PreparedStatement ins = c.prepareStatement(Rows.INSERT_DEVICE);
             PreparedStatement upd = c.prepareStatement(Rows.UPDATE_DEVICE)) {
            int inserts = 0;
            int updates = 0;
            for (DeviceSummary d : byIp.values()) {
                String fp = Rows.fingerprint(d);
                String old = stored.get(d.ip());
                if (fp.equals(old)) {
                    continue;
                }
                changed++;
                if (old == null) {
                    ins.setString(1, d.ip());
                    Rows.bindDevice(ins, 2, d, fp);
                    ins.addBatch();
                    inserts++;
                } else {
                    int at = Rows.bindDevice(upd, 1, d, fp);
                    upd.setString(at, d.ip());
                    upd.addBatch();
                    updates++;
                }
            }
            if (inserts > 0) {
                ins.executeBatch();
            }
            if (updates > 0) {
                upd.executeBatch();
            }
        }
        return changed;
    }

    private static Map<String, String> fingerprints(Connection c, String select, java.util.Collection<String> keys)
            throws SQLException {
        List<String> all = new ArrayList<>(keys);
        Map<String, String> out = new HashMap<>();
        for (int from = 0; from < all.size(); from += IN_CHUNK) {
            List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_CHUNK));
            try (PreparedStatement ps = c.prepareStatement(select + JdbcStore.placeholders(chunk.size()) + ")")) {
                int at = 1;
                for (String k : chunk) {
                    ps.setString(at++, k);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
        }
        return out;
    }
}
