package io.bulwark.app.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.output.Json;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.incident.Incident;
import io.bulwark.simulate.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A crash loses nothing analyze reported as committed: the shaded jar analyzes a large
 * simulated outbreak into an H2 store, is killed with SIGKILL right after its first mid-run
 * store_commit event, and the store then opens cleanly (Flyway validates the schema) and holds
 * every incident any store_commit line named, each with evidence that is a consistent,
 * dense-numbered prefix of what the complete analysis gives that incident.
 */
class KilledAnalyzeIT {
    @TempDir
    Path dir;

    @Test
    void analyzeKilledMidRun_storeHoldsEveryIncidentReportedCommitted() throws Exception {
        Path pcap = dir.resolve("outbreak.pcap");
        Simulator.write("mirai-outbreak", 1, pcap, Simulator.Options.defaults().withTargetPackets(2_000_000));
        Path out = dir.resolve("out");
        String url = JdbcStore.h2Url(dir.resolve("data"));
        Path jar = Path.of("target", "bulwark.jar").toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // Commits every 50 ms: the whole run takes about two seconds here, and the test
                // must see a mid-run commit and kill the process well before the final one.
                "-Dbulwark.store.commitMillis=50", "-jar", jar.toString(), "analyze", pcap.toString(), "--out", out.toString(), "--store", url, "-q")
                .redirectErrorStream(true).redirectOutput(dir.resolve("analyze.log").toFile()).start();

        Path events = out.resolve("events.ndjson");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        boolean midRunCommit = false;
        while (!midRunCommit && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            midRunCommit = commits(events).stream().anyMatch(c -> !c.get("final").asBoolean());
        }
        p.toHandle().destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(midRunCommit).as("a mid-run commit before the end; log: %s",
                Files.readString(dir.resolve("analyze.log"))).isTrue();

        List<JsonNode> commits = commits(events);
        assertThat(commits).as("killed before the final commit").noneMatch(c -> c.get("final").asBoolean());
        Set<String> committed = new LinkedHashSet<>();
        commits.forEach(c -> c.get("incidents").forEach(id -> committed.add(id.asText())));
        assertThat(committed).isNotEmpty();

        Map<String, Incident> complete = completeAnalysis(pcap);
        System.out.printf("KilledAnalyzeIT: killed after %d mid-run commits naming %d of the %d incidents%n",
                commits.size(), committed.size(), complete.size());
        try (Store store = JdbcStore.open(url, null, null)) {
            for (String id : committed) {
                Incident stored = store.incident(id).orElseThrow(() -> new AssertionError(id + " reported committed, not in the store"))
                        .incident().incident();
                Incident full = complete.get(id);
                assertThat(full).as(id + " is an incident of the complete analysis").isNotNull();
                assertThat(stored.kind()).isEqualTo(full.kind());
                assertThat(stored.host()).isEqualTo(full.host());
                assertThat(stored.firstSeen()).isEqualTo(full.firstSeen());
                assertThat(stored.evidence()).as(id).isNotEmpty().isEqualTo(
                        full.evidence().subList(0, stored.evidence().size()));
            }
            assertThat(store.incidents(new Store.IncidentQuery(null, null, null, null, null, null, 0, 0)).total())
                    .isGreaterThanOrEqualTo(committed.size()).isLessThanOrEqualTo(complete.size());
        }
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT incident_id, COUNT(*), MIN(ordinal), MAX(ordinal) "
                     + "FROM evidence GROUP BY incident_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                assertThat(rs.getInt(3)).as(rs.getString(1)).isZero();
                assertThat(rs.getInt(4)).as(rs.getString(1)).isEqualTo(rs.getInt(2) - 1);
            }
        }
    }

    /** store_commit events among the complete lines written so far. */
    private static List<JsonNode> commits(Path events) throws Exception {
        if (!Files.exists(events)) {
            return List.of();
        }
        String text = new String(Files.readAllBytes(events), StandardCharsets.UTF_8);
        List<JsonNode> out = new ArrayList<>();
        int end = text.lastIndexOf('\n');
        if (end < 0) {
            return out;
        }
        for (String line : text.substring(0, end).split("\n")) {
            if (line.contains("\"store_commit\"")) {
                out.add(Json.MAPPER.readTree(line));
            }
        }
        return out;
    }

    private static Map<String, Incident> completeAnalysis(Path pcap) {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        a.add(pcap);
        return a.finish().incidents().stream().collect(Collectors.toMap(Incident::id, Function.identity()));
    }
}
