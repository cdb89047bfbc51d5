package io.bulwark.app.contain;

import io.bulwark.app.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark contain} as an operator runs it: files written, nothing applied, bad input one line. */
class ContainCommandTest {
    @TempDir
    Path dir;

    private String stderr(Runnable r) {
        PrintStream old = System.err;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        System.setErr(new PrintStream(b, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(old);
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    @Test
    void contain_analyzeOutput_writesRulesetAndExaBgpConfigWithoutApplying() throws Exception {
        Path in = ContainFixtures.outbreakLike(dir.resolve("out"));
        Path mud = NftRulesetTest.repoFile("samples/mud/tplink-hs110.mud.json");
        int[] rc = new int[1];
        String err = stderr(() -> rc[0] = Main.run("contain", in.toString(), "--out", dir.resolve("rules").toString(),
                "--portal", "192.168.1.2", "--dns", "192.168.1.1", "--mud-device", "50:c7:bf:00:c7:03=" + mud));
        assertThat(rc[0]).as(err).isZero();
        assertThat(err).contains("contain: 4 quarantined, 1 limited, 1 MUD-enforced devices; 2 FlowSpec and 1 RTBH routes");
        assertThat(err).doesNotContain("applied");
        String nft = Files.readString(dir.resolve("rules/bulwark.nft"));
        assertThat(nft).startsWith("#!/usr/sbin/nft -f").contains("ip saddr 10.10.10.20 jump mud_0_out");
        assertThat(Files.readString(dir.resolve("rules/exabgp.conf"))).contains("flow {", "static {");
        if (ContainFixtures.onPath("nft") && ContainFixtures.root()) {
            assertThat(err).contains("(nft -c: accepted)");
        }
    }

    @Test
    void contain_missingInputOrBadAddress_isOneLineAndNonZero() {
        int[] rc = new int[1];
        String err = stderr(() -> rc[0] = Main.run("contain", dir.resolve("nothing").toString()));
        assertThat(rc[0]).isNotZero();
        assertThat(err.strip().lines()).hasSize(1);
        assertThat(err).contains("no incidents.ndjson");
        String err2 = stderr(() -> {
            try {
                rc[0] = Main.run("contain", ContainFixtures.outbreakLike(dir.resolve("o2")).toString(), "--portal", "portal.example");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        assertThat(rc[0]).isNotZero();
        assertThat(err2).contains("not an IP address: portal.example");
    }

    /** The simulator's Mirai outbreak, analysed and contained end to end; nft -c accepts the result. */
    @Test
    void contain_simulatedOutbreak_quarantinesTheFourBotsAndNftAcceptsTheRuleset() throws Exception {
        Path pcap = dir.resolve("outbreak.pcap");
        io.bulwark.simulate.Simulator.write("mirai-outbreak", 1, pcap, io.bulwark.simulate.Simulator.Options.defaults());
        Path out = dir.resolve("analysed");
        assertThat(Main.run("analyze", "-q", pcap.toString(), "--out", out.toString(), "--no-store")).isZero();
        int[] rc = new int[1];
        String err = stderr(() -> rc[0] = Main.run("contain", out.toString(), "--portal", "192.168.1.2", "--dns", "192.168.1.1"));
        assertThat(rc[0]).as(err).isZero();
        String nft = Files.readString(out.resolve("bulwark.nft"));
        assertThat(nft).contains("set quarantine_v4 { type ipv4_addr; elements = { 192.168.1.101, 192.168.1.102, "
                + "192.168.1.103, 192.168.1.104 }; }");
        assertThat(Files.readString(out.resolve("exabgp.conf"))).contains("route 192.168.1.10/32 next-hop");
        Path rules = out.resolve("bulwark.nft");
        NftRulesetTest.nftCheck(rules, true);
    }
}
