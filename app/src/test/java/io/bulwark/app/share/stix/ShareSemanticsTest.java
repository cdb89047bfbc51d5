package io.bulwark.app.share.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.anonymise.CryptoPan;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Facts;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.ShareTraffic;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;
import io.bulwark.app.share.misp.MispExporter;
import io.bulwark.detect.Kind;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the exports say to a partner, tried as a partner's automatic ingest would read them
 * (issue 20, items 2 to 5): no pattern a partner could match on a pseudonym, a victim or a
 * private address; pseudonyms named as such; every MISP object attribute with to_ids;
 * network-traffic ids per STIX 2.1 section 2.9 with {@code end}; a new {@code modified} on
 * re-marking; a family only where the evidence names it.
 */
class ShareSemanticsTest {
    /** Real Crypto-PAn, as {@code --pseudonymise-key} gives it: its outputs look like anybody's public address. */
    static final CryptoPan PAN = new CryptoPan(
            HexFormat.of().parseHex("21228d8d33a4cf80130a5b16499078107d8dcf83797965276257ba2d2a842202"));
    static final Pattern PATTERN = Pattern.compile("^\\[(ipv4-addr|ipv6-addr):value = '([^']+)'\\]$");

    static ShareOptions pseudonymised() {
        return ShareOptions.defaults(Tlp.RED).withPseudonymise(PAN::anonymise);
    }

    static List<JsonNode> objects(ObjectNode bundle, String type) {
        List<JsonNode> out = new ArrayList<>();
        bundle.get("objects").forEach(o -> {
            if (o.get("type").asText().equals(type)) {
                out.add(o);
            }
        });
        return out;
    }

    /** The address each indicator's pattern matches, parsed with the one form Bulwark writes. */
    static Map<String, IpAddr> patterns(ObjectNode bundle) {
        Map<String, IpAddr> out = new HashMap<>();
        for (JsonNode ind : objects(bundle, "indicator")) {
            Matcher m = PATTERN.matcher(ind.get("pattern").asText());
            assertThat(m.matches()).as(ind.get("pattern").asText()).isTrue();
            IpAddr a = IpAddr.parse(m.group(2));
            assertThat(a).isNotNull();
            out.put(ind.get("id").asText(), a);
        }
        return out;
    }

    static void validates(ObjectNode bundle) {
        List<String> violations = new ArrayList<>();
        bundle.get("objects").forEach(o -> violations.addAll(StixSchemas.violations(o)));
        assertThat(violations).isEmpty();
        ObjectNode envelope = bundle.deepCopy();
        ArrayNode kept = envelope.putArray("objects");
        bundle.get("objects").forEach(o -> {
            if (!o.get("type").asText().equals("grouping")) {
                kept.add(o);
            }
        });
        assertThat(StixSchemas.violations(envelope)).isEmpty();
    }

    /** Every address Crypto-PAn produced for this export: the devices and local peers. */
    static Set<IpAddr> pseudonymsOf(ShareOptions o) {
        Set<IpAddr> out = new java.util.HashSet<>();
        for (Incident i : ShareTraffic.incidents()) {
            Facts f = Facts.of(i, o);
            out.addAll(f.pseudonyms());
        }
        return out;
    }

