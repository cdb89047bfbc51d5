package io.bulwark.incident;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;

import java.util.List;
import java.util.Map;

/**
 * One line of incidents.ndjson (docs/architecture.md contract). Times are ns since the epoch in traffic
 * time; the writer formats them as RFC 3339.
 *
 * @param id  stable: the same input always gives the same id
 * @param mac "aa:bb:cc:dd:ee:ff" or null
 *
 * <p>Serializable (detail values are JSON-ready JDK collections and scalars) because the Flink
 * job keeps a device's open incidents in keyed state.
 */
public record Incident(String id, Kind kind, String host, String mac,
                       long firstSeen, long detectedAt, long lastSeen,
                       Severity severity, double confidence, String summary,
                       String detector, Map<String, Object> detail, List<EvidenceRef> evidence) implements java.io.Serializable {

    /** The same incident with its host's MAC address. */
    public Incident withMac(String mac) {
        return new Incident(id, kind, host, mac, firstSeen, detectedAt, lastSeen, severity, confidence, summary, detector,
                detail, evidence);
    }
}
