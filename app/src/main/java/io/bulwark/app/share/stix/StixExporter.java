package io.bulwark.app.share.stix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Facts;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.Technique;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps incidents to one STIX 2.1 bundle (docs/share.md). Per incident: an indicator, the
 * observed-data with its address and network-traffic SCOs, a sighting of the indicator by
 * the operator's identity, relationships, and a grouping of all of them. Shared by every
 * incident: the identity, the malware family, the ATT&CK attack-patterns, "malware uses
 * attack-pattern", all marked TLP:CLEAR (public knowledge), and the TLP marking definitions.
 *
 * <p>Deterministic: the same incidents and options give the same bytes, so a re-export
 * updates objects at a partner instead of duplicating them. Incidents marked above the
 * partner's level are left out whole. Not thread-safe per call; holds no state between calls.
 */
public final class StixExporter {
    /** created/modified of the shared objects: the date this mapping was written. Bump on change. */
    static final long SHARED_CREATED = java.time.Instant.parse("2026-11-27T00:00:00Z").getEpochSecond() * 1_000_000_000L;
    /** How long an indicator stays valid after the incident's last traffic. */
    static final long VALIDITY_NANOS = 30L * 86_400 * 1_000_000_000L;
    /** Evidence references per observed-data, at most. */
    static final int MAX_EVIDENCE = 20;

    private final ShareOptions options;

    public StixExporter(ShareOptions options) {
        this.options = options;
    }

    /** The bundle, and how many incidents went in and were withheld by TLP. */
    public record Export(ObjectNode bundle, int exported, int withheld) {
    }

    public Export export(List<Incident> incidents) {
        Facts.Selection sel = Facts.select(incidents, options);
        Map<String, ObjectNode> objects = new LinkedHashMap<>();
        Set<Tlp> used = EnumSet.noneOf(Tlp.class);
        int exported = sel.shared().size();
        int withheld = sel.withheld();
        for (Facts f : sel.shared()) {
            used.add(f.tlp());
            used.add(Tlp.CLEAR);
            incident(f, objects);
        }
        ObjectNode bundle = Json.MAPPER.createObjectNode();
        bundle.put("type", "bundle");
        ArrayNode all = Json.MAPPER.createArrayNode();
        StringBuilder ids = new StringBuilder();
        for (Tlp t : used) {
            all.add(StixBuilder.marking(t));
            ids.append(t.stixId()).append('\n');
        }
        for (ObjectNode o : objects.values()) {
            all.add(o);
            ids.append(o.get("id").asText()).append('\n');
        }
        bundle.put("id", "bundle--" + Uuid5.of(Uuid5.BULWARK, "bundle/" + ids));
        if (!all.isEmpty()) {
            bundle.set("objects", all); // STIX lists are never empty: a bundle with nothing to share omits it
        }
        return new Export(bundle, exported, withheld);
    }

    /**
     * {@code modified} of an incident's objects: its last traffic, plus one millisecond per TLP
     * rank (clear 0 .. red 4), so that re-marking an incident gives a new version rather than a
     * duplicate of the old one that consumers would drop. A stricter marking is always the newer.
     */
    static long modified(Incident i, Tlp tlp) {
        return Math.max(i.detectedAt(), i.lastSeen()) + tlp.ordinal() * 1_000_000L;
    }

