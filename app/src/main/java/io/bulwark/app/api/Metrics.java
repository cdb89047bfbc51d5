package io.bulwark.app.api;

import io.bulwark.app.store.Store;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP request counters and the Prometheus text exposition (format 0.0.4) of /metrics.
 * The request table is keyed by the matched route pattern, never the raw path, and by status:
 * a bounded set whatever clients send (unmatched paths all count as route "unmatched").
 * Thread-safe.
 */
final class Metrics {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private final ConcurrentHashMap<String, ConcurrentHashMap<Integer, LongAdder>> requests = new ConcurrentHashMap<>();

    void request(String route, int status) {
        requests.computeIfAbsent(route, r -> new ConcurrentHashMap<>())
                .computeIfAbsent(status, s -> new LongAdder()).increment();
    }

    long totalRequests() {
        return requests.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
    }

    String exposition(Store.Overview counts, Map<String, double[]> latency, MetricsSource ingest) {
        StringBuilder b = new StringBuilder(2048);
        header(b, "bulwark_incidents", "gauge", "Stored incidents by kind.");
        for (var e : new TreeMap<>(counts.byKind()).entrySet()) {
            b.append("bulwark_incidents{kind=\"").append(label(e.getKey())).append("\"} ").append(e.getValue()).append('\n');
        }
        header(b, "bulwark_incidents_by_state", "gauge", "Stored incidents by workflow state.");
        for (var e : new TreeMap<>(counts.byState()).entrySet()) {
            b.append("bulwark_incidents_by_state{state=\"").append(label(e.getKey())).append("\"} ").append(e.getValue()).append('\n');
        }
        header(b, "bulwark_devices", "gauge", "Stored devices.");
        b.append("bulwark_devices ").append(counts.devices()).append('\n');

        header(b, "bulwark_store_latency_seconds", "summary", "Time spent in store calls, by operation.");
        for (var e : new TreeMap<>(latency).entrySet()) {
            double[] countSumMs = e.getValue();
            String op = label(e.getKey());
            b.append("bulwark_store_latency_seconds_sum{op=\"").append(op).append("\"} ")
                    .append(num(countSumMs[1] / 1000.0)).append('\n');
            b.append("bulwark_store_latency_seconds_count{op=\"").append(op).append("\"} ")
                    .append((long) countSumMs[0]).append('\n');
        }

        header(b, "bulwark_http_requests_total", "counter", "HTTP requests served, by route pattern and status.");
        for (var r : new TreeMap<>(requests).entrySet()) {
            for (var s : new TreeMap<>(r.getValue()).entrySet()) {
                b.append("bulwark_http_requests_total{route=\"").append(label(r.getKey())).append("\",status=\"")
                        .append(s.getKey()).append("\"} ").append(s.getValue().sum()).append('\n');
            }
        }
        if (ingest != null) {
            for (var e : new TreeMap<>(ingest.counters()).entrySet()) {
                String name = "bulwark_" + e.getKey() + "_total";
                header(b, name, "counter", "Ingested " + e.getKey() + ".");
                b.append(name).append(' ').append(e.getValue()).append('\n');
            }
        }
        return b.toString();
    }

    private static void header(StringBuilder b, String name, String type, String help) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** Label value escaping of the text format: backslash, double quote and line feed. */
    static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String num(double d) {
        return String.format(Locale.ROOT, "%.6f", d);
    }
}
