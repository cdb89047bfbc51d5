package io.bulwark.app.share.stix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.ShareTraffic;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;
import io.bulwark.detect.Kind;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class StixExporterTest {
    /** A stand-in for Crypto-PAn: a fixed bijection of IPv4 that moves 192.168/16 into 10/8. */
    static final UnaryOperator<IpAddr> PSEUDO = a -> a.isV4() ? IpAddr.ofV4(0x0a000000 | ((a.v4() ^ 0x00a5a5a5) & 0xffffff)) : a;

    static ObjectNode export(ShareOptions o) {
        return new StixExporter(o).export(ShareTraffic.incidents()).bundle();
    }

    @Test
    void everyObject_realTraffic_validatesAgainstItsOasisSchema() {
        ObjectNode bundle = export(ShareOptions.defaults(Tlp.RED));
        Map<String, Integer> byType = new TreeMap<>();
        List<String> violations = new ArrayList<>();
        for (JsonNode o : bundle.get("objects")) {
            byType.merge(o.get("type").asText(), 1, Integer::sum);
            violations.addAll(StixSchemas.violations(o));
        }
        System.out.println("STIX objects validated by type: " + byType);
        assertThat(violations).isEmpty();
        // The OASIS bundle.json predates grouping (its oneOf has no grouping branch), so the
        // envelope is checked without them; each grouping was checked against grouping.json above.
        ObjectNode envelope = bundle.deepCopy();
        envelope.withArray("objects").removeAll();
        bundle.get("objects").forEach(o -> {
            if (!o.get("type").asText().equals("grouping")) {
                envelope.withArray("objects").add(o);
            }
        });
        assertThat(StixSchemas.violations(envelope)).isEmpty();
        assertThat(byType).containsKeys("indicator", "observed-data", "sighting", "malware", "attack-pattern",
                "relationship", "grouping", "identity", "ipv4-addr", "network-traffic", "marking-definition");
        Set<Kind> kinds = new TreeSet<>();
        ShareTraffic.incidents().forEach(i -> kinds.add(i.kind()));
        assertThat(kinds).contains(Kind.scan, Kind.bruteforce, Kind.infection, Kind.c2, Kind.ddos, Kind.ddos_target);
        assertThat(byType.get("grouping")).isEqualTo(ShareTraffic.incidents().size());
    }

    @Test
    void validator_brokenObjects_areRejected() {
        ObjectNode ind = (ObjectNode) first(export(ShareOptions.defaults(Tlp.RED)), "indicator").deepCopy();
        ind.remove("pattern");
        assertThat(StixSchemas.violations(ind)).isNotEmpty();
        ObjectNode ip = Json.MAPPER.createObjectNode().put("type", "ipv4-addr").put("id", "ipv4-addr--x").put("value", "1.2.3.4");
        assertThat(StixSchemas.violations(ip)).isNotEmpty();
        ObjectNode g = (ObjectNode) first(export(ShareOptions.defaults(Tlp.RED)), "grouping").deepCopy();
        g.put("created", "2026-01-01 00:00:00");
        assertThat(StixSchemas.violations(g)).isNotEmpty();
    }

    private static JsonNode first(ObjectNode bundle, String type) {
        for (JsonNode o : bundle.get("objects")) {
            if (o.get("type").asText().equals(type)) {
                return o;
            }
        }
        throw new AssertionError("no " + type);
    }

    @Test
    void scoId_googleDns_isTheSpecsExample() {
        ObjectNode c = Json.MAPPER.createObjectNode().put("value", "8.8.8.8");
        assertThat(StixBuilder.sco("ipv4-addr", c, null, Tlp.CLEAR).get("id").asText())
                .isEqualTo("ipv4-addr--2f689bf9-0ff2-545f-aa61-e495eb8cecc7");
    }

    @Test
    void uuid5_knownAnswers_matchRfc4122() {
        UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
        assertThat(Uuid5.of(dns, "python.org")).isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
        UUID u = Uuid5.of(Uuid5.STIX_SCO, "x");
        assertThat(u.version()).isEqualTo(5);
        assertThat(u.variant()).isEqualTo(2);
    }

    @Test
    void jcs_sortsMembersAndEscapes() {
        ObjectNode n = Json.MAPPER.createObjectNode().put("b", 1).put("a", "q\"\n\u0001é");
        n.putArray("c").add(2).add(true);
        assertThat(Jcs.canonical(n)).isEqualTo("{\"a\":\"q\\\"\\n\\u0001é\",\"b\":1,\"c\":[2,true]}");
    }

    @Test
    void export_twice_identicalIdsAndBytes() throws Exception {
        String a = Json.MAPPER.writeValueAsString(export(ShareOptions.defaults(Tlp.RED)));
        List<Incident> reversed = new ArrayList<>(ShareTraffic.incidents());
        java.util.Collections.reverse(reversed);
        String b = Json.MAPPER.writeValueAsString(new StixExporter(ShareOptions.defaults(Tlp.RED)).export(reversed).bundle());
        assertThat(b).isEqualTo(a);
        Set<String> ids = new TreeSet<>();
        for (JsonNode o : Json.MAPPER.readTree(a).get("objects")) {
            assertThat(ids.add(o.get("id").asText())).as("duplicate id " + o.get("id")).isTrue();
        }
    }

    @Test
    void export_partnerGreen_emitsNothingAboveGreen() {
        ShareOptions o = new ShareOptions("Test CERT", i -> i.kind() == Kind.c2 ? Tlp.GREEN : Tlp.RED, Tlp.GREEN,
                ShareOptions.UNCHANGED, LocalNets.defaults());
        StixExporter.Export e = new StixExporter(o).export(ShareTraffic.incidents());
        long c2 = ShareTraffic.incidents().stream().filter(i -> i.kind() == Kind.c2).count();
        assertThat(e.exported()).isEqualTo((int) c2).isPositive();
        assertThat(e.withheld()).isEqualTo(ShareTraffic.incidents().size() - (int) c2);
        Set<String> allowed = Set.of(Tlp.CLEAR.stixId(), Tlp.GREEN.stixId());
        for (JsonNode obj : e.bundle().get("objects")) {
            if (obj.get("type").asText().equals("marking-definition")) {
                assertThat(allowed).contains(obj.get("id").asText());
            } else {
                assertThat(obj.get("object_marking_refs")).allSatisfy(m -> assertThat(allowed).contains(m.asText()));
            }
        }
    }

    @Test
    void export_pseudonymised_hidesInternalAddressesAndStillValidates() throws Exception {
        ObjectNode bundle = export(ShareOptions.defaults(Tlp.RED).withPseudonymise(PSEUDO));
        String text = Json.MAPPER.writeValueAsString(bundle);
        LocalNets local = LocalNets.defaults();
        Set<String> internal = new TreeSet<>();
        for (Incident i : ShareTraffic.incidents()) {
            internal.add(i.host());
            for (Object v : i.detail().values()) {
                IpAddr a = v instanceof String s ? IpAddr.parse(s) : null;
                if (a != null && local.contains(a)) {
                    internal.add(s(a));
                }
            }
        }
        assertThat(internal).isNotEmpty();
        for (String a : internal) {
            assertThat(text).doesNotContain("'" + a + "'").doesNotContain("\"" + a + "\"");
        }
        assertThat(text).doesNotContain("inc-").doesNotContain("community-id");
        List<String> violations = new ArrayList<>();
        bundle.get("objects").forEach(o -> violations.addAll(StixSchemas.violations(o)));
        assertThat(violations).isEmpty();
    }

    @Test
    void export_configuredLocalNets_arePseudonymisedToo() throws Exception {
        // The outbreak's C2 server is public (75.55.25.184): exported as it is by default, but
        // an operator who declares 75.55.25.0/24 its own gets it pseudonymised like any device.
        String c2 = "75.55.25.184";
        String plain = Json.MAPPER.writeValueAsString(export(ShareOptions.defaults(Tlp.RED).withPseudonymise(PSEUDO)));
        assertThat(plain).contains(c2);
        ShareOptions own = ShareOptions.defaults(Tlp.RED).withPseudonymise(PSEUDO)
                .withLocal(LocalNets.of(List.of("192.168.0.0/16", "75.55.25.0/24")));
        ObjectNode bundle = export(own);
        assertThat(Json.MAPPER.writeValueAsString(bundle)).doesNotContain(c2);
        List<String> violations = new ArrayList<>();
        bundle.get("objects").forEach(o -> violations.addAll(StixSchemas.violations(o)));
        assertThat(violations).isEmpty();
    }

    private static String s(IpAddr a) {
        return a.toString();
    }

    @Test
    void timestamps_alwaysMilliseconds() {
        assertThat(StixBuilder.time(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(StixBuilder.time(1_500_999_999L)).isEqualTo("1970-01-01T00:00:01.500Z");
    }
}
