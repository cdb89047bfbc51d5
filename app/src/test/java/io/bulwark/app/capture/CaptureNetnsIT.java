package io.bulwark.app.capture;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.TestPaths;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.Schemas;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code bulwark capture} on a real interface, as a sensor runs: two network namespaces this
 * test creates (never the host's interfaces), joined by a veth pair. capture runs (with
 * dumpcap) on one end in its namespace; tcpreplay sends the bundled sample into the other end
 * at a bounded rate; then SIGTERM. The scan the sample holds must be found, the outputs must
 * validate against the schemas, and dumpcap's drop counters must be in events.ndjson and the
 * summary. Everything is deleted afterwards.
 *
 * <pre>
 *   [replay ns] va ──veth── vb [sensor ns]: bulwark capture -i vb
 * </pre>
 */
class CaptureNetnsIT {
    /** Packets per second tcpreplay sends: about 8 s for the sample's 40,714 packets. */
    private static final int PPS = 5000;
    private static final int SAMPLE_PACKETS = 40_714;

    @TempDir
    Path dir;
    private final String id = Long.toString(ProcessHandle.current().pid() % 100000, 36) + Long.toString(System.nanoTime() % 1296, 36);
    private final String replay = "bwcr-" + id, sensor = "bwcs-" + id;
    private final String va = "va" + id, vb = "vb" + id;
    private final List<String> created = new ArrayList<>();
    private Process capture;

    @BeforeEach
    void namespaces() throws Exception {
        assumeTrue(root(), "needs root to create network namespaces; CI runs as root");
        assumeTrue(onPath("ip") && onPath("tcpreplay") && onPath("dumpcap"),
                "needs ip (iproute2), tcpreplay and dumpcap (wireshark-common); .ci/install-tools installs them");
        for (String ns : List.of(replay, sensor)) {
            sh("ip", "netns", "add", ns);
            created.add(ns);
        }
        // Loopback up in the sensor's namespace: the embedded store's server listens there.
        in(sensor, "ip", "link", "set", "lo", "up");
        sh("ip", "link", "add", va, "netns", replay, "type", "veth", "peer", "name", vb, "netns", sensor);
        for (String[] l : new String[][]{{replay, va}, {sensor, vb}}) {
            // No IPv6 on the pair: its router solicitations would only add noise to the capture.
            in(l[0], "sysctl", "-q", "-w", "net.ipv6.conf." + l[1] + ".disable_ipv6=1");
            in(l[0], "ip", "link", "set", l[1], "up");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (capture != null && capture.isAlive()) {
                capture.destroyForcibly();
                capture.waitFor(10, TimeUnit.SECONDS);
            }
        } finally {
            // Deleting a namespace deletes the veth pair with it.
            for (String ns : created) {
                run(List.of("ip", "netns", "del", ns), 30);
            }
        }
    }

