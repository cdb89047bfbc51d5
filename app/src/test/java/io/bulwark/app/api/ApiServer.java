package io.bulwark.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.TestPaths;
import io.bulwark.app.evidence.EvidenceArchive;
import io.bulwark.app.output.Json;
import io.bulwark.app.store.Store;
import io.bulwark.simulate.Simulator;
import io.javalin.Javalin;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The API on 127.0.0.1 and an ephemeral port over a {@link MemoryStore} filled by a real
 * analysis of the bundled sample and the simulator's mirai-outbreak, with one token per role
 * and a fixed clock; plus a loopback HTTP client.
 */
final class ApiServer implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");

    final MemoryStore store = new MemoryStore();
    final Analyzer.Result sample;
    final Analyzer.Result outbreak;
    /** The evidence directory of the sample's analysis (the outbreak's incidents are not in it). */
    final Path evidence;
    final String viewer;
    final String analyst;
    final String admin;
    final Javalin app;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    ApiServer(Path tmp) throws IOException {
        Path samplePcap = TestPaths.locate("samples/iot-lan-scan.pcap");
        sample = analyze(samplePcap);
        evidence = tmp.resolve("evidence");
        EvidenceArchive.record(evidence, List.of(samplePcap), sample.incidents(), new byte[0],
                Clock.fixed(NOW, ZoneOffset.UTC));
        Path pcap = tmp.resolve("mirai-outbreak.pcap");
        Simulator.write("mirai-outbreak", 21, pcap, Simulator.Options.defaults());
        outbreak = analyze(pcap);
        store.write(sample.incidents(), sample.devices());
        store.write(outbreak.incidents(), outbreak.devices());
        viewer = store.createToken(Store.Role.viewer, "vera", NOW).secret();
        analyst = store.createToken(Store.Role.analyst, "anna", NOW).secret();
        admin = store.createToken(Store.Role.admin, "adam", NOW).secret();
        app = Api.create(store, ApiConfig.defaults(Clock.fixed(NOW, ZoneOffset.UTC)).withEvidence(evidence))
                .start("127.0.0.1", 0);
    }

    private static Analyzer.Result analyze(Path p) {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        Analyzer.InputStatus s = a.add(p);
        if (s.error() != null) {
            throw new IllegalStateException(s.error());
        }
        return a.finish();
    }

    /** Method and path of every route the app declares (not filters), as Javalin lists them. */
    List<String> routes() {
        List<String> out = new ArrayList<>();
        app.unsafe.internalRouter.allHttpHandlers().forEach(p -> {
            if (METHODS.contains(p.endpoint.method.toString())) {
                out.add(p.endpoint.method + " " + p.endpoint.path);
            }
        });
        return out;
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + app.port() + pathAndQuery);
    }

    HttpResponse<String> send(String method, String path, String token, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : body);
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(String path, String token) {
        return send("GET", path, token, null);
    }

    HttpResponse<byte[]> getBytes(String path, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> post(String path, String token, String json) {
        return send("POST", path, token, HttpRequest.BodyPublishers.ofString(json));
    }

    JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    @Override
    public void close() {
        app.stop();
    }
}
