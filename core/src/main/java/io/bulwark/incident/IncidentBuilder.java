package io.bulwark.incident;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.detect.FindingSink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges findings into incidents. Findings with the same host, kind and subject belong to
 * one incident while they describe the same episode; a finding whose episode starts after
 * the incident's last traffic opens a new incident. Merging keeps the earliest
 * first_seen and detected_at, the latest last_seen, the highest severity and confidence, the
 * newest summary and detail (detectors report cumulative figures), and the union of evidence
 * up to {@link #MAX_EVIDENCE}.
 *
 * <p>An {@code anomaly} finding on a host that a specific detector's incident already explains
 * (the incident's host, or the victim it names, with traffic overlapping within
 * {@link #CORROBORATION_SLACK_NANOS}) raises no incident of its own: it is attached to that
 * incident as corroboration, under {@code detail.anomaly}.
 *
 * <p>Ids are "inc-" and 16 hex digits of SHA-256 over kind, host, subject and the first finding's
 * first_seen, so re-analysing an input gives the same ids. Not thread-safe.
 */
public final class IncidentBuilder implements FindingSink {
    public static final int MAX_EVIDENCE = 32;
    /** How far apart an anomaly and a specific incident's traffic may be and still be one story. */
    public static final long CORROBORATION_SLACK_NANOS = 60_000_000_000L;

    /** Told about every finding and the incident it went to (events.ndjson). */
    public interface Listener {
        void finding(Finding f, String incidentId);
    }

    private final Listener listener;
    private final Map<String, Incident> open = new HashMap<>();
    private final Map<String, Incident> all = new LinkedHashMap<>();

    public IncidentBuilder(Listener listener) {
        this.listener = listener;
    }

    @Override
    public void emit(Finding f) {
        if (f.kind() == io.bulwark.detect.Kind.anomaly && corroborates(f)) {
            return;
        }
        String key = key(f);
        Incident next = merge(open.get(key), f);
        open.put(key, next);
        all.put(next.id(), next);
        listener.finding(f, next.id());
    }

    /**
     * The incident that {@code f} makes of {@code cur}, the open incident of the finding's host,
     * kind and subject (null when none): {@code cur} updated, or a new incident when the
     * finding's episode starts after {@code cur}'s last traffic. The one merge rule, for this
     * builder and for the Flink job, which keeps the open incidents in keyed state. A
     * corroborating anomaly attached to {@code cur} stays attached.
     */
    public static Incident merge(Incident cur, Finding f) {
        // A finding whose episode started after the incident's last traffic is a new episode
        // (the scan resumed, another flood of that vector): detectors report per-episode
        // figures, so it gets its own incident. Updates of an episode share its first_seen.
        if (cur == null || f.firstSeen() > cur.lastSeen()) {
            String id = id(key(f), f.firstSeen());
            return new Incident(id, f.kind(), f.host().toString(), null, f.firstSeen(), f.detectedAt(), f.lastSeen(),
                    f.severity(), f.confidence(), f.summary(), f.detector(), f.detail(), cap(f.evidence()));
        }
        List<EvidenceRef> ev = new ArrayList<>(cur.evidence());
        for (EvidenceRef r : f.evidence()) {
            if (ev.size() >= MAX_EVIDENCE) {
                break;
            }
            if (!ev.contains(r)) {
                ev.add(r);
            }
        }
        return new Incident(cur.id(), cur.kind(), cur.host(), cur.mac(),
                Math.min(cur.firstSeen(), f.firstSeen()), Math.min(cur.detectedAt(), f.detectedAt()),
                Math.max(cur.lastSeen(), f.lastSeen()),
                f.severity().compareTo(cur.severity()) > 0 ? f.severity() : cur.severity(),
                Math.max(cur.confidence(), f.confidence()), f.summary(), cur.detector(), keepAnomaly(cur, f), List.copyOf(ev));
    }

    /** The merge key of a finding: host, kind and subject. */
    public static String key(Finding f) {
        return f.kind() + "|" + f.host() + "|" + f.subject();
    }

    /** The newest detail, still carrying the corroborating anomaly attached to the incident before. */
    private static Map<String, Object> keepAnomaly(Incident cur, Finding f) {
        Object a = cur.detail().get("anomaly");
        if (a == null || f.detail().containsKey("anomaly")) {
            return f.detail();
        }
        Map<String, Object> d = new LinkedHashMap<>(f.detail());
        d.put("anomaly", a);
        return d;
    }

    /** Attaches an anomaly finding to the latest specific incident it overlaps on its host, if any. */
    private boolean corroborates(Finding f) {
        String host = f.host().toString();
        Incident best = null;
        for (Incident i : open.values()) {
            if (i.kind() != io.bulwark.detect.Kind.anomaly && (i.host().equals(host) || host.equals(i.detail().get("victim")))
                    && i.lastSeen() >= f.firstSeen() - CORROBORATION_SLACK_NANOS
                    && i.firstSeen() <= f.lastSeen() + CORROBORATION_SLACK_NANOS
                    && (best == null || i.detectedAt() > best.detectedAt()
                        || (i.detectedAt() == best.detectedAt() && i.id().compareTo(best.id()) < 0))) {
                best = i;
            }
        }
        if (best == null) {
            return false;
        }
        Map<String, Object> detail = new LinkedHashMap<>(best.detail());
        Map<String, Object> a = new LinkedHashMap<>(f.detail());
        a.put("detected_at", java.time.Instant.ofEpochSecond(0, f.detectedAt()).toString());
        a.put("summary", f.summary());
        detail.put("anomaly", a);
        Incident next = new Incident(best.id(), best.kind(), best.host(), best.mac(), best.firstSeen(), best.detectedAt(),
                best.lastSeen(), best.severity(), best.confidence(), best.summary(), best.detector(), detail, best.evidence());
        open.entrySet().stream().filter(e -> e.getValue().id().equals(next.id())).findFirst()
                .ifPresent(e -> e.setValue(next));
        all.put(next.id(), next);
        listener.finding(f, next.id());
        return true;
    }

    private static List<EvidenceRef> cap(List<EvidenceRef> ev) {
        return ev.size() <= MAX_EVIDENCE ? List.copyOf(ev) : List.copyOf(ev.subList(0, MAX_EVIDENCE));
    }

    /** Fills in the MAC of each incident's host (known once the devices are done), in one pass. */
    public void attachMacs(Map<String, String> macByHost) {
        all.replaceAll((id, i) -> {
            String mac = macByHost.get(i.host());
            return mac == null || i.mac() != null ? i : i.withMac(mac);
        });
    }

    /** The incident as it stands now, or null: for writing incidents out as they are found. */
    public Incident incident(String id) {
        return all.get(id);
    }

    /** Incidents so far, ordered by detection time, then id. */
    public List<Incident> incidents() {
        List<Incident> out = new ArrayList<>(all.values());
        out.sort((a, b) -> a.detectedAt() != b.detectedAt() ? Long.compare(a.detectedAt(), b.detectedAt())
                : a.id().compareTo(b.id()));
        return out;
    }

    static String id(String key, long firstSeen) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] h = sha.digest((key + "|" + firstSeen).getBytes(StandardCharsets.UTF_8));
            return "inc-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
