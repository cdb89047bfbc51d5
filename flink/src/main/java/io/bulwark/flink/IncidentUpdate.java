package io.bulwark.flink;

/**
 * An incident as it stands after a finding: the job's output, one per finding. Later updates
 * of the same {@code id} replace earlier ones (a compacted Kafka topic keyed by id keeps the
 * latest). A POJO by Flink's rules.
 *
 * @param json  the incidents.ndjson object (docs/architecture.md contract), without a trailing newline
 */
public record IncidentUpdate(String id, String kind, String host, long firstSeen, long detectedAt, long lastSeen,
                             String json) {
}