    @Test
    void pseudonymised_noPatternNoScoNoMispIp_onAnyPseudonym_andEachIsNamedAndLabelled() throws Exception {
        ShareOptions o = pseudonymised();
        Set<IpAddr> pseudonyms = pseudonymsOf(o);
        assertThat(pseudonyms).hasSizeGreaterThan(3);
        ObjectNode bundle = new StixExporter(o).export(ShareTraffic.incidents()).bundle();
        validates(bundle);

        // No pattern on a pseudonym; the public C2 server is still an indicator.
        Map<String, IpAddr> patterns = patterns(bundle);
        assertThat(patterns.values()).doesNotContainAnyElementsOf(pseudonyms).contains(IpAddr.parse("75.55.25.184"));
        // Nor an address SCO with a pseudonym as value: importers turn those into observables.
        for (String t : List.of("ipv4-addr", "ipv6-addr")) {
            for (JsonNode sco : objects(bundle, t)) {
                assertThat(pseudonyms).doesNotContain(IpAddr.parse(sco.get("value").asText()));
            }
        }
        // Every pseudonym travels in a named custom property, on an object labelled as such.
        Set<IpAddr> carried = new java.util.HashSet<>();
        for (JsonNode obj : bundle.get("objects")) {
            List<JsonNode> holders = new ArrayList<>();
            if (obj.has("x_bulwark_pseudonym")) {
                holders.add(obj.get("x_bulwark_pseudonym"));
            }
            if (obj.has("x_bulwark_pseudonyms")) {
                obj.get("x_bulwark_pseudonyms").forEach(holders::add);
            }
            for (JsonNode h : holders) {
                assertThat(h.get("scheme").asText()).isEqualTo("crypto-pan");
                assertThat(h.get("note").asText()).contains("Not a real address");
                carried.add(IpAddr.parse(h.get("pseudonym").asText()));
                assertThat(obj.get("labels").toString()).contains("pseudonymised-address");
            }
        }
        assertThat(carried).isEqualTo(pseudonyms);
        // The key holder maps each back to the device.
        Set<String> hosts = new TreeSet<>();
        ShareTraffic.incidents().forEach(i -> hosts.add(i.host()));
        Set<String> back = new TreeSet<>();
        carried.forEach(p -> back.add(PAN.deanonymise(p).toString()));
        assertThat(back).containsAll(hosts);

        // MISP: a pseudonym is a text attribute that neither correlates nor reaches an IDS.
        ArrayNode events = new MispExporter(o).export(ShareTraffic.incidents()).events();
        for (JsonNode w : events) {
            JsonNode e = w.get("Event");
            for (JsonNode a : e.get("Attribute")) {
                IpAddr v = IpAddr.parse(a.get("value").asText());
                if (pseudonyms.contains(v)) {
                    assertThat(a.get("type").asText()).isEqualTo("text");
                    assertThat(a.get("to_ids").asBoolean()).isFalse();
                    assertThat(a.get("disable_correlation").asBoolean()).isTrue();
                    assertThat(a.get("comment").asText()).contains("pseudonym");
                }
            }
            for (JsonNode obj : e.get("Object")) {
                for (JsonNode a : obj.get("Attribute")) {
                    IpAddr v = IpAddr.parse(a.get("value").asText());
                    assertThat(v == null || !pseudonyms.contains(v)).as(a.toString()).isTrue();
                }
            }
        }
    }

    /** The victim addresses of one incident, real (unpseudonymised) export. */
    static Set<IpAddr> victims(Incident i) {
        Set<IpAddr> v = new java.util.HashSet<>();
        Map<String, Object> d = i.detail();
        switch (i.kind()) {
            case ddos_target, infection -> v.add(IpAddr.parse(i.host()));
            case bruteforce -> {
                if ("inbound".equals(d.get("direction"))) {
                    v.add(IpAddr.parse(i.host()));
                }
            }
            case ddos -> {
                if (d.get("victim") instanceof String s) {
                    v.add(IpAddr.parse(s));
                }
            }
            default -> {
            }
        }
        return v;
    }

