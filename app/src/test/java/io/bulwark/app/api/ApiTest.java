package io.bulwark.app.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.incident.Incident;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The REST API over HTTP on loopback: auth and roles, every route's answers, bounds and errors. */
class ApiTest {
    @TempDir
    static Path tmp;
    static ApiServer s;

    @BeforeAll
    static void start() throws Exception {
        s = new ApiServer(tmp);
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    private static String concrete(String path) {
        return path.replace("{id}", "x").replace("{ip}", "192.168.1.195");
    }

    private void assertError(HttpResponse<String> r, int status, String containing) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode e = s.json(r);
        assertThat(e.get("status").asInt()).isEqualTo(status);
        assertThat(e.get("error").asText()).contains(containing);
    }

    private Incident incidentOf(String kind) {
        return s.outbreak.incidents().stream().filter(i -> i.kind().name().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void evidence_analystGetsAVerifiableBundleWithThemselvesAsExaminer() throws Exception {
        Incident i = s.sample.incidents().get(0);
        HttpResponse<byte[]> r = s.getBytes("/api/incidents/" + i.id() + "/evidence", s.analyst);
        assertThat(r.statusCode()).as(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/zip");
        assertThat(r.headers().firstValue("Content-Disposition")).hasValueSatisfying(v -> assertThat(v).contains(i.id() + ".zip"));
        Path zip = tmp.resolve(i.id() + ".zip");
        java.nio.file.Files.write(zip, r.body());
        io.bulwark.app.evidence.Bundle.Verdict v = io.bulwark.app.evidence.Bundle.verify(zip);
        assertThat(v.ok()).as(v.checks().toString()).isTrue();
        try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(zip.toFile())) {
            JsonNode custody = Json.MAPPER.readTree(z.getInputStream(z.getEntry("custody.json")));
            assertThat(custody.toString()).contains("anna");
            JsonNode incident = Json.MAPPER.readTree(z.getInputStream(z.getEntry("incident.json")));
            assertThat(incident.get("id").asText()).isEqualTo(i.id());
        }
    }

    @Test
    void evidence_refusedToViewersAndUnknownOrForeignIncidents() {
        Incident sampleIncident = s.sample.incidents().get(0);
        HttpResponse<String> viewer = s.get("/api/incidents/" + sampleIncident.id() + "/evidence", s.viewer);
        assertError(viewer, 403, "role viewer");
        // Well-formed but recorded in no evidence directory (the outbreak was not analysed with one).
        assertError(s.get("/api/incidents/" + incidentOf("ddos").id() + "/evidence", s.analyst), 404, "no evidence for incident");
        assertError(s.get("/api/incidents/inc-0000000000000000/evidence", s.analyst), 404, "no evidence");
        // Not an incident id at all: never touches the directory.
        assertError(s.get("/api/incidents/..%2F..%2Flog/evidence", s.analyst), 404, "no incident");
    }

    @Test
    void evidence_whileTheLogIsOpenElsewhere_is503WithRetryAfter() throws Exception {
        Incident i = s.sample.incidents().get(0);
        try (io.bulwark.evidence.EvidenceLog log = io.bulwark.evidence.EvidenceLog.open(s.evidence.resolve("log"),
                java.time.Clock.fixed(ApiServer.NOW, java.time.ZoneOffset.UTC))) {
            HttpResponse<String> r = s.get("/api/incidents/" + i.id() + "/evidence", s.admin);
            assertError(r, 503, "evidence log is in use");
            assertThat(r.headers().firstValue("Retry-After")).hasValue("5");
        }
        assertThat(s.getBytes("/api/incidents/" + i.id() + "/evidence", s.admin).statusCode()).isEqualTo(200);
    }

    @Test
    void health_withoutToken_isOk() {
        HttpResponse<String> r = s.get("/api/health", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(s.json(r).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void everyRouteButHealth_withoutOrWithBadToken_is401() {
        List<String> routes = s.routes();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(12);
        for (String route : routes) {
            String method = route.substring(0, route.indexOf(' '));
            String path = concrete(route.substring(route.indexOf(' ') + 1));
            if (path.equals("/api/health")) {
                continue;
            }
            HttpRequest.BodyPublisher body = method.equals("POST") ? HttpRequest.BodyPublishers.ofString("{}") : null;
            HttpResponse<String> none = s.send(method, path, null, body);
            assertError(none, 401, "missing bearer token");
            assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"bulwark\"");
            assertError(s.send(method, path, "not-a-token", body), 401, "unknown or revoked token");
        }
    }

    @Test
    void viewer_cannotChangeStateOrManageTokens_is403() {
        Incident i = incidentOf("c2");
        assertError(s.post("/api/incidents/" + i.id() + "/state", s.viewer, "{\"state\":\"acknowledged\"}"), 403,
                "role viewer may not POST /api/incidents/{id}/state");
        assertError(s.post("/api/tokens", s.viewer, "{\"role\":\"admin\"}"), 403, "viewer");
        assertError(s.post("/api/tokens", s.analyst, "{\"role\":\"admin\"}"), 403, "analyst");
        assertThat(s.json(s.get("/api/incidents/" + i.id(), s.viewer)).get("state").asText()).isEqualTo("new");
    }

    @Test
    void analyst_changesState_historyRecordsWhoAndWhen() {
        Incident i = incidentOf("infection");
        HttpResponse<String> r = s.post("/api/incidents/" + i.id() + "/state", s.analyst,
                "{\"state\":\"acknowledged\",\"note\":\"calling the owner\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String who = Api.callerName(s.store.authenticate(s.analyst).orElseThrow());
        JsonNode after = s.json(s.get("/api/incidents/" + i.id(), s.viewer));
        assertThat(s.json(r)).isEqualTo(after);
        assertThat(after.get("state").asText()).isEqualTo("acknowledged");
        assertThat(after.get("state_changed_at").asText()).isEqualTo("2026-02-01T12:00:00.000000Z");
        assertThat(after.get("state_changed_by").asText()).isEqualTo(who).startsWith("anna (");
        JsonNode h = after.get("history");
        assertThat(h).hasSize(1);
        assertThat(h.get(0).get("from").asText()).isEqualTo("new");
        assertThat(h.get(0).get("to").asText()).isEqualTo("acknowledged");
        assertThat(h.get(0).get("by").asText()).isEqualTo(who);
        assertThat(h.get(0).get("at").asText()).isEqualTo("2026-02-01T12:00:00.000000Z");
        assertThat(h.get(0).get("note").asText()).isEqualTo("calling the owner");

        assertThat(s.post("/api/incidents/" + i.id() + "/state", s.admin, "{\"state\":\"contained\"}").statusCode()).isEqualTo(200);
        assertError(s.post("/api/incidents/" + i.id() + "/state", s.analyst, "{\"state\":\"acknowledged\"}"), 409, "contained");
    }

    @Test
    void changeState_badBodies_areNamed400sAnd404() {
        String path = "/api/incidents/" + incidentOf("scan").id() + "/state";
        assertError(s.post(path, s.analyst, "{\"state\":\"closed\"}"), 400, "bad field state");
        assertError(s.post(path, s.analyst, "{}"), 400, "bad field state: required");
        assertError(s.post(path, s.analyst, "{\"state\":\"resolved\",\"by\":\"someone\"}"), 400, "bad field by");
        assertError(s.post(path, s.analyst, "{\"state\":\"resolved\",\"note\":7}"), 400, "bad field note");
        assertError(s.post(path, s.analyst, "[1]"), 400, "JSON object");
        assertError(s.post(path, s.analyst, "{not json"), 400, "not JSON");
        assertError(s.post("/api/incidents/nope/state", s.analyst, "{\"state\":\"resolved\"}"), 404, "no incident nope");
    }

    @Test
    void hugeBody_is413_withOrWithoutContentLength() {
        String big = "{\"state\":\"acknowledged\",\"note\":\"" + "x".repeat(70 * 1024) + "\"}";
        String path = "/api/incidents/" + incidentOf("scan").id() + "/state";
        assertError(s.post(path, s.analyst, big), 413, "larger than 65536");
        HttpResponse<String> chunked = s.send("POST", path, s.analyst,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())));
        assertError(chunked, 413, "larger than 65536");
    }

    @Test
    void incident_isTheNdjsonObjectPlusState() throws Exception {
        Incident i = s.sample.incidents().get(0);
        JsonNode got = s.json(s.get("/api/incidents/" + i.id(), s.viewer));
        JsonNode ndjson = Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(RecordWriter.incident(i)));
        Set<String> extra = new HashSet<>();
        got.fieldNames().forEachRemaining(extra::add);
        ndjson.fieldNames().forEachRemaining(f -> {
            assertThat(got.get(f)).as(f).isEqualTo(ndjson.get(f));
            extra.remove(f);
        });
        assertThat(extra).containsExactlyInAnyOrder("state", "state_changed_at", "state_changed_by", "history");
        assertError(s.get("/api/incidents/does-not-exist", s.viewer), 404, "no incident does-not-exist");
    }

    @Test
    void incidents_filtersAndSortApply() {
        int all = s.outbreak.incidents().size() + s.sample.incidents().size();
        JsonNode page = s.json(s.get("/api/incidents?limit=500", s.viewer));
        assertThat(page.get("total").asLong()).isEqualTo(all);
        assertThat(page.get("items")).hasSize(all);
        assertThat(page.get("limit").asInt()).isEqualTo(500);
        List<String> detected = new ArrayList<>();
        page.get("items").forEach(i -> detected.add(i.get("detected_at").asText()));
        assertThat(detected).isSortedAccordingTo(java.util.Comparator.reverseOrder());

        JsonNode scans = s.json(s.get("/api/incidents?kind=scan&sort=host", s.viewer));
        assertThat(scans.get("total").asLong()).isPositive();
        scans.get("items").forEach(i -> assertThat(i.get("kind").asText()).isEqualTo("scan"));

        JsonNode host = s.json(s.get("/api/incidents?host=192.168.1.195", s.viewer));
        assertThat(host.get("total").asLong()).isEqualTo(s.sample.incidents().size());
        host.get("items").forEach(i -> assertThat(i.get("host").asText()).isEqualTo("192.168.1.195"));

        JsonNode open = s.json(s.get("/api/incidents?state=new&limit=500", s.viewer));
        open.get("items").forEach(i -> assertThat(i.get("state").asText()).isEqualTo("new"));

        JsonNode window = s.json(s.get("/api/incidents?from=2026-01-15T10:09:00Z&to=2026-01-15T12:09:00%2B01:00&limit=500", s.viewer));
        assertThat(window.get("total").asLong()).isPositive().isLessThan(all);
        window.get("items").forEach(i -> assertThat(Instant.parse(i.get("detected_at").asText()))
                .isAfterOrEqualTo(Instant.parse("2026-01-15T10:09:00Z")).isBefore(Instant.parse("2026-01-15T10:09:00Z")
                        .plusSeconds(3600)));
    }

    @Test
    void incidents_pagesAreBoundedAndDisjoint() {
        JsonNode p1 = s.json(s.get("/api/incidents?limit=5&offset=0&sort=detected_at", s.viewer));
        JsonNode p2 = s.json(s.get("/api/incidents?limit=5&offset=5&sort=detected_at", s.viewer));
        assertThat(p1.get("items")).hasSize(5);
        assertThat(p2.get("offset").asInt()).isEqualTo(5);
        Set<String> ids = new HashSet<>();
        p1.get("items").forEach(i -> ids.add(i.get("id").asText()));
        p2.get("items").forEach(i -> assertThat(ids.add(i.get("id").asText())).isTrue());
        JsonNode past = s.json(s.get("/api/incidents?offset=100000", s.viewer));
        assertThat(past.get("items")).isEmpty();
        assertThat(past.get("total").asLong()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=0", "limit=501", "limit=abc", "offset=-1", "kind=worm", "state=open",
            "from=yesterday", "to=2026-13-01T00:00:00Z", "sort=summary", "limit=1&limit=2", "colour=red",
            "from=2026-01-15T11:00:00Z&to=2026-01-15T10:00:00Z"})
    void incidents_badParameter_is400NamingIt(String query) {
        String name = query.startsWith("from=2026") ? "to" : query.substring(0, query.indexOf('='));
        assertError(s.get("/api/incidents?" + query, s.viewer), 400, "bad parameter " + name);
    }

    @Test
    void incidentsAndDevices_withoutApiFields_validateAgainstTheNdjsonSchemas() throws Exception {
        var incidentSchema = io.bulwark.app.output.Schemas.load("incident.schema.json");
        var deviceSchema = io.bulwark.app.output.Schemas.load("device.schema.json");
        List<String> violations = new ArrayList<>();
        for (JsonNode i : s.json(s.get("/api/incidents?limit=500", s.viewer)).get("items")) {
            var copy = ((com.fasterxml.jackson.databind.node.ObjectNode) i.deepCopy())
                    .without(List.of("state", "state_changed_at", "state_changed_by"));
            incidentSchema.validate(copy).forEach(m -> violations.add(i.get("id") + ": " + m.getMessage()));
        }
        for (JsonNode d : s.json(s.get("/api/devices?limit=500", s.viewer)).get("items")) {
            deviceSchema.validate(d).forEach(m -> violations.add(d.get("ip") + ": " + m.getMessage()));
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void devices_listSearchAndDetail() {
        JsonNode all = s.json(s.get("/api/devices?limit=500", s.viewer));
        assertThat(all.get("total").asLong()).isEqualTo(all.get("items").size()).isPositive();
        JsonNode first = all.get("items").get(0);
        assertThat(first.get("ip").asText()).isNotEmpty();
        assertThat(first.has("packets_out") && first.has("services") && first.has("incidents")).isTrue();

        JsonNode found = s.json(s.get("/api/devices?search=192.168.1.195", s.viewer));
        assertThat(found.get("items")).singleElement()
                .satisfies(d -> assertThat(d.get("ip").asText()).isEqualTo("192.168.1.195"));

        JsonNode dvr = s.json(s.get("/api/devices/192.168.1.195", s.viewer));
        assertThat(dvr.get("incident_details")).isNotEmpty();
        dvr.get("incident_details").forEach(i -> assertThat(i.get("host").asText()).isEqualTo("192.168.1.195"));
        assertThat(dvr.get("class").asText()).isEqualTo("dvr");
        assertThat(dvr.get("vendor").asText()).startsWith("Zhejiang Dahua");
        assertThat(dvr.get("posture")).hasSize(6);
        assertThat(dvr.get("posture").get(1).get("id").asText()).isEqualTo("default_credentials");
        assertThat(dvr.get("posture").get(1).get("status").asText()).isEqualTo("failed");
        assertError(s.get("/api/devices/10.9.9.9", s.viewer), 404, "no device 10.9.9.9");
        assertError(s.get("/api/devices?sort=bytes", s.viewer), 400, "bad parameter sort");
    }

    @Test
    void posture_countsEveryDeviceOncePerCheck() {
        JsonNode p = s.json(s.get("/api/posture", s.viewer));
        int devices = p.get("devices").asInt();
        assertThat(devices).isPositive();
        assertThat(p.get("complete").asBoolean()).isTrue();
        assertThat(p.get("checks")).hasSize(6).allSatisfy(c -> assertThat(
                c.get("passed").asInt() + c.get("failed").asInt() + c.get("unknown").asInt()).isEqualTo(devices));
        JsonNode creds = p.get("checks").get(1);
        assertThat(creds.get("id").asText()).isEqualTo("default_credentials");
        assertThat(creds.get("failing")).extracting(JsonNode::asText).contains("192.168.1.195");
        assertThat(p.get("classes").get("dvr").asInt()).isPositive();
        assertThat(s.get("/api/posture", null).statusCode()).isEqualTo(401);
    }

    @Test
    void overview_countsNewestAndTimeline() {
        JsonNode o = s.json(s.get("/api/overview?bucket=hour", s.viewer));
        long total = s.outbreak.incidents().size() + s.sample.incidents().size();
        assertThat(o.at("/counts/incidents").asLong()).isEqualTo(total);
        assertThat(o.at("/counts/devices").asLong()).isPositive();
        long byKind = 0;
        for (Iterator<JsonNode> it = o.get("by_kind").elements(); it.hasNext(); ) {
            byKind += it.next().asLong();
        }
        assertThat(byKind).isEqualTo(total);
        assertThat(o.get("newest")).hasSize(Api.NEWEST);
        assertThat(o.get("timeline")).isNotEmpty().allSatisfy(p -> {
            assertThat(Instant.parse(p.get("t").asText()).getEpochSecond() % 3600).isZero();
            assertThat(p.get("count").asLong()).isPositive();
        });
        assertThat(s.json(s.get("/api/overview?bucket=day", s.viewer)).get("bucket").asText()).isEqualTo("day");
        assertError(s.get("/api/overview?bucket=week", s.viewer), 400, "bad parameter bucket");
    }

    @Test
    void status_reportsUptimeStoreAndIngest() {
        JsonNode st = s.json(s.get("/api/status", s.viewer));
        assertThat(st.get("status").asText()).isEqualTo("ok");
        assertThat(st.get("uptime_seconds").asDouble()).isZero(); // fixed clock
        assertThat(st.at("/store/incidents").asLong()).isPositive();
        assertThat(st.at("/store/latency/write/count").asLong()).isEqualTo(2);
        assertThat(st.get("ingest").isNull()).isTrue();
    }

    @Test
    void openapi_isJsonAndListsEveryDeclaredRoute() {
        JsonNode doc = s.json(s.get("/api/openapi.json", s.viewer));
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        // the document is a resource file: it cannot use the constant, so it is held to it here
        assertThat(doc.at("/info/version").asText()).isEqualTo(io.bulwark.app.Version.NUMBER);
        Set<String> documented = new HashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> documented.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(s.routes());
    }

    @Test
    void metrics_isPrometheusText() {
        s.get("/api/health", null);
        HttpResponse<String> r = s.get("/metrics", s.viewer);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain; version=0.0.4"));
        String sample = "[a-zA-Z_:][a-zA-Z0-9_:]*(\\{[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\"(,[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\\\n]|\\\\.)*\")*\\})? -?[0-9.eE+-]+";
        assertThat(r.body().lines().toList()).allSatisfy(l ->
                assertThat(l).matches("# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .*|" + sample));
        assertThat(r.body()).contains("bulwark_incidents{kind=\"scan\"} ", "bulwark_devices ",
                "bulwark_store_latency_seconds_count{op=\"write\"} 2",
                "bulwark_http_requests_total{route=\"/api/health\",status=\"200\"} ");
    }

    @Test
    void admin_createsAndRevokesTokens() {
        HttpResponse<String> r = s.post("/api/tokens", s.admin, "{\"role\":\"viewer\",\"name\":\"grafana\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        JsonNode t = s.json(r);
        assertThat(t.get("name").asText()).isEqualTo("grafana");
        assertThat(s.get("/api/incidents?limit=1", t.get("secret").asText()).statusCode()).isEqualTo(200);
        assertThat(s.send("DELETE", "/api/tokens/" + t.get("id").asText(), s.admin, null).statusCode()).isEqualTo(204);
        assertError(s.get("/api/incidents?limit=1", t.get("secret").asText()), 401, "unknown or revoked");
        assertError(s.send("DELETE", "/api/tokens/" + t.get("id").asText(), s.admin, null), 404, "no token");
        assertError(s.post("/api/tokens", s.admin, "{\"role\":\"root\"}"), 400, "bad field role");
    }

    @Test
    void unknownRoute_is404Json_andDashboardIsServedWithCsp() {
        assertError(s.get("/api/nothing", s.viewer), 404, "no such route");
        assertError(s.get("/nothing.html", null), 404, "no such route");
        HttpResponse<String> d = s.get("/", null);
        assertThat(d.statusCode()).isEqualTo(200);
        assertThat(d.body()).contains("Bulwark");
        assertThat(d.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'self'"));
    }

    @Test
    void bearer_parsesOnlyTheBearerScheme() {
        assertThat(Api.bearer("Bearer abc")).isEqualTo("abc");
        assertThat(Api.bearer("bearer abc ")).isEqualTo("abc");
        assertThat(Api.bearer("Basic YWJj")).isNull();
        assertThat(Api.bearer("Bearer ")).isNull();
        assertThat(Api.bearer(null)).isNull();
        assertThat(Map.of()).isEmpty();
    }
}
