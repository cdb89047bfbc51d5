package io.bulwark.app.contain;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Applies a generated quarantine in network namespaces this test creates (never the host's own
 * interfaces): a host namespace and a server namespace, each joined to a router namespace by a
 * veth pair. The server answers DNS (UDP 53) and TCP 8080. Before the quarantine the host
 * reaches both; after {@code nft -f} of the generated ruleset in the router namespace, its TCP
 * is dropped (and counted) while its DNS still passes. Everything is deleted afterwards.
 *
 * <pre>
 *   [host ns] vh 10.77.1.2 ── 10.77.1.1 vr1 [router ns] vr2 10.77.2.1 ── 10.77.2.2 vs [server ns]
 * </pre>
 */
class ContainNetnsIT {
    private static final String SERVER = """
            import socket, threading
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.77.2.2", 53))
            t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind(("10.77.2.2", 8080)); t.listen(8)
            def udp():
                while True:
                    data, peer = u.recvfrom(512); u.sendto(data, peer)
            threading.Thread(target=udp, daemon=True).start()
            print("ready", flush=True)
            while True:
                c, _ = t.accept(); c.sendall(b"ok"); c.close()
            """;
    private static final String CLIENT = """
            import socket
            r = []
            try:
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(2)
                u.sendto(b"\\x12\\x34query", ("10.77.2.2", 53)); u.recvfrom(512); r.append("dns=pass")
            except OSError: r.append("dns=dropped")
            try:
                t = socket.create_connection(("10.77.2.2", 8080), timeout=2); t.recv(2); r.append("tcp=pass")
            except OSError: r.append("tcp=dropped")
            print(" ".join(r))
            """;

    @TempDir
    Path dir;
    private final String id = Long.toString(ProcessHandle.current().pid() % 100000, 36) + Long.toString(System.nanoTime() % 1296, 36);
    private final String host = "bwh-" + id, router = "bwr-" + id, server = "bws-" + id;
    private final List<String> created = new ArrayList<>();
    private Process serverProcess;

    @BeforeEach
    void namespaces() throws Exception {
        assumeTrue(ContainFixtures.root(), "needs root to create network namespaces; CI runs as root");
        assumeTrue(ContainFixtures.onPath("ip") && ContainFixtures.onPath("nft") && ContainFixtures.onPath("python3"),
                "needs ip (iproute2), nft (nftables) and python3; .ci/install-tools installs them");
        for (String ns : List.of(host, router, server)) {
            sh("ip", "netns", "add", ns);
            created.add(ns);
        }
        String vh = "vh" + id, vr1 = "vr1" + id, vr2 = "vr2" + id, vs = "vs" + id;
        sh("ip", "link", "add", vh, "netns", host, "type", "veth", "peer", "name", vr1, "netns", router);
        sh("ip", "link", "add", vs, "netns", server, "type", "veth", "peer", "name", vr2, "netns", router);
        in(host, "ip", "addr", "add", "10.77.1.2/24", "dev", vh);
        in(router, "ip", "addr", "add", "10.77.1.1/24", "dev", vr1);
        in(router, "ip", "addr", "add", "10.77.2.1/24", "dev", vr2);
        in(server, "ip", "addr", "add", "10.77.2.2/24", "dev", vs);
        for (String[] l : new String[][]{{host, vh}, {router, vr1}, {router, vr2}, {server, vs}}) {
            in(l[0], "ip", "link", "set", l[1], "up");
            in(l[0], "ip", "link", "set", "lo", "up");
        }
        in(host, "ip", "route", "add", "default", "via", "10.77.1.1");
        in(server, "ip", "route", "add", "default", "via", "10.77.2.1");
        in(router, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
        serverProcess = new ProcessBuilder("ip", "netns", "exec", server, "python3", "-c", SERVER).redirectErrorStream(true).start();
        byte[] ready = serverProcess.getInputStream().readNBytes(6);
        assertThat(new String(ready, StandardCharsets.US_ASCII)).isEqualTo("ready\n");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (serverProcess != null) {
            serverProcess.destroyForcibly();
            serverProcess.waitFor(10, TimeUnit.SECONDS);
        }
        // Deleting a namespace deletes its veth ends and its nftables tables with it.
        for (String ns : created) {
            ContainFixtures.run(List.of("ip", "netns", "del", ns), 30);
        }
    }

    @Test
    void quarantine_appliedInTheRouterNamespace_dropsTheHostsTrafficButNotItsDns() throws Exception {
        assertThat(client()).isEqualTo("dns=pass tcp=pass");

        Path out = dir.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("incidents.ndjson"), ContainFixtures.incident("inc-00000000000000aa", "c2",
                "10.77.1.2", "2026-01-15T10:00:00.000000Z", "{\"peer\":\"203.0.113.1\",\"port\":23}") + "\n");
        ContainmentPlan plan = ContainmentPlan.of(ContainInput.read(out), Map.of(), 300);
        Path rules = dir.resolve("bulwark.nft");
        Files.writeString(rules, NftRuleset.render(plan, new NftRuleset.Options(List.of(), List.of("10.77.2.2"),
                List.of("10.77.0.0/16"), Map.of(), Map.of(), 50), out.toString()));
        in(router, "nft", "-f", rules.toString());

        assertThat(client()).isEqualTo("dns=pass tcp=dropped");
        String table = in(router, "nft", "list", "table", "inet", "bulwark");
        assertThat(table).containsPattern("counter packets [1-9]\\d* bytes \\d+ drop comment \"bulwark quarantine\"");
    }

    private String client() throws Exception {
        ContainFixtures.Run r = ContainFixtures.run(List.of("ip", "netns", "exec", host, "python3", "-c", CLIENT), 30);
        assertThat(r.exit()).as(r.output()).isZero();
        return r.output().strip();
    }

    private static void sh(String... cmd) throws Exception {
        ContainFixtures.Run r = ContainFixtures.run(List.of(cmd), 30);
        assertThat(r.exit()).as(String.join(" ", cmd) + ": " + r.output()).isZero();
    }

    private static String in(String ns, String... cmd) throws Exception {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        ContainFixtures.Run r = ContainFixtures.run(c, 30);
        assertThat(r.exit()).as(String.join(" ", c) + ": " + r.output()).isZero();
        return r.output();
    }
}
