package io.bulwark.app.contain;

import io.bulwark.app.mud.MudFile;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class NftRulesetTest {
    @TempDir
    Path dir;

    static Path repoFile(String rel) {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve(rel))) {
                return p.resolve(rel);
            }
        }
        throw new IllegalStateException(rel + " not found");
    }

    private ContainmentPlan plan() throws Exception {
        ContainInput in = ContainInput.read(ContainFixtures.outbreakLike(dir.resolve("out")));
        assertThat(in.skipped()).isEqualTo(2);
        MudProfile hs110 = MudFile.read(repoFile("samples/mud/tplink-hs110.mud.json"));
        MudProfile luminaire = MudFile.read(repoFile("../shared/specs/mud-examples/ciscodevnet-Luminaire_150.json"));
        return ContainmentPlan.of(in, Map.of("10.10.10.20", hs110, "10.10.10.30", luminaire), 300);
    }

    private static NftRuleset.Options options() {
        return new NftRuleset.Options(List.of("192.168.1.2", "2001:db8::2"), List.of("192.168.1.1"),
                List.of("10.0.0.0/8", "192.168.0.0/16", "fd00::/8"), Map.of(),
                Map.of("https://luminaire.example.com/Luminaire_150", List.of(Cidr.parse("10.10.10.1"))), 50);
    }

    @Test
    void plan_incidents_quarantineLimitFlowSpecAndRtbh() throws Exception {
        ContainmentPlan p = plan();
        assertThat(p.quarantine()).containsOnlyKeys("192.168.1.101", "192.168.1.102", "192.168.1.103", "2001:db8::104");
        assertThat(p.quarantine().get("192.168.1.101")).containsExactly("inc-0000000000000001", "inc-0000000000000002");
        assertThat(p.limit()).containsOnlyKeys("192.168.1.105");
        // the udp flood ended 18 minutes before the newest incident: not ongoing
        assertThat(p.flowRoutes()).extracting(ContainmentPlan.FlowRoute::incident)
                .containsExactly("inc-0000000000000002", "inc-0000000000000007");
        assertThat(p.flowRoutes().get(0)).extracting(ContainmentPlan.FlowRoute::protocol, ContainmentPlan.FlowRoute::tcpFlags)
                .containsExactly("tcp", "syn");
        assertThat(p.flowRoutes().get(1).dstPort()).isEqualTo(53);
        assertThat(p.blackholes()).containsExactly(new ContainmentPlan.Blackhole("192.168.1.10/32", "inc-0000000000000005"));
    }

    @Test
    void render_walledGardenAndMudChains_acceptedByNftCheck() throws Exception {
        String nft = NftRuleset.render(plan(), options(), dir.toString());
        assertThat(nft).contains("set quarantine_v4 { type ipv4_addr; elements = { 192.168.1.101, 192.168.1.102, 192.168.1.103 }; }")
                .contains("set quarantine_v6 { type ipv6_addr; elements = { 2001:db8::104 }; }")
                .contains("ip daddr @dns_v4 udp dport 53 accept")
                .contains("ip saddr @quarantine_v4 ip daddr != @portal_v4 tcp dport 80 dnat ip to 192.168.1.2")
                .contains("ip daddr @mud_name_1 meta l4proto tcp th dport 50443 accept comment \"cloud-frdev\"")
                .contains("ip daddr { 10.10.10.1 } meta l4proto udp th dport 5684 accept comment \"myctl0-frdev\"");
        Path file = dir.resolve("bulwark.nft");
        Files.writeString(file, nft);
        nftCheck(file, true);
        // The check can fail: the same ruleset with one misspelt keyword is refused.
        Path bad = dir.resolve("bad.nft");
        Files.writeString(bad, nft.replace("counter drop comment \"bulwark quarantine\"", "counter dorp"));
        nftCheck(bad, false);
    }

    @Test
    void render_nothingToContain_isStillAValidRuleset() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/incidents.ndjson"), "");
        ContainmentPlan p = ContainmentPlan.of(ContainInput.read(dir.resolve("empty")), Map.of(), 300);
        Path file = dir.resolve("empty.nft");
        Files.writeString(file, NftRuleset.render(p, new NftRuleset.Options(List.of(), List.of(), List.of("10.0.0.0/8"),
                Map.of(), Map.of(), 10), "empty"));
        assertThat(Files.readString(file)).doesNotContain("portal_redirect").contains("udp dport 53 accept");
        nftCheck(file, true);
    }

    static void nftCheck(Path file, boolean accepted) throws Exception {
        assumeTrue(ContainFixtures.onPath("nft"), "nft not installed (Debian nftables; .ci/install-tools installs it)");
        assumeTrue(ContainFixtures.root(), "nft -c needs root (CAP_NET_ADMIN); CI runs as root");
        ContainFixtures.Run r = ContainFixtures.run(List.of("nft", "-c", "-f", file.toString()), 60);
        if (accepted) {
            assertThat(r.exit()).as(r.output()).isZero();
        } else {
            assertThat(r.exit()).as(r.output()).isNotZero();
        }
    }
}
