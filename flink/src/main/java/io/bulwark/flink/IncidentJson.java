package io.bulwark.flink;

import io.bulwark.detect.EvidenceRef;
import io.bulwark.incident.Incident;
import io.bulwark.incident.Timestamps;

import java.util.List;
import java.util.Map;

/**
 * Writes one incidents.ndjson object (docs/architecture.md; schemas/incident.schema.json, schema_version
 * "1"), field for field as the app's writer does, by hand so that the job jar carries no JSON
 * library. Detail values are what detectors may put there: strings, numbers, booleans, lists
 * and maps; anything else is written as its string form.
 */
final class IncidentJson {
    static final String SCHEMA_VERSION = "1";
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private IncidentJson() {
    }

    static String write(Incident i) {
        StringBuilder b = new StringBuilder(512).append('{');
        field(b, "id", i.id());
        field(b, "kind", i.kind().name());
        field(b, "host", i.host());
        field(b, "mac", i.mac());
        field(b, "first_seen", Timestamps.rfc3339(i.firstSeen()));
        field(b, "detected_at", Timestamps.rfc3339(i.detectedAt()));
        field(b, "last_seen", Timestamps.rfc3339(i.lastSeen()));
        field(b, "severity", i.severity().name());
        field(b, "confidence", i.confidence());
        field(b, "summary", i.summary());
        field(b, "detector", i.detector());
        field(b, "detail", i.detail());
        b.append("\"evidence\":[");
        for (int k = 0; k < i.evidence().size(); k++) {
            EvidenceRef r = i.evidence().get(k);
            b.append(k == 0 ? "{" : ",{");
            field(b, "uid", r.flowUid());
            if (r.file() != null) {
                field(b, "community_id", r.communityId());
                field(b, "file", r.file());
                field(b, "offset", r.offset());
                b.append("\"length\":").append(r.length());
            } else {
                b.append("\"community_id\":");
                value(b, r.communityId());
            }
            b.append('}');
        }
        b.append("],");
        b.append("\"schema_version\":");
        value(b, SCHEMA_VERSION);
        return b.append('}').toString();
    }

    private static void field(StringBuilder b, String name, Object v) {
        value(b, name);
        b.append(':');
        value(b, v);
        b.append(',');
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof String s) {
            quote(b, s);
        } else if (v instanceof Double d) {
            b.append(d.isNaN() || d.isInfinite() ? "null" : d.toString());
        } else if (v instanceof Float f) {
            b.append(f.isNaN() || f.isInfinite() ? "null" : f.toString());
        } else if (v instanceof Number || v instanceof Boolean) {
            b.append(v);
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    b.append(',');
                }
                first = false;
                quote(b, String.valueOf(e.getKey()));
                b.append(':');
                value(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int k = 0; k < l.size(); k++) {
                if (k > 0) {
                    b.append(',');
                }
                value(b, l.get(k));
            }
            b.append(']');
        } else {
            quote(b, v.toString());
        }
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20) {
                        // As Jackson writes them (the app's writer): upper-case hex.
                        b.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
