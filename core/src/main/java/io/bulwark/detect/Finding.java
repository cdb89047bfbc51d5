package io.bulwark.detect;

import io.bulwark.flow.IpAddr;

import java.util.List;
import java.util.Map;

/**
 * What a detector concluded about one device, at one moment of traffic time. A detector
 * emits a finding when its evidence first crosses the threshold and may emit updates later
 * (same host, kind and {@code subject}); the incident builder merges them.
 *
 * @param subject     distinguishes parallel findings of one kind on one host (a DDoS vector,
 *                    a C2 peer); "" when the kind needs no split
 * @param firstSeen   first malicious traffic the detector attributes to this finding, ns
 * @param detectedAt  when the evidence crossed the threshold, ns
 * @param lastSeen    latest supporting traffic, ns
 * @param confidence  0..1
 * @param detail      kind-specific contract fields (docs/architecture.md; per kind in
 *                    docs/detectors.md), JSON-ready values only:
 *                    String, Number, Boolean, List and Map
 */
public record Finding(String detector, Kind kind, IpAddr host, String subject,
                      long firstSeen, long detectedAt, long lastSeen,
                      Severity severity, double confidence, String summary,
                      Map<String, Object> detail, List<EvidenceRef> evidence) {
}
