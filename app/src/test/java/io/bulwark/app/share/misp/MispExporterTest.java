package io.bulwark.app.share.misp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.ShareTraffic;
import io.bulwark.app.share.Tlp;
import io.bulwark.detect.Kind;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

class MispExporterTest {
    static final UnaryOperator<IpAddr> PSEUDO = a -> a.isV4() ? IpAddr.ofV4(0x0a000000 | ((a.v4() ^ 0x00a5a5a5) & 0xffffff)) : a;

    @Test
    void events_realTraffic_haveRequiredFieldsAndTags() {
        ArrayNode events = new MispExporter(ShareOptions.defaults(Tlp.RED)).export(ShareTraffic.incidents()).events();
        assertThat(events).hasSize(ShareTraffic.incidents().size());
        Set<String> uuids = new TreeSet<>();
        for (JsonNode w : events) {
            JsonNode e = w.get("Event");
            for (String f : List.of("info", "date", "threat_level_id", "analysis", "distribution", "uuid", "Attribute",
                    "Object", "Tag")) {
                assertThat(e.has(f)).as(f + " in " + e).isTrue();
            }
            assertThat(uuids.add(e.get("uuid").asText())).isTrue();
            assertThat(e.get("date").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(e.get("threat_level_id").asText()).isIn("1", "2", "3", "4");
            assertThat(e.get("distribution").asText()).isEqualTo("1");
            List<String> tags = new ArrayList<>();
            e.get("Tag").forEach(t -> tags.add(t.get("name").asText()));
            assertThat(tags).contains("tlp:amber");
            // A family only where the evidence names it: Mirai's SYN fingerprint in a scan.
            if (!e.get("info").asText().endsWith(" scan incident")) {
                assertThat(tags).noneMatch(t -> t.startsWith("misp-galaxy:botnet"));
            }
            assertThat(e.get("Attribute")).isNotEmpty().allSatisfy(a -> {
                assertThat(a.get("type").asText()).isIn("ip-src", "ip-dst");
                assertThat(a.get("to_ids").isBoolean()).isTrue();
                assertThat(IpAddr.parse(a.get("value").asText())).isNotNull();
            });
            assertThat(e.get("Object").get(0).get("name").asText()).isIn("ip-port", "network-connection");
        }
        JsonNode c2 = find(events, "c2");
        assertThat(c2.get("Attribute")).anySatisfy(a -> {
            assertThat(a.get("type").asText()).isEqualTo("ip-dst");
            assertThat(a.get("to_ids").asBoolean()).isTrue();
        });
        assertThat(find(events, "scan").get("Tag").toString()).contains("Active Scanning - T1595");
    }

    private static JsonNode find(ArrayNode events, String kind) {
        for (JsonNode w : events) {
            if (w.get("Event").get("info").asText().endsWith(" " + kind + " incident")) {
                return w.get("Event");
            }
        }
        throw new AssertionError("no " + kind + " event");
    }

    @Test
    void export_twice_identicalBytes_andTlpAndPseudonymsHold() throws Exception {
        ShareOptions o = new ShareOptions("CERT", i -> i.kind() == Kind.scan ? Tlp.CLEAR : Tlp.AMBER, Tlp.GREEN, PSEUDO,
                LocalNets.defaults());
        String a = Json.MAPPER.writeValueAsString(new MispExporter(o).export(ShareTraffic.incidents()).events());
        String b = Json.MAPPER.writeValueAsString(new MispExporter(o).export(ShareTraffic.incidents()).events());
        assertThat(a).isEqualTo(b).doesNotContain("tlp:amber").contains("tlp:clear");
        for (Incident i : ShareTraffic.incidents()) {
            assertThat(a).doesNotContain("\"" + i.host() + "\"");
        }
    }
}