    @Test
    void findsTheSamplesScanOnALiveInterfaceAndReportsTheDropCounters() throws Exception {
        Path jar = Path.of("target", "bulwark.jar").toAbsolutePath();
        assertThat(jar).as("integration tests run after `mvn package`").exists();
        Path out = dir.resolve("out");
        List<String> cmd = List.of("ip", "netns", "exec", sensor,
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g", "-jar", jar.toString(),
                "capture", "-i", vb, "--out", out.toString(), "--data", dir.resolve("data").toString(),
                "--stats-every", "1");
        capture = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(capture.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "capture-stderr");
        reader.setDaemon(true);
        reader.start();
        awaitLine(lines, "Capturing on", 60, capture);
        Thread.sleep(1000);   // dumpcap prints before its first read; give the socket a moment

        Path sample = TestPaths.locate("samples/iot-lan-scan.pcap");
        Run r = in(replay, "tcpreplay", "-q", "-i", va, "--pps=" + PPS, sample.toString());
        assertThat(r.exit).as(r.output).isZero();
        awaitLine(lines, "capture: packets", 30, capture);
        Thread.sleep(2000);   // let the last packets through the pipe before stopping

        // SIGTERM, as systemd stops a unit (ProcessHandle: Process.destroy would close our pipes).
        capture.toHandle().destroy();
        assertThat(capture.waitFor(120, TimeUnit.SECONDS)).as("capture stops after SIGTERM").isTrue();
        reader.join(5000);
        String stderr;
        synchronized (lines) {
            stderr = String.join("\n", lines);
        }
        // 143: the JVM reports the SIGTERM it ended on once the hook has finished (as collect's test).
        assertThat(capture.exitValue()).as(stderr).isIn(0, 143);

        assertThat(Schemas.violationsIn(out)).as(stderr).isEmpty();
        List<JsonNode> incidents = ndjson(out.resolve("incidents.ndjson"));
        assertThat(incidents).as(stderr).anySatisfy(i -> {
            assertThat(i.get("kind").asText()).isEqualTo("scan");
            assertThat(i.get("host").asText()).isEqualTo("192.168.1.195");
        });
        List<JsonNode> events = ndjson(out.resolve("events.ndjson"));
        assertThat(events).as("the scan finding appears as it happens").anySatisfy(e -> {
            assertThat(e.get("type").asText()).isEqualTo("finding");
            assertThat(e.get("host").asText()).isEqualTo("192.168.1.195");
        });
        JsonNode last = events.stream().filter(e -> e.get("type").asText().equals("capture_stats") && e.get("final").asBoolean())
                .findFirst().orElseThrow(() -> new AssertionError("no final capture_stats event:\n" + stderr));
        assertThat(last.get("interface").asText()).isEqualTo(vb);
        for (String counter : List.of("received", "dropped", "kernel_dropped", "engine_dropped")) {
            assertThat(last.has(counter)).as(counter + " in " + last).isTrue();
        }
        JsonNode input = events.stream().filter(e -> e.get("type").asText().equals("input")).findFirst().orElseThrow();
        assertThat(input.get("complete").asBoolean()).isTrue();
        // Every packet sent was either read or counted as dropped: nothing lost unsaid.
        assertThat(input.get("packets").asLong() + last.get("dropped").asLong()).as(stderr).isGreaterThanOrEqualTo(SAMPLE_PACKETS);
        assertThat(stderr).containsPattern("capture " + vb + ": received [0-9,]+, dropped [0-9,]+ \\(kernel [0-9,]+, dumpcap [0-9,]+");
    }

    private static List<JsonNode> ndjson(Path p) throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (String l : Files.readAllLines(p)) {
            all.add(Json.MAPPER.readTree(l));
        }
        return all;
    }

    private static void awaitLine(List<String> lines, String part, int seconds, Process p) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        synchronized (lines) {
            while (lines.stream().noneMatch(l -> l.contains(part))) {
                long left = until - System.nanoTime();
                if (left <= 0 || !p.isAlive()) {
                    throw new AssertionError("no line with \"" + part + "\" in " + seconds + " s:\n" + String.join("\n", lines));
                }
                lines.wait(Math.max(1, Math.min(500, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    private record Run(int exit, String output) {
    }

    private static Run run(List<String> cmd, long timeoutSeconds) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return new Run(-1, "timeout: " + cmd);
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Run r = run(List.of(cmd), 30);
        assertThat(r.exit).as(String.join(" ", cmd) + ": " + r.output).isZero();
    }

    private static Run in(String ns, String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        c.addAll(List.of(cmd));
        Run r = run(c, 120);
        if (r.exit != 0 && !cmd[0].equals("tcpreplay")) {
            throw new AssertionError(String.join(" ", c) + ": " + r.output);
        }
        return r;
    }

    private static boolean onPath(String tool) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin").split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    private static boolean root() {
        try {
            return new String(new ProcessBuilder("id", "-u").start().getInputStream().readAllBytes()).trim().equals("0");
        } catch (IOException e) {
            return false;
        }
    }
}
