package io.bulwark.app.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.DatasetsIT;
import io.bulwark.app.cli.Main;
import io.bulwark.app.output.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The evidence round trip on a real capture: analyse the Hakai capture (IoT-23 8-1) with an
 * evidence directory, export its C2 incident, verify the bundle, then damage the bundle in
 * every way an investigator must be told about.
 */
class EvidenceIT {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static Path hakai;
    static Path evidence;
    static String c2;
    static String otherIncident;
    static Path bundle;

    @BeforeAll
    static void analyseAndExport() throws IOException {
        hakai = DatasetsIT.DATA == null ? null : DatasetsIT.DATA.resolve("iot23/CTU-IoT-Malware-Capture-8-1.pcap");
        assumeTrue(hakai != null && Files.exists(hakai), "IoT-23 capture 8-1 absent");
        evidence = shared.resolve("evidence");
        Path out = shared.resolve("out");
        assertThat(Main.run("analyze", "-q", hakai.toString(), "--out", out.toString(),
                "--evidence", evidence.toString())).isZero();
        List<String> ids = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("incidents.ndjson"))) {
            JsonNode n = Json.MAPPER.readTree(l);
            if (n.get("kind").asText().equals("c2")) {
                ids.add(n.get("id").asText());
            }
        }
        assertThat(ids).hasSizeGreaterThanOrEqualTo(2);
        c2 = ids.get(0);
        otherIncident = ids.get(1);
        bundle = shared.resolve("c2.zip");
        assertThat(Main.run("evidence", "export", c2, "--evidence", evidence.toString(), "--out", bundle.toString(),
                "--examiner", "Investigator A")).isZero();
    }

    @Test
    void verify_exportedBundle_passesEveryCheck() {
        Bundle.Verdict v = Bundle.verify(bundle);
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.checks()).extracting(Bundle.Check::what).contains("manifest signature", "tree head signature",
                "inclusion of excerpt.pcapng", "inclusion of incident.json", "inclusion of analysis.json",
                "excerpt.pcapng", "one incident throughout");
        assertThat(Main.run("evidence", "verify", bundle.toString())).isZero();
    }

    @Test
    void verify_anySingleByteChangedInAnyFile_failsNamingIt() throws IOException {
        Map<String, byte[]> files = unzip(bundle);
        for (String name : files.keySet()) {
            int len = files.get(name).length;
            for (int at : new int[] {0, len / 2, len - 1}) {
                Path bad = tmp.resolve(name + "-" + at + ".zip");
                rezip(files, bad, name, b -> {
                    byte[] c = b.clone();
                    c[at] ^= 0x01;
                    return c;
                });
                Bundle.Verdict v = Bundle.verify(bad);
                assertThat(v.ok()).as(name + " byte " + at).isFalse();
                assertThat(failed(v)).as(name + " byte " + at + ": " + v).anyMatch(w -> w.contains(name)
                        || name.startsWith("manifest") && w.equals("manifest signature")
                        || name.equals("log-key.pub") && (w.equals("log public key") || w.equals("manifest signature"))
                        || name.equals("proof.json") && (w.startsWith("inclusion") || w.startsWith("tree head")));
            }
        }
    }

    @Test
    void verify_excerptSwappedForAnotherIncidents_fails() throws IOException {
        byte[] other = Files.readAllBytes(evidence.resolve("excerpts").resolve(otherIncident + ".pcapng"));
        Path bad = tmp.resolve("swapped.zip");
        rezip(unzip(bundle), bad, "excerpt.pcapng", b -> other);
        Bundle.Verdict v = Bundle.verify(bad);
        assertThat(v.ok()).isFalse();
        assertThat(failed(v)).contains("excerpt.pcapng", "inclusion of excerpt.pcapng", "one incident throughout");
    }

    @Test
    void verify_truncatedExcerptOrBundle_fails() throws IOException {
        Path bad = tmp.resolve("short.zip");
        rezip(unzip(bundle), bad, "excerpt.pcapng", b -> java.util.Arrays.copyOf(b, b.length - 20));
        assertThat(failed(Bundle.verify(bad))).contains("excerpt.pcapng", "inclusion of excerpt.pcapng");

        Path cut = tmp.resolve("cut.zip");
        byte[] z = Files.readAllBytes(bundle);
        Files.write(cut, java.util.Arrays.copyOf(z, z.length / 2));
        Bundle.Verdict v = Bundle.verify(cut);
        assertThat(v.ok()).isFalse();
        assertThat(Main.run("evidence", "verify", cut.toString())).isEqualTo(1);
    }

    @Test
    void log_afterMoreRunsAndExports_everyTreeHeadExtendsTheOneBefore() throws IOException {
        Path out = tmp.resolve("again");
        Path sample = Path.of("..", "samples", "iot-lan-scan.pcap").toAbsolutePath().normalize();
        assertThat(Main.run("analyze", "-q", sample.toString(), "--out", out.toString(),
                "--evidence", evidence.toString())).isZero();
        assertThat(Main.run("evidence", "log", "--evidence", evidence.toString())).isZero();
    }

    @Test
    void export_withLoopbackTsa_addsATimestampThatVerifies() throws Exception {
        try (LoopbackTsa tsa = new LoopbackTsa()) {
            Path z = tmp.resolve("stamped.zip");
            assertThat(Main.run("evidence", "export", c2, "--evidence", evidence.toString(), "--out", z.toString(),
                    "--tsa", tsa.uri().toString())).isZero();
            Bundle.Verdict v = Bundle.verify(z);
            assertThat(v.ok()).as(v.toString()).isTrue();
            assertThat(v.checks()).extracting(Bundle.Check::what).contains("RFC 3161 timestamp");
            Path bad = tmp.resolve("stamp-bad.zip");
            Map<String, byte[]> files = unzip(z);
            rezip(files, bad, "timestamp.tsr", b -> {
                byte[] c = b.clone();
                c[c.length - 10] ^= 0x40;
                return c;
            });
            assertThat(failed(Bundle.verify(bad))).contains("timestamp.tsr");
        }
    }

    static List<String> failed(Bundle.Verdict v) {
        return v.checks().stream().filter(c -> !c.ok()).map(Bundle.Check::what).toList();
    }

    static Map<String, byte[]> unzip(Path zip) throws IOException {
        return new LinkedHashMap<>(BundleZip.read(zip));
    }

    /** The bundle again, in the form export writes, with one file changed: only the signatures and proofs can tell. */
    static void rezip(Map<String, byte[]> files, Path to, String changed, UnaryOperator<byte[]> change) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>(files);
        out.put(changed, change.apply(files.get(changed)));
        try (OutputStream o = Files.newOutputStream(to)) {
            BundleZip.write(o, out, java.time.Instant.EPOCH);
        }
    }
}