    @Test
    void victims_areNeverIndicators_evenWithPrivateAddressesAllowed_andAttackersAreSources() {
        // Private addresses allowed, so that a victim on the LAN would show if mapped as an indicator.
        ShareOptions o = ShareOptions.defaults(Tlp.RED).withPrivateInPatterns(true);
        ObjectNode bundle = new StixExporter(o).export(ShareTraffic.incidents()).bundle();
        validates(bundle);
        Map<String, JsonNode> byId = new HashMap<>();
        bundle.get("objects").forEach(x -> byId.put(x.get("id").asText(), x));
        Map<String, IpAddr> patterns = patterns(bundle);
        Set<Kind> victimKinds = new TreeSet<>();
        int withSrc = 0;
        for (Incident i : ShareTraffic.incidents()) {
            Facts f = Facts.of(i, o);
            JsonNode g = byId.get(StixBuilder.id("grouping", f.key()));
            assertThat(g).as("grouping of " + i.id()).isNotNull();
            Set<IpAddr> victims = victims(i);
            List<String> refs = new ArrayList<>();
            g.get("object_refs").forEach(r -> refs.add(r.asText()));
            for (String r : refs) {
                if (patterns.containsKey(r)) {
                    assertThat(victims).as(i.kind() + " indicator on its victim").doesNotContain(patterns.get(r));
                }
                JsonNode x = byId.get(r);
                if (x.get("type").asText().equals("relationship") && x.get("relationship_type").asText().equals("indicates")) {
                    assertThat(victims).doesNotContain(patterns.get(x.get("source_ref").asText()));
                }
            }
            if (!victims.isEmpty()) {
                victimKinds.add(i.kind());
                // The victim is an infrastructure object in the role of target, and sighted.
                assertThat(refs.stream().map(byId::get).filter(x -> x.get("type").asText().equals("infrastructure")))
                        .anySatisfy(x -> {
                            assertThat(x.get("x_bulwark_role").asText()).isEqualTo("target");
                            assertThat(x.get("labels").toString()).contains("victim");
                        });
            }
            // The flooding bot and the C2 server are the traffic's src_ref and the pattern.
            if (i.kind() == Kind.ddos || i.kind() == Kind.c2) {
                IpAddr attacker = i.kind() == Kind.ddos ? IpAddr.parse(i.host()) : IpAddr.parse((String) i.detail().get("peer"));
                assertThat(refs.stream().filter(patterns::containsKey).map(patterns::get)).containsExactly(attacker);
                for (String r : refs) {
                    JsonNode x = byId.get(r);
                    if (x.get("type").asText().equals("network-traffic")) {
                        assertThat(x.has("src_ref")).isTrue();
                        withSrc++;
                        String src = x.get("src_ref").asText();
                        if (i.kind() == Kind.ddos) {
                            assertThat(byId.get(src).get("value").asText()).isEqualTo(attacker.toString());
                        }
                    }
                }
            }
        }
        assertThat(victimKinds).contains(Kind.ddos, Kind.ddos_target, Kind.infection);
        assertThat(withSrc).isPositive();

        // MISP: to_ids false on every victim, at the top level and in objects.
        ArrayNode events = new MispExporter(o).export(ShareTraffic.incidents()).events();
        List<Incident> sorted = Facts.select(ShareTraffic.incidents(), o).shared().stream().map(Facts::incident).toList();
        assertThat(events).hasSize(sorted.size());
        for (int k = 0; k < sorted.size(); k++) {
            Set<IpAddr> victims = victims(sorted.get(k));
            JsonNode e = events.get(k).get("Event");
            List<JsonNode> all = new ArrayList<>();
            e.get("Attribute").forEach(all::add);
            e.get("Object").forEach(obj -> obj.get("Attribute").forEach(all::add));
            for (JsonNode a : all) {
                IpAddr v = IpAddr.parse(a.get("value").asText());
                if (v != null && victims.contains(v)) {
                    assertThat(a.get("to_ids").asBoolean()).as(sorted.get(k).kind() + " victim " + a).isFalse();
                }
            }
        }
    }