    private void incident(Facts f, Map<String, ObjectNode> out) {
        Incident i = f.incident();
        Tlp tlp = f.tlp();
        String key = f.key();
        long modified = modified(i, tlp);
        long end = Math.max(i.firstSeen(), i.lastSeen());
        String identity = shared(out, identity());
        List<String> group = new ArrayList<>();
        group.add(identity);

        // Observables: real addresses only. A pseudonym is never an ipv4-addr/ipv6-addr value
        // (a Crypto-PAn output is usually somebody's real address); it travels as a named
        // custom property of the observed-data and of the infrastructure object for its role.
        List<String> refs = new ArrayList<>();
        String host = f.pseudonym(f.host()) ? null : put(out, address(f.host(), tlp), refs);
        String peer = f.peer() == null || f.pseudonym(f.peer()) ? null : put(out, address(f.peer(), tlp), refs);
        String src = f.hostIsSource() ? host : peer;
        String dst = f.hostIsSource() ? peer : host;
        if (src != null || dst != null) {
            List<Integer> ports = f.dstPorts().isEmpty() ? java.util.Collections.singletonList(null) : f.dstPorts();
            for (Integer port : ports) {
                ObjectNode c = Json.MAPPER.createObjectNode();
                c.put("start", StixBuilder.time(i.firstSeen()));
                c.put("end", StixBuilder.time(end));
                if (src != null) {
                    c.put("src_ref", src);
                }
                if (dst != null) {
                    c.put("dst_ref", dst);
                }
                if (port != null) {
                    c.put("dst_port", port);
                }
                ArrayNode protocols = c.putArray("protocols");
                protocols.add(f.host().isV4() ? "ipv4" : "ipv6");
                f.protocols().forEach(protocols::add);
                put(out, StixBuilder.sco("network-traffic", c, null, tlp), refs);
            }
        }
        group.addAll(refs);

        String observed = null;
        if (!refs.isEmpty()) { // observed-data needs at least one SCO
            ObjectNode od = StixBuilder.sdo("observed-data", key, identity, i.detectedAt(), modified, tlp);
            od.put("first_observed", StixBuilder.time(i.firstSeen()));
            od.put("last_observed", StixBuilder.time(end));
            od.put("number_observed", Math.min(f.count(), 999_999_999L));
            StixBuilder.list(od, "object_refs", refs);
            pseudonyms(od, f);
            evidence(od, i);
            observed = put(out, od, group);
        }

        String malware = f.family() == null ? null : shared(out, malware(f.family()));
        if (malware != null) {
            group.add(malware);
        }
        String indicator = null;
        if (f.indicator() != null) {
            ObjectNode ind = StixBuilder.sdo("indicator", key, identity, i.detectedAt(), modified, tlp);
            ind.put("name", (f.family() == null ? "" : f.family() + " ") + i.kind().name().replace('_', ' ')
                    + ": " + role(f, f.indicator()));
            ind.put("description", describe(f));
            ind.putArray("indicator_types").add(f.indicatorType());
            String type = f.indicator().isV4() ? "ipv4-addr" : "ipv6-addr";
            ind.put("pattern", "[" + type + ":value = '" + f.indicator() + "']");
            ind.put("pattern_type", "stix");
            ind.put("pattern_version", "2.1");
            ind.put("valid_from", StixBuilder.time(i.detectedAt()));
            ind.put("valid_until", StixBuilder.time(modified + VALIDITY_NANOS));
            phases(ind, f.techniques());
            indicator = put(out, ind, group);
            if (malware != null) {
                group.add(put(out, relationship(key + "|indicates|" + malware, indicator, "indicates", malware, identity,
                        i.detectedAt(), modified, tlp), null));
            }
        }
        for (Technique t : f.techniques()) {
            String ap = shared(out, attackPattern(t));
            group.add(ap);
            if (indicator != null) {
                group.add(put(out, relationship(key + "|indicates|" + ap, indicator, "indicates", ap, identity,
                        i.detectedAt(), modified, tlp), null));
            }
            if (malware != null) {
                group.add(shared(out, relationship(malware + "|uses|" + ap, malware, "uses", ap, identity,
                        SHARED_CREATED, SHARED_CREATED, Tlp.CLEAR)));
            }
        }

        // Every address that is not the indicator: an infrastructure object naming its role
        // (a victim is a target, never an indicator), with the pseudonym or the real address.
        String hostInfra = null;
        for (IpAddr a : new IpAddr[]{f.host(), f.peer()}) {
            if (a == null || a.equals(f.indicator())) {
                continue;
            }
            String part = a == f.host() ? "host" : "peer";
            ObjectNode inf = StixBuilder.sdo("infrastructure", key + "|" + part, identity, i.detectedAt(), modified, tlp);
            boolean victim = a.equals(f.victim());
            boolean pseudonym = f.pseudonym(a);
            inf.put("name", "Bulwark " + i.kind().name().replace('_', ' ') + " " + role(f, a)
                    + (pseudonym ? " (pseudonymised address)" : ""));
            inf.put("description", infraDescription(f, a, victim, pseudonym));
            inf.putArray("infrastructure_types").add(victim || !a.equals(f.attacker()) ? "unknown"
                    : "c2".equals(f.peerRole()) && a == f.peer() ? "command-and-control"
                    : "loader".equals(f.peerRole()) && a == f.peer() ? "hosting-malware" : "botnet");
            ArrayNode labels = inf.putArray("labels").add(victim ? "victim" : a.equals(f.attacker()) ? "attacker" : "device");
            if (pseudonym) {
                labels.add("pseudonymised-address");
                pseudonym(inf.putObject("x_bulwark_pseudonym"), a);
            }
            inf.put("x_bulwark_role", victim ? "target" : a.equals(f.attacker()) ? "attacker" : "device");
            String id = put(out, inf, group);
            if (a == f.host()) {
                hostInfra = id;
            }
            String sco = a == f.host() ? host : peer;
            if (sco != null) {
                group.add(put(out, relationship(key + "|" + part + "|consists-of", id, "consists-of", sco, identity,
                        i.detectedAt(), modified, tlp), null));
            }
            if (victim && malware != null) {
                group.add(put(out, relationship(key + "|" + part + "|targets", malware, "targets", id, identity,
                        i.detectedAt(), modified, tlp), null));
            }
        }

        ObjectNode s = StixBuilder.sdo("sighting", key, identity, i.detectedAt(), modified, tlp);
        s.put("first_seen", StixBuilder.time(i.firstSeen()));
        s.put("last_seen", StixBuilder.time(end));
        s.put("count", Math.min(f.count(), 999_999_999L));
        s.put("sighting_of_ref", indicator != null ? indicator : hostInfra);
        if (observed != null) {
            s.putArray("observed_data_refs").add(observed);
        }
        s.putArray("where_sighted_refs").add(identity);
        put(out, s, group);

        ObjectNode g = StixBuilder.sdo("grouping", key, identity, i.detectedAt(), modified, tlp);
        g.put("name", "Bulwark " + i.kind().name().replace('_', ' ') + " incident");
        g.put("description", describe(f));
        g.put("context", "suspicious-activity");
        StixBuilder.list(g, "object_refs", group.stream().distinct().toList());
        if (options.realAddresses()) {
            g.putArray("external_references").addObject().put("source_name", "bulwark").put("external_id", i.id());
        }
        out.put(g.get("id").asText(), g);
    }

