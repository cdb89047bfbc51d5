package io.bulwark.app.api;

import java.util.Map;

/**
 * Counters of whatever ingests traffic in the serving process (a collector or live capture):
 * /metrics shows each as {@code bulwark_<name>_total} and /api/status as "ingest". Names are
 * lower_snake and fixed ("packets", "flows", "records", "anomalies"); values only grow.
 * Called from request threads, so it must be thread-safe.
 */
@FunctionalInterface
public interface MetricsSource {
    Map<String, Long> counters();
}