    @Test
    void privateAddresses_notInPatternsByDefault_onRequestOnlyForAttackers() {
        ObjectNode plain = new StixExporter(ShareOptions.defaults(Tlp.RED)).export(ShareTraffic.incidents()).bundle();
        validates(plain);
        Map<String, IpAddr> patterns = patterns(plain);
        assertThat(patterns).isNotEmpty();
        assertThat(patterns.values()).noneMatch(Facts::isPrivate);
        // The LAN devices are still there, as observed data.
        assertThat(objects(plain, "ipv4-addr")).anySatisfy(a -> assertThat(Facts.isPrivate(IpAddr.parse(a.get("value").asText()))).isTrue());
        // MISP: no private address with to_ids.
        for (JsonNode w : new MispExporter(ShareOptions.defaults(Tlp.RED)).export(ShareTraffic.incidents()).events()) {
            List<JsonNode> all = new ArrayList<>();
            w.get("Event").get("Attribute").forEach(all::add);
            w.get("Event").get("Object").forEach(obj -> obj.get("Attribute").forEach(all::add));
            for (JsonNode a : all) {
                IpAddr v = IpAddr.parse(a.get("value").asText());
                if (v != null && Facts.isPrivate(v)) {
                    assertThat(a.get("to_ids").asBoolean()).as(a.toString()).isFalse();
                }
            }
        }
        Map<String, IpAddr> allowed = patterns(new StixExporter(ShareOptions.defaults(Tlp.RED).withPrivateInPatterns(true))
                .export(ShareTraffic.incidents()).bundle());
        assertThat(allowed.values()).anyMatch(Facts::isPrivate);
        assertThat(allowed.size()).isGreaterThan(patterns.size());
    }

    @Test
    void everyMispObjectAttribute_hasToIds() {
        for (ShareOptions o : List.of(ShareOptions.defaults(Tlp.RED), pseudonymised(),
                ShareOptions.defaults(Tlp.RED).withPrivateInPatterns(true))) {
            int n = 0;
            for (JsonNode w : new MispExporter(o).export(ShareTraffic.incidents()).events()) {
                for (JsonNode obj : w.get("Event").get("Object")) {
                    for (JsonNode a : obj.get("Attribute")) {
                        assertThat(a.has("to_ids") && a.get("to_ids").isBoolean()).as(a.toString()).isTrue();
                        n++;
                    }
                }
                for (JsonNode a : w.get("Event").get("Attribute")) {
                    assertThat(a.get("to_ids").isBoolean()).isTrue();
                }
            }
            assertThat(n).isGreaterThan(ShareTraffic.incidents().size());
        }
    }

    @Test
    void reMarking_givesNewModified_stixAndMisp() {
        ShareOptions amber = ShareOptions.defaults(Tlp.RED).withMarking(Tlp.AMBER);
        ShareOptions red = ShareOptions.defaults(Tlp.RED).withMarking(Tlp.RED);
        Map<String, JsonNode> before = new HashMap<>();
        new StixExporter(amber).export(ShareTraffic.incidents()).bundle().get("objects")
                .forEach(x -> before.put(x.get("id").asText(), x));
        int compared = 0;
        for (JsonNode x : new StixExporter(red).export(ShareTraffic.incidents()).bundle().get("objects")) {
            JsonNode old = before.get(x.get("id").asText());
            if (old == null || !x.has("modified") || x.get("object_marking_refs").get(0).asText().equals(Tlp.CLEAR.stixId())) {
                continue; // shared objects are TLP:CLEAR whatever the incident's marking
            }
            assertThat(old.get("object_marking_refs").get(0).asText()).isEqualTo(Tlp.AMBER.stixId());
            assertThat(x.get("object_marking_refs").get(0).asText()).isEqualTo(Tlp.RED.stixId());
            assertThat(java.time.Instant.parse(x.get("modified").asText()))
                    .as(x.get("id").asText()).isAfter(java.time.Instant.parse(old.get("modified").asText()));
            compared++;
        }
        assertThat(compared).isGreaterThan(ShareTraffic.incidents().size());
        ArrayNode a = new MispExporter(amber).export(ShareTraffic.incidents()).events();
        ArrayNode r = new MispExporter(red).export(ShareTraffic.incidents()).events();
        for (int k = 0; k < a.size(); k++) {
            assertThat(r.get(k).get("Event").get("uuid")).isEqualTo(a.get(k).get("Event").get("uuid"));
            assertThat(Long.parseLong(r.get(k).get("Event").get("timestamp").asText()))
                    .isGreaterThan(Long.parseLong(a.get(k).get("Event").get("timestamp").asText()));
        }
    }

