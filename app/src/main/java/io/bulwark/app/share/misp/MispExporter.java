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
 * <p>Each event carries the real addresses as ip-src/ip-dst attributes (to_ids only for the
 * attacker, when real and public: a C2 server, a loader, a flooding or scanning bot, never a
 * victim) and pseudonyms as text attributes that never correlate or reach an IDS;
 * one network-connection object when both ends are real, else an ip-port object (every object
 * attribute with an explicit to_ids), and tags for
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
        // One second per TLP rank, as StixExporter.modified: a re-marked event is a newer version.
        String ts = Long.toString(Math.max(i.detectedAt(), i.lastSeen()) / 1_000_000_000L + f.tlp().ordinal());
        ObjectNode e = Json.MAPPER.createObjectNode();
        e.put("uuid", uuid(key, "event").toString());
        e.put("info", "Bulwark: " + (f.family() == null ? "" : f.family() + " ") + i.kind().name().replace('_', ' ') + " incident");
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

        // Objects hold real addresses only: a pseudonym is a "text" attribute above, never an ip.
        IpAddr host = f.pseudonym(f.host()) ? null : f.host();
        IpAddr peer = f.peer() == null || f.pseudonym(f.peer()) ? null : f.peer();
        ObjectNode o = e.putArray("Object").addObject();
        ArrayNode oa;
        if (host != null && peer != null) {
            o.put("name", "network-connection");
            o.put("meta-category", "network");
            o.put("uuid", uuid(key, "network-connection").toString());
            o.put("timestamp", ts);
            oa = o.putArray("Attribute");
            IpAddr src = f.hostIsSource() ? host : peer;
            IpAddr dst = f.hostIsSource() ? peer : host;
            member(oa, "ip-src", "ip-src", src.toString(), src.equals(f.indicator()));
            member(oa, "ip-dst", "ip-dst", dst.toString(), dst.equals(f.indicator()));
            f.dstPorts().forEach(p -> member(oa, "dst-port", "port", p.toString(), false));
            f.protocols().stream().limit(1).forEach(p -> member(oa, "layer4-protocol", "text",
                    p.toUpperCase(java.util.Locale.ROOT), false));
        } else {
            o.put("name", "ip-port");
            o.put("meta-category", "network");
            o.put("uuid", uuid(key, "ip-port").toString());
            o.put("timestamp", ts);
            oa = o.putArray("Attribute");
            IpAddr a = host != null ? host : peer;
            if (a != null) {
                boolean src = (a == host) == f.hostIsSource();
                member(oa, "ip", src ? "ip-src" : "ip-dst", a.toString(), a.equals(f.indicator()));
            }
            f.dstPorts().forEach(p -> member(oa, "dst-port", "port", p.toString(), false));
        }
        member(oa, "first-seen", "datetime", Instant.ofEpochSecond(0, i.firstSeen()).toString(), false);
        member(oa, "last-seen", "datetime", Instant.ofEpochSecond(0, Math.max(i.firstSeen(), i.lastSeen())).toString(), false);

        ArrayNode tags = e.putArray("Tag");
        tags.addObject().put("name", "tlp:" + f.tlp().label());
        if (f.family() != null) { // only when the evidence names it (Facts.family)
            tags.addObject().put("name", "misp-galaxy:botnet=\"" + f.family() + "\"");
        }
        for (Technique t : f.techniques()) {
            String name = t.title().contains(": ") ? t.title().substring(t.title().indexOf(": ") + 2) : t.title();
            tags.addObject().put("name", "misp-galaxy:mitre-attack-pattern=\"" + name + " - " + t.id() + "\"");
        }
        return e;
    }

    private static void attribute(ArrayNode out, String key, String role, String type, IpAddr a, Facts f, String ts) {
        ObjectNode at = out.addObject();
        at.put("uuid", uuid(key, "attribute/" + role).toString());
        String r = io.bulwark.app.share.stix.StixExporter.role(f, a);
        String what = role.equals("host") ? "the device (" + r + ")" : "the " + r;
        if (f.pseudonym(a)) {
            // Not an ip-src/ip-dst: MISP would correlate it with, and feed to IDSs as, somebody's real address.
            at.put("type", "text");
            at.put("category", "Other");
            at.put("value", a.toString());
            at.put("to_ids", false);
            at.put("disable_correlation", true);
            at.put("comment", "Crypto-PAn pseudonym of " + what + ": not a real address, do not block or alert on it;"
                    + " only the key holder can map it back");
        } else {
            at.put("type", type);
            at.put("category", "Network activity");
            at.put("value", a.toString());
            at.put("to_ids", a.equals(f.indicator())); // the attacker, real and public; never a victim
            at.put("comment", what);
        }
        at.put("timestamp", ts);
    }

    private static void member(ArrayNode out, String relation, String type, String value, boolean toIds) {
        ObjectNode a = out.addObject();
        a.put("object_relation", relation);
        a.put("type", type);
        a.put("value", value);
        a.put("to_ids", toIds);
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
