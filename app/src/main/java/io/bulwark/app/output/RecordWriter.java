package io.bulwark.app.output;

import io.bulwark.analyze.Analyzer;
import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceProfile;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.inventory.Observation;
import io.bulwark.posture.PostureCheck;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes incidents.ndjson, devices.ndjson and events.ndjson into an output directory, one
 * JSON object per line, field for field as docs/architecture.md and the schemas in
 * {@code schemas/} say. Events stream as they happen; incidents and devices are written when
 * the run ends, once they are final.
 */
public final class RecordWriter implements Closeable {
    public static final String SCHEMA_VERSION = "1";
    private final Path dir;
    private final BufferedWriter events;

    public RecordWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        this.events = Files.newBufferedWriter(dir.resolve("events.ndjson"), StandardCharsets.UTF_8);
    }

    public Path dir() {
        return dir;
    }

    public void finding(Finding f, String incidentId) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "finding");
        m.put("ts", Json.time(f.detectedAt()));
        m.put("incident", incidentId);
        m.put("detector", f.detector());
        m.put("kind", f.kind().name());
        m.put("host", f.host().toString());
        m.put("last_seen", Json.time(f.lastSeen()));
        m.put("summary", f.summary());
        event(m);
    }

    public void inputs(List<Analyzer.InputStatus> inputs) {
        for (Analyzer.InputStatus s : inputs) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "input");
            m.put("file", s.file());
            m.put("format", s.format());
            m.put("packets", s.packets());
            m.put("flow_records", s.flowRecords());
            m.put("complete", s.error() == null);
            if (s.error() != null) {
                m.put("error", s.error());
                m.put("offset", s.errorOffset());
            }
            event(m);
        }
    }

    public void anomalies(Analyzer.Result r) {
        for (Map.Entry<Anomaly, Long> e : r.anomalies().nonZero().entrySet()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "anomaly");
            m.put("anomaly", e.getKey().id());
            m.put("count", e.getValue());
            m.put("first_file", r.anomalies().firstSource(e.getKey()));
            m.put("first_offset", r.anomalies().firstOffset(e.getKey()));
            event(m);
        }
    }

    /** Everything a finished run writes: input, anomaly and exporter events, incidents, devices. */
    public void results(Analyzer.Result r, List<ExporterStats> exporters) throws IOException {
        inputs(r.inputs());
        anomalies(r);
        exporters(exporters);
        incidents(r.incidents());
        devices(r.devices());
    }

    /** One event per exporter with its collector counters. */
    public void exporters(List<ExporterStats> stats) {
        for (ExporterStats s : stats) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "exporter");
            m.put("exporter", s.exporter);
            m.put("protocol", s.source.name());
            m.put("packets", s.packets);
            m.put("records", s.records);
            m.put("template_misses", s.templateMisses);
            m.put("malformed", s.malformed);
            m.put("sequence_gaps", s.sequenceGaps);
            m.put("counter_samples", s.counterSamples);
            m.put("implausible", s.implausible);
            m.put("over_budget", s.overBudget);
            event(m);
        }
    }

    /**
     * A store commit: these incident ids (and that many devices) are now durable in the store.
     * Flushed at once, so a reader of events.ndjson never sees a commit the store lacks.
     */
    public void storeCommit(List<String> incidentIds, int devices, boolean last) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "store_commit");
        m.put("incidents", incidentIds);
        m.put("devices", devices);
        m.put("final", last);
        event(m);
        flush();
    }

    /**
     * A capture engine's counters for one interface ({@code bulwark capture}): from an
     * Interface Statistics Block as it arrives ({@code final} false), and once at the end with
     * the split the engine reported when it stopped ({@code final} true). Null or negative
     * counters are unknown and left out. Flushed at once: drops must not wait in a buffer.
     */
    public void captureStats(String iface, long received, long dropped, long osDropped,
                             long kernelDropped, long engineDropped, long interfaceDropped, boolean last) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", "capture_stats");
        m.put("interface", iface);
        putCount(m, "received", received);
        putCount(m, "dropped", dropped);
        putCount(m, "os_dropped", osDropped);
        putCount(m, "kernel_dropped", kernelDropped);
        putCount(m, "engine_dropped", engineDropped);
        putCount(m, "interface_dropped", interfaceDropped);
        m.put("final", last);
        event(m);
        flush();
    }

    private static void putCount(Map<String, Object> m, String key, long v) {
        if (v >= 0) {
            m.put(key, v);
        }
    }

    /** Pushes buffered events to the file (the collector does after each finding). */
    public void flush() {
        try {
            events.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void event(Map<String, Object> m) {
        try {
            events.write(Json.MAPPER.writeValueAsString(m));
            events.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void incidents(List<Incident> incidents) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("incidents.ndjson"), StandardCharsets.UTF_8)) {
            for (Incident i : incidents) {
                w.write(Json.MAPPER.writeValueAsString(incident(i)));
                w.write('\n');
            }
        }
    }

    /** One incidents.ndjson object; the REST API serves the same shape plus workflow state. */
    public static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("kind", i.kind().name());
        m.put("host", i.host());
        m.put("mac", i.mac());
        m.put("first_seen", Json.time(i.firstSeen()));
        m.put("detected_at", Json.time(i.detectedAt()));
        m.put("last_seen", Json.time(i.lastSeen()));
        m.put("severity", i.severity().name());
        m.put("confidence", i.confidence());
        m.put("summary", i.summary());
        m.put("detector", i.detector());
        m.put("detail", i.detail());
        List<Map<String, Object>> ev = new ArrayList<>();
        for (EvidenceRef r : i.evidence()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("uid", r.flowUid());
            e.put("community_id", r.communityId());
            if (r.file() != null) {
                e.put("file", r.file());
                e.put("offset", r.offset());
                e.put("length", r.length());
            }
            ev.add(e);
        }
        m.put("evidence", ev);
        m.put("schema_version", SCHEMA_VERSION);
        return m;
    }

    public void devices(List<DeviceSummary> devices) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve("devices.ndjson"), StandardCharsets.UTF_8)) {
            for (DeviceSummary d : devices) {
                Map<String, Object> m = device(d);
                w.write(Json.MAPPER.writeValueAsString(m));
                w.write('\n');
            }
        }
    }

    /** One devices.ndjson object; the REST API serves the same shape. */
    public static Map<String, Object> device(DeviceSummary d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ip", d.ip());
        m.put("mac", d.mac());
        m.put("first_seen", Json.time(d.firstSeen()));
        m.put("last_seen", Json.time(d.lastSeen()));
        m.put("packets_out", d.packetsOut());
        m.put("bytes_out", d.bytesOut());
        m.put("packets_in", d.packetsIn());
        m.put("bytes_in", d.bytesIn());
        m.put("flows_originated", d.flowsOriginated());
        m.put("flows_answered", d.flowsAnswered());
        m.put("services", d.services());
        m.put("incidents", d.incidents());
        m.putAll(inventory(d));
        m.put("schema_version", SCHEMA_VERSION);
        return m;
    }

    /** The inventory and posture fields of a device record (devices.ndjson, the store's profile column). */
    public static Map<String, Object> inventory(DeviceSummary d) {
        Map<String, Object> m = new LinkedHashMap<>();
        DeviceProfile p = d.profile();
        m.put("vendor", p.vendor());
        m.put("class", p.deviceClass());
        List<Map<String, Object>> votes = new ArrayList<>();
        for (DeviceProfile.ClassVote v : p.classEvidence()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("source", v.source());
            e.put("value", v.value());
            e.put("rule", v.rule());
            e.put("weight", v.weight());
            votes.add(e);
        }
        m.put("class_evidence", votes);
        m.put("mud_url", p.mudUrl());
        List<Map<String, Object>> obs = new ArrayList<>();
        for (Observation o : p.observations()) {
            // Ordered: Map.of iterates in an order that changes from one JVM run to the next, which
            // made devices.ndjson differ between identical runs and the store's device fingerprints
            // (taken from this map) rewrite unchanged devices.
            Map<String, Object> ob = new LinkedHashMap<>();
            ob.put("source", o.source());
            ob.put("value", o.value());
            obs.add(ob);
        }
        m.put("observations", obs);
        List<Map<String, Object>> checks = new ArrayList<>();
        for (PostureCheck c : d.posture()) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", c.id());
            e.put("title", c.title());
            e.put("measures", c.measures());
            e.put("status", c.status().name());
            e.put("basis", c.basis());
            e.put("evidence", c.evidence());
            checks.add(e);
        }
        m.put("posture", checks);
        return m;
    }

    @Override
    public void close() throws IOException {
        events.close();
    }
}
