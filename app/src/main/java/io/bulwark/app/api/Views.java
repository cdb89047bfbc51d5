package io.bulwark.app.api;

import io.bulwark.app.output.Json;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.app.store.Store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON the API serves. Incidents and devices start from the exact incidents.ndjson and
 * devices.ndjson objects ({@link RecordWriter}), so a client can read both with one parser;
 * the API only adds fields.
 */
final class Views {
    private Views() {
    }

    static String time(Instant t) {
        return t == null ? null : Json.time(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano()));
    }

    static Map<String, Object> incident(Store.StoredIncident s) {
        Map<String, Object> m = RecordWriter.incident(s.incident());
        m.put("state", s.state().id());
        m.put("state_changed_at", time(s.stateChangedAt()));
        m.put("state_changed_by", s.stateChangedBy());
        return m;
    }

    static Map<String, Object> incident(Store.IncidentDetail d) {
        Map<String, Object> m = incident(d.incident());
        List<Map<String, Object>> history = new ArrayList<>();
        for (Store.StateChange c : d.history()) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("from", c.from() == null ? null : c.from().id());
            h.put("to", c.to().id());
            h.put("by", c.by());
            h.put("at", time(c.at()));
            h.put("note", c.note());
            history.add(h);
        }
        m.put("history", history);
        return m;
    }

    static Map<String, Object> device(Store.DeviceDetail d) {
        Map<String, Object> m = RecordWriter.device(d.device());
        // "incidents" stays the list of ids it is in devices.ndjson; the records come beside it.
        m.put("incident_details", d.incidents().stream().map(Views::incident).toList());
        return m;
    }

    static <T> Map<String, Object> page(Store.Page<T> p, java.util.function.Function<T, Map<String, Object>> view) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", p.items().stream().map(view).toList());
        m.put("total", p.total());
        m.put("total_exact", p.exact());
        m.put("limit", p.limit());
        m.put("offset", p.offset());
        return m;
    }

    static Map<String, Object> overview(Store.Overview o, List<Store.StoredIncident> newest, String bucket) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("devices", o.devices());
        counts.put("incidents", o.incidents());
        m.put("counts", counts);
        m.put("by_kind", o.byKind());
        m.put("by_state", o.byState());
        m.put("newest", newest.stream().map(Views::incident).toList());
        m.put("bucket", bucket);
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (Store.TimePoint p : o.timeline()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("t", time(p.bucket()));
            t.put("kind", p.kind());
            t.put("count", p.count());
            timeline.add(t);
        }
        m.put("timeline", timeline);
        return m;
    }

    static Map<String, Object> error(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", message);
        m.put("status", status);
        return m;
    }

    /** The network's posture (GET /api/posture): per check, counts and the first failing devices; devices per class. */
    static Map<String, Object> posture(List<io.bulwark.inventory.DeviceSummary> devices, boolean complete) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("devices", devices.size());
        m.put("complete", complete);
        Map<String, Map<String, Object>> checks = new LinkedHashMap<>();
        Map<String, Integer> classes = new java.util.TreeMap<>();
        for (io.bulwark.inventory.DeviceSummary d : devices) {
            classes.merge(d.profile().deviceClass(), 1, Integer::sum);
            for (io.bulwark.posture.PostureCheck c : d.posture()) {
                Map<String, Object> e = checks.computeIfAbsent(c.id(), k -> {
                    Map<String, Object> x = new LinkedHashMap<>();
                    x.put("id", c.id());
                    x.put("title", c.title());
                    x.put("measures", c.measures());
                    x.put("passed", 0);
                    x.put("failed", 0);
                    x.put("unknown", 0);
                    x.put("failing", new java.util.ArrayList<String>());
                    return x;
                });
                e.merge(c.status().name(), 1, (a, b) -> (Integer) a + (Integer) b);
                @SuppressWarnings("unchecked")
                List<String> failing = (List<String>) e.get("failing");
                if (c.status() == io.bulwark.posture.PostureCheck.Status.failed && failing.size() < 100) {
                    failing.add(d.ip());
                }
            }
        }
        m.put("checks", List.copyOf(checks.values()));
        m.put("classes", classes);
        return m;
    }
}
