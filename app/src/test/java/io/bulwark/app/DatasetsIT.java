package io.bulwark.app;

import io.bulwark.app.cli.Main;
import io.bulwark.app.output.Schemas;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs analyze on every capture and conn.log in ../shared/datasets (skipped when absent):
 * each runs cleanly, validates against the schemas and meets its truth file by
 * ../shared/tools/score.py: every required incident found, no false positive. Benign
 * captures must give no incident at all.
 */
public class DatasetsIT {
    public static final Path DATA = locateDatasets();

    @TempDir
    Path tmp;

    static Path locateDatasets() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path d = p.resolve("shared/datasets");
            if (Files.isDirectory(d)) {
                return d;
            }
            Path sib = p.resolveSibling("shared").resolve("datasets");
            if (Files.isDirectory(sib)) {
                return sib;
            }
            p = p.getParent();
        }
        return null;
    }

    @BeforeAll
    static void needDatasets() {
        assumeTrue(DATA != null, "../shared/datasets is absent: dataset tests skipped");
    }

    static Stream<Path> inputs() throws IOException {
        if (DATA == null) {
            return Stream.empty();
        }
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(DATA)) {
            s.filter(Files::isRegularFile)
                    .filter(f -> f.toString().endsWith(".pcap") || f.toString().endsWith(".conn.log"))
                    .sorted().forEach(out::add);
        }
        return out.stream();
    }

    /** The benign captures: the IoT Sentinel set-ups, the week-long home devices and the Hue honeypot (CTU-Honeypot-*). */
    static Stream<Path> benignInputs() throws IOException {
        return inputs().filter(p -> p.toString().contains("benign") || p.getFileName().toString().startsWith("CTU-Honeypot"));
    }

    /** The truth file scored against an input: X.truth.json beside X.conn.log, or X.pcap.truth.json. */
    static Path truthFor(Path input) {
        String n = input.getFileName().toString();
        Path t = input.resolveSibling(n + ".truth.json");
        if (Files.exists(t)) {
            return t;
        }
        t = input.resolveSibling(n.replaceAll("\\.(conn\\.log|pcap)$", "") + ".truth.json");
        return Files.exists(t) ? t : null;
    }

    @ParameterizedTest
    @MethodSource("inputs")
    void analyze_datasetInput_runsCleanlyValidatesAndHasNoFalsePositive(Path input) throws Exception {
        Path out = tmp.resolve("out");
        int rc = Main.run("analyze", input.toString(), "--out", out.toString(), "-q");
        assertThat(rc).isZero();
        assertThat(Files.readString(out.resolve("events.ndjson"))).doesNotContain("\"complete\":false");
        assertThat(Schemas.violationsIn(out)).isEmpty();
        Path truth = truthFor(input);
        if (truth != null && Files.isExecutable(Path.of("/usr/bin/python3"))) {
            Process p = new ProcessBuilder("/usr/bin/python3", DATA.resolveSibling("tools").resolve("score.py").toString(),
                    truth.toString(), out.resolve("incidents.ndjson").toString(), "-q")
                    .redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(text).isZero();
            assertThat(text).contains("fp=0");
        } else if (input.toString().contains("benign")) {
            assertThat(Files.readString(out.resolve("incidents.ndjson"))).as("benign capture").isEmpty();
        }
    }

    @Test
    void analyze_dominateSynFlood_reportsTheVictimAsDdosTarget() throws Exception {
        Path pcap = DATA.resolve("ddos/pkt.TCP.DOMINATE.syn.ecn.cwr.pcap");
        assumeTrue(Files.exists(pcap), "DOMINATE capture absent");
        Path out = tmp.resolve("d");
        assertThat(Main.run("analyze", pcap.toString(), "--out", out.toString(), "-q")).isZero();
        List<String> lines = Files.readAllLines(out.resolve("incidents.ndjson"));
        assertThat(lines).singleElement().satisfies(l -> assertThat(l)
                .contains("\"kind\":\"ddos_target\"").contains("\"host\":\"10.10.10.10\"").contains("syn_flood"));
    }

    @Test
    void analyze_hakaiPcapFlowsOnly_stillFindsTheC2() throws Exception {
        Path pcap = DATA.resolve("iot23/CTU-IoT-Malware-Capture-8-1.pcap");
        assumeTrue(Files.exists(pcap), "IoT-23 8-1 absent");
        Path out = tmp.resolve("f");
        assertThat(Main.run("analyze", "--flows-only", pcap.toString(), "--out", out.toString(), "-q")).isZero();
        assertThat(Files.readString(out.resolve("incidents.ndjson"))).contains("\"kind\":\"c2\"").contains("192.168.100.113");
    }

    @Test
    void analyze_hakaiPcap_buildsAsManyFlowsAsZeekLogged() throws Exception {
        Path pcap = DATA.resolve("iot23/CTU-IoT-Malware-Capture-8-1.pcap");
        Path conn = DATA.resolve("iot23/CTU-IoT-Malware-Capture-8-1.conn.log");
        assumeTrue(Files.exists(pcap) && Files.exists(conn), "IoT-23 8-1 absent");
        long zeekFlows;
        try (Stream<String> lines = Files.lines(conn)) {
            zeekFlows = lines.filter(l -> !l.startsWith("#") && !l.isBlank()).count();
        }
        var cfgOut = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(cfgOut, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("analyze", pcap.toString(), "--out", tmp.resolve("o").toString())).isZero();
        } finally {
            System.setOut(old);
        }
        String summary = cfgOut.toString(StandardCharsets.UTF_8);
        long built = Long.parseLong(summary.replaceAll("(?s).*?([0-9,]+) flows built.*", "$1").replace(",", ""));
        assertThat(built).isCloseTo(zeekFlows, org.assertj.core.data.Percentage.withPercentage(1));
    }

    /**
     * Benign captures give no incident from flow records alone either (--flows-only: what a
     * NetFlow/IPFIX exporter would show of them), with every detector on.
     */
    @ParameterizedTest
    @MethodSource("benignInputs")
    void analyze_benignCapture_flowsOnly_raisesNothing(Path input) throws Exception {
        Path out = tmp.resolve("fl");
        assertThat(Main.run("analyze", "--flows-only", input.toString(), "--out", out.toString(), "-q", "--no-store")).isZero();
        assertThat(Files.readString(out.resolve("incidents.ndjson"))).as("benign capture, flows only").isEmpty();
    }

    /**
     * Benign captures (the IoT Sentinel set-ups and the Hue honeypot) give no anomaly incident,
     * even with every specific detector off, so that no corroboration can hide one.
     */
    @ParameterizedTest
    @MethodSource("benignInputs")
    void analyze_benignCapture_anomalyDetectorAlone_raisesNothing(Path input) throws Exception {
        Path cfg = Files.writeString(tmp.resolve("only.json"), "{\"detectors\": [\"anomaly\"]}");
        Path out = tmp.resolve("a");
        assertThat(Main.run("analyze", input.toString(), "--out", out.toString(), "-q", "--no-store",
                "--config", cfg.toString())).isZero();
        assertThat(Files.readString(out.resolve("incidents.ndjson"))).as("benign capture").isEmpty();
    }
}