    @Test
    void networkTrafficIds_followSection29_withEnd() {
        ObjectNode bundle = new StixExporter(ShareOptions.defaults(Tlp.RED)).export(ShareTraffic.incidents()).bundle();
        List<JsonNode> traffic = objects(bundle, "network-traffic");
        assertThat(traffic).isNotEmpty();
        for (JsonNode t : traffic) {
            assertThat(t.has("end")).isTrue();
            ObjectNode c = Json.MAPPER.createObjectNode();
            for (String p : List.of("start", "end", "src_ref", "dst_ref", "src_port", "dst_port", "protocols", "extensions")) {
                if (t.has(p)) {
                    c.set(p, t.get(p));
                }
            }
            String expected = "network-traffic--" + Uuid5.of(Uuid5.STIX_SCO, Jcs.canonical(c).getBytes(StandardCharsets.UTF_8));
            assertThat(t.get("id").asText()).isEqualTo(expected);
        }
        // Traffic seen for longer is another observation: another id.
        Incident i = ShareTraffic.incidents().stream().filter(x -> x.kind() == Kind.c2).findFirst().orElseThrow();
        Incident longer = new Incident(i.id(), i.kind(), i.host(), i.mac(), i.firstSeen(), i.detectedAt(),
                i.lastSeen() + 60_000_000_000L, i.severity(), i.confidence(), i.summary(), i.detector(), i.detail(), i.evidence());
        Set<String> a = new TreeSet<>();
        Set<String> b = new TreeSet<>();
        objects(new StixExporter(ShareOptions.defaults(Tlp.RED)).export(List.of(i)).bundle(), "network-traffic")
                .forEach(x -> a.add(x.get("id").asText()));
        objects(new StixExporter(ShareOptions.defaults(Tlp.RED)).export(List.of(longer)).bundle(), "network-traffic")
                .forEach(x -> b.add(x.get("id").asText()));
        assertThat(a).isNotEmpty().doesNotContainAnyElementsOf(b);
    }

    @Test
    void family_onlyWhereTheEvidenceNamesIt() {
        ObjectNode bundle = new StixExporter(ShareOptions.defaults(Tlp.RED).withPrivateInPatterns(true))
                .export(ShareTraffic.incidents()).bundle();
        Set<String> fingerprinted = new TreeSet<>();
        for (Incident i : ShareTraffic.incidents()) {
            if (i.kind() == Kind.scan && Boolean.TRUE.equals(i.detail().get("mirai_fingerprint"))) {
                fingerprinted.add(i.host());
            }
        }
        for (JsonNode ind : objects(bundle, "indicator")) {
            String name = ind.get("name").asText();
            if (name.startsWith("Mirai")) {
                assertThat(name).startsWith("Mirai scan");
                assertThat(fingerprinted).contains(PATTERN.matcher(ind.get("pattern").asText()).replaceAll("$2"));
            }
        }
        assertThat(objects(bundle, "indicator")).anySatisfy(x -> assertThat(x.get("name").asText()).startsWith("c2"));
        // An incident without fingerprint names no malware at all.
        Incident c2 = ShareTraffic.incidents().stream().filter(x -> x.kind() == Kind.c2).findFirst().orElseThrow();
        assertThat(objects(new StixExporter(ShareOptions.defaults(Tlp.RED)).export(List.of(c2)).bundle(), "malware")).isEmpty();
        assertThat(Facts.of(c2, ShareOptions.defaults(Tlp.RED)).family()).isNull();
    }

    @Test
    void configuredOwnRanges_pseudonymisedPeer_isNoIndicator() {
        // An operator declaring the C2's /24 its own gets the C2 pseudonymised: then it is no pattern either.
        ShareOptions own = pseudonymised().withLocal(LocalNets.of(List.of("192.168.0.0/16", "75.55.25.0/24")));
        ObjectNode bundle = new StixExporter(own).export(ShareTraffic.incidents()).bundle();
        validates(bundle);
        IpAddr pseudonym = PAN.anonymise(IpAddr.parse("75.55.25.184"));
        assertThat(patterns(bundle).values()).doesNotContain(pseudonym, IpAddr.parse("75.55.25.184"));
        assertThat(bundle.toString()).contains("\"pseudonym\":\"" + pseudonym + "\"");
    }
}
