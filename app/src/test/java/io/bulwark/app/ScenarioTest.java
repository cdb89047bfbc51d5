package io.bulwark.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.cli.Main;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.Schemas;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every folder of src/test/resources/scenarios (see its README): simulate, analyze,
 * then score the incidents against the simulator's ground truth.
 */
class ScenarioTest {
    @TempDir
    Path tmp;

    static Stream<Path> scenarios() throws IOException, URISyntaxException {
        Path root = Path.of(ScenarioTest.class.getResource("/scenarios").toURI());
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(p -> Files.exists(p.resolve("scenario.json"))).sorted().forEach(out::add);
        }
        return out.stream();
    }

    private static double seconds(String rfc3339) {
        Instant i = Instant.parse(rfc3339);
        return i.getEpochSecond() + i.getNano() / 1e9;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void scenario_simulatedTraffic_isDetectedCompletelyWithoutFalsePositives(Path dir) throws Exception {
        JsonNode sc = Json.MAPPER.readTree(dir.resolve("scenario.json").toFile());
        JsonNode sim = sc.get("simulate");
        Path pcap = tmp.resolve("in.pcap");
        Path truthFile = tmp.resolve("truth.json");
        List<String> simArgs = new ArrayList<>(List.of("simulate", "--scenario", sim.get("scenario").asText(),
                "--seed", sim.path("seed").asText("1"), "--out", pcap.toString(), "--truth", truthFile.toString()));
        if (sim.has("packets")) {
            simArgs.addAll(List.of("--packets", sim.get("packets").asText()));
        }
        assertThat(Main.run(simArgs.toArray(String[]::new))).isZero();

        Path out = tmp.resolve("out");
        List<String> args = new ArrayList<>(List.of("analyze", pcap.toString(), "--out", out.toString(), "-q"));
        sc.path("analyze").forEach(a -> args.add(a.asText()));
        if (sc.has("config")) {
            Path cfg = Files.writeString(tmp.resolve("config.json"), sc.get("config").toString());
            args.addAll(List.of("--config", cfg.toString()));
        }
        assertThat(Main.run(args.toArray(String[]::new))).isZero();
        assertThat(Schemas.violationsIn(out)).isEmpty();

        JsonNode truth = Json.MAPPER.readTree(truthFile.toFile());
        List<JsonNode> incidents = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("incidents.ndjson"))) {
            incidents.add(Json.MAPPER.readTree(line));
        }
        List<JsonNode> expected = new ArrayList<>();
        truth.get("expected").forEach(expected::add);
        sc.path("expect_extra").forEach(expected::add);
        Set<String> known = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode e : expected) {
            String host = e.get("host").asText();
            String kind = e.get("kind").asText();
            String vector = e.path("vector").asText(null);
            known.add(host + "|" + kind + (vector == null ? "" : "|" + vector));
            double start = e.has("start") ? seconds(e.get("start").asText()) : Double.NEGATIVE_INFINITY;
            JsonNode hit = incidents.stream()
                    .filter(i -> i.get("host").asText().equals(host) && i.get("kind").asText().equals(kind))
                    .filter(i -> vector == null || vector.equals(i.at("/detail/vector").asText()))
                    .filter(i -> seconds(i.get("detected_at").asText()) >= start - 1.0)
                    .min((a, b) -> a.get("detected_at").asText().compareTo(b.get("detected_at").asText()))
                    .orElse(null);
            if (hit == null) {
                problems.add("missed " + host + " " + kind + (vector == null ? "" : "/" + vector));
                continue;
            }
            double limit = e.has("max_ttd_s") ? e.get("max_ttd_s").asDouble() : sc.path("max_ttd_s").path(kind).asDouble(Double.MAX_VALUE);
            double ttd = seconds(hit.get("detected_at").asText()) - start;
            if (e.has("start") && ttd > limit) {
                problems.add(String.format("late %s %s: ttd %.1f s > %.1f s", host, kind, ttd, limit));
            }
        }
        Set<String> benign = new HashSet<>();
        truth.get("must_not").forEach(h -> benign.add(h.asText()));
        Set<String> infected = new HashSet<>();
        expected.forEach(e -> infected.add(e.get("host").asText()));
        Set<String> expectedKinds = new HashSet<>();
        expected.forEach(e -> expectedKinds.add(e.get("host").asText() + "|" + e.get("kind").asText()));
        truth.path("victims").forEach(v -> expectedKinds.add(v.asText() + "|ddos_target"));
        for (JsonNode i : incidents) {
            String host = i.get("host").asText();
            boolean expectedHere = expectedKinds.contains(host + "|" + i.get("kind").asText());
            if (!expectedHere && (benign.contains(host) || !infected.contains(host))) {
                problems.add("false positive " + i.get("kind").asText() + " on " + host + ": " + i.get("summary").asText());
            }
        }
        assertThat(problems).as("scenario %s", dir.getFileName()).isEmpty();
    }
}
