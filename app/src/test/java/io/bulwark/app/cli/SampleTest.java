package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.TestPaths;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.Schemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's first command: analyze on the bundled sample finds the infected DVR's scan,
 * the output validates, ids are stable, and the sample is exactly what the simulator makes.
 */
class SampleTest {
    static final Path SAMPLE = TestPaths.locate("samples/iot-lan-scan.pcap");

    @TempDir
    Path tmp;

    private List<JsonNode> incidents(Path out) throws Exception {
        return Files.readAllLines(out.resolve("incidents.ndjson")).stream().map(l -> {
            try {
                return Json.MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
    }

    @Test
    void analyze_bundledSample_findsTheScanningDvrWithMiraiFingerprint() throws Exception {
        Path out = tmp.resolve("a");
        assertThat(Main.run("analyze", SAMPLE.toString(), "--out", out.toString(), "-q")).isZero();
        assertThat(Schemas.violationsIn(out)).isEmpty();
        List<JsonNode> inc = incidents(out);
        assertThat(inc).singleElement().satisfies(i -> {
            assertThat(i.get("kind").asText()).isEqualTo("scan");
            assertThat(i.get("host").asText()).isEqualTo("192.168.1.195");
            assertThat(i.get("mac").asText()).matches("[0-9a-f:]{17}");
            assertThat(i.at("/detail/mirai_fingerprint").asBoolean()).isTrue();
            assertThat(i.at("/detail/ports/0/port").asInt()).isEqualTo(23);
            assertThat(i.get("evidence").size()).isPositive();
            assertThat(i.at("/evidence/0/offset").asLong()).isPositive();
        });
        Path again = tmp.resolve("b");
        assertThat(Main.run("analyze", SAMPLE.toString(), "--out", again.toString(), "-q")).isZero();
        assertThat(Files.readString(again.resolve("incidents.ndjson"))).isEqualTo(Files.readString(out.resolve("incidents.ndjson")));
        assertThat(Files.readString(out.resolve("devices.ndjson"))).contains("\"ip\":\"192.168.1.20\"");
    }

    @Test
    void simulate_sameScenarioAndSeed_reproducesTheBundledSampleAndItsTruth() throws Exception {
        Path pcap = tmp.resolve("s.pcap");
        Path truth = tmp.resolve("s.truth.json");
        assertThat(Main.run("simulate", "--scenario", "iot-lan-scan", "--seed", "1", "--out", pcap.toString(),
                "--truth", truth.toString())).isZero();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String made = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(pcap)));
        String bundled = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(SAMPLE)));
        assertThat(made).as("regenerate samples/ with the README's simulate command").isEqualTo(bundled);
        JsonNode t = Json.MAPPER.readTree(truth.toFile());
        JsonNode bundledTruth = Json.MAPPER.readTree(SAMPLE.resolveSibling("iot-lan-scan.truth.json").toFile());
        assertThat(t.get("expected")).isEqualTo(bundledTruth.get("expected"));
    }

    @Test
    void simulate_unknownScenario_failsWithOneLine() {
        assertThat(Main.run("simulate", "--scenario", "nope", "--out", tmp.resolve("x.pcap").toString())).isNotZero();
    }
}
