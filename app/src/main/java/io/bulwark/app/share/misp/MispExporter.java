package io.bulwark.app.share.misp;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Facts;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.Technique;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Maps incidents to MISP events (MISP core format, the JSON of {@code /events/add}), one event
 * per incident: an incident is what a partner triages, scores and deletes, and its TLP level,
 * hence the event's distribution, is per incident. The same {@link Facts} as the STIX export,
 * so both say the same thing; the event uuid is a UUIDv5 of the same stable name, so a
 * re-export updates the partner's event instead of adding one.
 *
 * <p>Each event carries the addresses as ip-src/ip-dst attributes (to_ids only for the address
 * a partner should alert on: a C2 server, a loader, a compromised device, never a victim),
 * one network-connection object when both ends are known, else an ip-port object, and tags for
 * TLP, the botnet galaxy and the ATT&CK techniques. Objects carry no template_uuid: MISP
 * matches them to its templates by name.
 */
public final class MispExporter {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);
    private final ShareOptions options;

    public MispExporter(ShareOptions options) {
        this.options = options;
    }

    /** The events (a JSON array of {"Event": ...}), and how many incidents TLP withheld. */
    public record Export(ArrayNode events, int exported, int withheld) {
    }

    public Export export(List<Incident> incidents) {
        Facts.Selection sel = Facts.select(incidents, options);
        ArrayNode events = Json.MAPPER.createArrayNode();
        for (Facts f : sel.shared()) {
            events.addObject().set("Event", event(f));
        }
        int withheld = sel.withheld();
        return new Export(events, events.size(), withheld);
    }

    private ObjectNode event(Facts f) {
        Incident i = f.incident();
        String key = f.key();
        String ts = Long.toString(Math.max(i.detectedAt(), i.lastSeen()) / 1_000_000_000L);
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("uuid", uuid(key, "event").toString());
        e.put("info", "Bulwark: " + f.family() + " " + i.kind().name().replace('_', ' ') + " incident");
        e.put("date", DATE.format(Instant.ofEpochSecond(i.detectedAt() / 1_000_000_000L)));
        e.put("timestamp", ts);
        e.put("threat_level_id", switch (i.severity()) {
            case critical, high -> "1";
            case medium -> "2";
            case low -> "3";
        });
        e.put("analysis", "2"); // completed: the detector has decided
        e.put("distribution", distribution(f.tlp()));
        e.put("published", false);
        e.putObject("Orgc").put("name", options.operator());

        ArrayNode attributes = e.putArray("Attribute");
        attribute(attributes, key, "host", f.hostIsSource() ? "ip-src" : "ip-dst", f.host(), f, ts);
        if (f.peer() != null) {
            attribute(attributes, key, f.peerRole(), f.hostIsSource() ? "ip-dst" : "ip-src", f.peer(), f, ts);
        }

        ObjectNode o = e.putArray("Object").addObject();
        ArrayNode oa;
        if (f.peer() != null) {
            o.put("name", "network-connection");
            o.put("meta-category", "network");
            o.put("uuid", uuid(key, "network-connection").toString());
            o.put("timestamp", ts);
            oa = o.putArray("Attribute");
            IpAddr src = f.hostIsSource() ? f.host() : f.peer();
            IpAddr dst = f.hostIsSource() ? f.peer() : f.host();
            member(oa, "ip-src", "ip-src", src.toString());
            member(oa, "ip-dst", "ip-dst", dst.toString());
            f.dstPorts().forEach(p -> member(oa, "dst-port", "port", p.toString()));
            f.protocols().stream().limit(1).forEach(p -> member(oa, "layer4-protocol", "text", p.toUpperCase(java.util.Locale.ROOT)));
        } else {
            o.put("name", "ip-port");
            o.put("meta-category", "network");
            o.put("uuid", uuid(key, "ip-port").toString());
            o.put("timestamp", ts);
            oa = o.putArray("Attribute");
            member(oa, "ip", f.hostIsSource() ? "ip-src" : "ip-dst", f.host().toString());
            f.dstPorts().forEach(p -> member(oa, "dst-port", "port", p.toString()));
        }
        member(oa, "first-seen", "datetime", Instant.ofEpochSecond(0, i.firstSeen()).toString());
        member(oa, "last-seen", "datetime", Instant.ofEpochSecond(0, Math.max(i.firstSeen(), i.lastSeen())).toString());

        ArrayNode tags = e.putArray("Tag");
        tags.addObject().put("name", "tlp:" + f.tlp().label());
        tags.addObject().put("name", "misp-galaxy:botnet=\"" + f.family() + "\"");
        for (Technique t : f.techniques()) {
            String name = t.title().contains(": ") ? t.title().substring(t.title().indexOf(": ") + 2) : t.title();
            tags.addObject().put("name", "misp-galaxy:mitre-attack-pattern=\"" + name + " - " + t.id() + "\"");
        }
        return e;
    }

    private static void attribute(ArrayNode out, String key, String role, String type, IpAddr a, Facts f, String ts) {
        ObjectNode at = out.addObject();
        at.put("uuid", uuid(key, "attribute/" + role).toString());
        at.put("type", type);
        at.put("category", "Network activity");
        at.put("value", a.toString());
        boolean alert = a.equals(f.indicator()) && !f.indicatorType().equals("anomalous-activity");
        at.put("to_ids", alert);
        at.put("comment", role.equals("host") ? "the device (" + f.indicatorType() + ")" : "the " + role);
        at.put("timestamp", ts);
    }

    private static void member(ArrayNode out, String relation, String type, String value) {
        ObjectNode a = out.addObject();
        a.put("object_relation", relation);
        a.put("type", type);
        a.put("value", value);
    }

    private static java.util.UUID uuid(String key, String role) {
        return Uuid5.of(Uuid5.BULWARK, "misp/" + role + "/" + key);
    }

    /** MISP distribution: 0 your organisation only, 1 this community, 2 connected communities, 3 all. */
    static String distribution(Tlp t) {
        return switch (t) {
            case RED, AMBER_STRICT -> "0";
            case AMBER -> "1";
            case GREEN -> "2";
            case CLEAR -> "3";
        };
    }
}