    /** The observed-data's pseudonymised ends, by traffic direction, since they are not SCOs. */
    private static void pseudonyms(ObjectNode od, Facts f) {
        ArrayNode a = null;
        for (IpAddr p : new IpAddr[]{f.host(), f.peer()}) {
            if (f.pseudonym(p)) {
                if (a == null) {
                    a = od.putArray("x_bulwark_pseudonyms");
                    od.putArray("labels").add("pseudonymised-address");
                }
                boolean source = (p == f.host()) == f.hostIsSource();
                pseudonym(a.addObject().put("direction", source ? "source" : "destination"), p);
            }
        }
    }

    private static void pseudonym(ObjectNode o, IpAddr a) {
        o.put("pseudonym", a.toString());
        o.put("scheme", "crypto-pan");
        o.put("note", "Not a real address: a Crypto-PAn pseudonym, prefix-preserving. Do not block, alert on or "
                + "report it. Only the key holder can map it back (docs/share.md).");
    }

    /** What an address was in the incident: "C2 server", "loader or download server", "target", "bot", "device". */
    public static String role(Facts f, IpAddr a) {
        if (a.equals(f.peer()) && f.peerRole() != null) {
            return switch (f.peerRole()) {
                case "c2" -> "C2 server";
                case "loader" -> "loader or download server";
                default -> "target";
            };
        }
        if (a.equals(f.victim())) {
            return "target";
        }
        if (f.incident().kind() == io.bulwark.detect.Kind.policy) {
            return "device departing from its MUD profile";
        }
        if (a.equals(f.attacker()) || f.incident().kind() == io.bulwark.detect.Kind.c2) {
            return "bot";
        }
        return "device";
    }

    private static String infraDescription(Facts f, IpAddr a, boolean victim, boolean pseudonym) {
        String what = victim
                ? "The target of the activity, not its source: do not block or alert on it."
                : a.equals(f.attacker())
                ? "The source of the activity, shared without a pattern because its address is "
                + (pseudonym ? "a pseudonym." : "private (it would match a partner's own hosts).")
                : f.incident().kind() == io.bulwark.detect.Kind.c2
                ? "The device that contacted the C2 server: a bot, itself a victim of the malware; no pattern."
                : "The device concerned, not shown to be an attacker; no pattern.";
        return what + (pseudonym ? " x_bulwark_pseudonym is not a real address." : "");
    }

