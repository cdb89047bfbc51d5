package io.bulwark.app.contain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Incident files and external commands for the containment tests. */
final class ContainFixtures {
    private ContainFixtures() {
    }

    static String incident(String id, String kind, String host, String lastSeen, String detail) {
        return "{\"id\":\"" + id + "\",\"kind\":\"" + kind + "\",\"host\":\"" + host + "\",\"first_seen\":\"" + lastSeen
                + "\",\"detected_at\":\"" + lastSeen + "\",\"last_seen\":\"" + lastSeen + "\",\"severity\":\"high\","
                + "\"confidence\":0.9,\"summary\":\"s\",\"detail\":" + detail + ",\"evidence\":[],\"schema_version\":\"1\"}";
    }

    /** An analyze output with one of each containment case. */
    static Path outbreakLike(Path dir) throws IOException {
        List<String> lines = List.of(
                incident("inc-0000000000000001", "infection", "192.168.1.101", "2026-01-15T10:05:00.000000Z",
                        "{\"method\":\"telnet_transfer\",\"source\":\"198.51.100.7\"}"),
                incident("inc-0000000000000002", "ddos", "192.168.1.101", "2026-01-15T10:19:00.000000Z",
                        "{\"vector\":\"syn\",\"direction\":\"outbound\",\"victim\":\"203.0.113.9\"}"),
                incident("inc-0000000000000003", "ddos", "192.168.1.102", "2026-01-15T10:02:00.000000Z",
                        "{\"vector\":\"udp\",\"direction\":\"outbound\",\"victim\":\"203.0.113.10\"}"),
                incident("inc-0000000000000004", "scan", "192.168.1.105", "2026-01-15T10:19:30.000000Z",
                        "{\"ports\":[23],\"targets\":900,\"mirai_fingerprint\":true}"),
                incident("inc-0000000000000005", "ddos_target", "192.168.1.10", "2026-01-15T10:19:40.000000Z",
                        "{\"attack_type\":\"syn_flood\",\"direction\":\"inbound\"}"),
                incident("inc-0000000000000006", "bruteforce", "2001:db8::104", "2026-01-15T10:10:00.000000Z",
                        "{\"direction\":\"outbound\",\"service\":\"telnet\"}"),
                incident("inc-0000000000000007", "ddos", "192.168.1.103", "2026-01-15T10:19:50.000000Z",
                        "{\"vector\":\"dns\",\"direction\":\"outbound\",\"victim\":\"192.168.1.1\"}"),
                "not json", "{\"id\":1}");
        Files.createDirectories(dir);
        Files.write(dir.resolve("incidents.ndjson"), lines, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("devices.ndjson"),
                "{\"ip\":\"10.10.10.20\",\"mac\":\"50:c7:bf:00:c7:03\"}\n", StandardCharsets.UTF_8);
        return dir;
    }

    record Run(int exit, String output) {
    }

    static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timeout: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        for (String d : List.of("/usr/sbin", "/sbin", "/usr/bin")) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    static boolean root() {
        try {
            return new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    static List<String> cmd(String... parts) {
        return new ArrayList<>(List.of(parts));
    }
}
