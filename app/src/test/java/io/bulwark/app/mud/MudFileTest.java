package io.bulwark.app.mud;

import io.bulwark.mud.Ace;
import io.bulwark.mud.MudProfile;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class MudFileTest {
    static Path specs() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared").resolve("specs").resolve("mud-examples");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        assumeTrue(false, "MUD examples not found: expected ../shared/specs/mud-examples");
        throw new IllegalStateException();
    }

    static Path sample() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("samples").resolve("mud").resolve("tplink-hs110.mud.json");
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        throw new IllegalStateException("samples/mud/tplink-hs110.mud.json not found");
    }

    @Test
    void read_osmudDraftNames_accessListsAndIpv6AclWithPortOperator() throws Exception {
        MudProfile p = MudFile.read(specs().resolve("osmud-lightbulb2000.json"));
        assertThat(p.url()).isEqualTo("https://bms.example.com/.well-known/mud/lightbulb2000");
        assertThat(p.authority()).isEqualTo("bms.example.com");
        assertThat(p.fromDevice()).hasSize(1);
        Ace a = p.fromDevice().get(0);
        assertThat(a.name()).isEqualTo("cl0-frdev");
        assertThat(a.ipVersion()).isEqualTo(6);
        assertThat(a.protocol()).isEqualTo(6);
        assertThat(a.remoteName()).isEqualTo("service.bms.example.com");
        assertThat(a.remotePort()).isEqualTo(new Ace.PortRange(443, 443));
        assertThat(a.initiated()).isEqualTo("from-device");
        assertThat(a.accept()).isTrue();
        Ace to = p.toDevice().get(0);
        assertThat(to.remoteName()).isEqualTo("service.bms.example.com");
        assertThat(to.remotePort()).isEqualTo(new Ace.PortRange(443, 443));
    }

    @Test
    void read_ciscoExample_rfcAclNamesAndAbstractions() throws Exception {
        MudProfile p = MudFile.read(specs().resolve("ciscodevnet-Luminaire_150.json"));
        assertThat(p.fromDevice()).extracting(Ace::name).containsExactly("cl0-frdev", "myctl0-frdev", "loc0-frdev");
        assertThat(p.fromDevice().get(1).abstraction()).isEqualTo(new Ace.Abstraction("my-controller", null));
        assertThat(p.fromDevice().get(2).abstraction()).isEqualTo(new Ace.Abstraction("local-networks", null));
        assertThat(p.fromDevice().get(2).remotePort()).isEqualTo(new Ace.PortRange(5683, 5683));
        assertThat(p.toDevice().get(2).remotePort()).isEqualTo(new Ace.PortRange(5683, 5683));
        assertThat(p.toDevice().get(2).localPort()).isNull();
    }

    @Test
    void read_sampleProfile_hs110() throws Exception {
        MudProfile p = MudFile.read(sample());
        assertThat(p.fromDevice()).extracting(Ace::describe)
                .containsExactly("udp local-networks:53", "udp time-b.nist.gov:123", "tcp devs.tplinkcloud.com:50443");
    }

    @Test
    void parse_badFiles_areRefusedWithAReason() {
        assertThatThrownBy(() -> MudFile.parse("{".getBytes(StandardCharsets.UTF_8), "x.json"))
                .isInstanceOf(MudFile.MudException.class).hasMessageStartingWith("x.json: not JSON");
        assertThatThrownBy(() -> MudFile.parse("[]".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> MudFile.parse("{\"ietf-mud:mud\":{}}".getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("no mud-url");
        String missingAcl = "{\"ietf-mud:mud\":{\"mud-url\":\"https://a.example/m\",\"from-device-policy\":"
                + "{\"acls\":{\"access-list\":[{\"name\":\"nope\"}]}}}}";
        assertThatThrownBy(() -> MudFile.parse(missingAcl.getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("'nope'");
        String neq = "{\"ietf-mud:mud\":{\"mud-url\":\"https://a.example/m\",\"from-device-policy\":"
                + "{\"acls\":{\"access-list\":[{\"name\":\"a\"}]}}},\"ietf-access-control-list:acls\":{\"acl\":[{\"name\":\"a\","
                + "\"aces\":{\"ace\":[{\"name\":\"e\",\"matches\":{\"tcp\":{\"destination-port\":{\"operator\":\"neq\",\"port\":23}}},"
                + "\"actions\":{\"forwarding\":\"accept\"}}]}}]}}";
        assertThatThrownBy(() -> MudFile.parse(neq.getBytes(StandardCharsets.UTF_8), "x.json"))
                .hasMessageContaining("operator neq is not supported");
    }
}