    /** Flow uids and Community IDs join the export to the operator's own records (architecture.md rule 11). */
    private void evidence(ObjectNode od, Incident i) {
        if (!options.realAddresses() || i.evidence().isEmpty()) {
            return; // both are derived from the real 5-tuple: see ShareOptions.realAddresses
        }
        ArrayNode refs = od.putArray("external_references");
        for (EvidenceRef r : i.evidence().subList(0, Math.min(MAX_EVIDENCE, i.evidence().size()))) {
            ObjectNode e = refs.addObject().put("source_name", "community-id");
            e.put("external_id", r.communityId());
            e.put("description", "flow uid " + r.flowUid());
        }
    }

    private static String put(Map<String, ObjectNode> out, ObjectNode o, List<String> refs) {
        String id = o.get("id").asText();
        out.putIfAbsent(id, o);
        if (refs != null && !refs.contains(id)) {
            refs.add(id);
        }
        return id;
    }

    private static String shared(Map<String, ObjectNode> out, ObjectNode o) {
        return put(out, o, null);
    }

    private ObjectNode identity() {
        ObjectNode o = StixBuilder.sdo("identity", options.operator(), null, SHARED_CREATED, SHARED_CREATED, Tlp.CLEAR);
        o.put("name", options.operator());
        o.put("identity_class", "organization");
        return o;
    }

    private ObjectNode malware(String family) {
        ObjectNode o = StixBuilder.sdo("malware", family.toLowerCase(Locale.ROOT), null, SHARED_CREATED,
                SHARED_CREATED, Tlp.CLEAR);
        o.put("name", family);
        o.put("is_family", true);
        o.putArray("malware_types").add("bot");
        return o;
    }

    private static ObjectNode attackPattern(Technique t) {
        ObjectNode o = StixBuilder.sdo("attack-pattern", t.id(), null, SHARED_CREATED, SHARED_CREATED, Tlp.CLEAR);
        o.put("name", t.title());
        o.putArray("external_references").addObject()
                .put("source_name", "mitre-attack").put("external_id", t.id()).put("url", t.url());
        phases(o, List.of(t));
        return o;
    }

    private static void phases(ObjectNode o, List<Technique> ts) {
        if (ts.isEmpty()) {
            return;
        }
        ArrayNode a = o.putArray("kill_chain_phases");
        ts.stream().map(Technique::tactic).distinct().forEach(p ->
                a.addObject().put("kill_chain_name", "mitre-attack").put("phase_name", p));
    }

    private static ObjectNode relationship(String name, String from, String type, String to, String by,
                                           long created, long modified, Tlp tlp) {
        ObjectNode o = StixBuilder.sdo("relationship", name, by, created, modified, tlp);
        o.put("relationship_type", type);
        o.put("source_ref", from);
        o.put("target_ref", to);
        return o;
    }

    private static ObjectNode address(IpAddr a, Tlp tlp) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("value", a.toString());
        return StixBuilder.sco(a.isV4() ? "ipv4-addr" : "ipv6-addr", c, null, tlp);
    }

    /** Never the incident's summary: it names the real host. */
    static String describe(Facts f) {
        String what = switch (f.incident().kind()) {
            case scan -> "A device scanned TCP ports as the bot spreads";
            case bruteforce -> f.hostIsSource() ? "A device guessed telnet/SSH passwords on other hosts"
                    : "A device's telnet/SSH login was brute-forced";
            case infection -> "A device was infected: the bot's binary was transferred to it";
            case c2 -> "A device kept contact with a command-and-control server";
            case ddos -> "A device took part in a denial-of-service flood";
            case ddos_target -> "A device was the target of a denial-of-service flood";
            case policy -> "A device's traffic departed from its declared MUD (RFC 8520) profile";
            default -> "Suspicious activity of a device";
        };
        return what + " (" + (f.family() == null ? "" : f.family() + ", ") + "Bulwark " + f.incident().kind().name() + ", severity "
                + f.incident().severity().name() + ").";
    }
}
