package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.api.Api;
import io.bulwark.app.api.ApiConfig;
import io.bulwark.app.cli.Main;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.ShareTraffic;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.store.Store;
import io.bulwark.app.store.Stores;
import io.bulwark.detect.Kind;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.javalin.Javalin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TAXII server over real HTTP on 127.0.0.1 (port 0), mounted by Api.create on an H2 store
 * filled with the analyzer's incidents of the sample capture and the simulator's
 * mirai-outbreak; c2 and ddos incidents are marked AMBER+STRICT, the rest GREEN. Every endpoint,
 * the refusals, the TLP ceiling, pseudonymisation, and Bulwark's own client pulling every page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaxiiTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    static final Function<Incident, Tlp> MARKING =
            i -> i.kind() == Kind.c2 || i.kind() == Kind.ddos ? Tlp.AMBER_STRICT : Tlp.GREEN;
    /** A stand-in for Crypto-PAn that moves 192.168/16 into 10/8. */
    static final UnaryOperator<IpAddr> PSEUDO =
            a -> a.isV4() ? IpAddr.ofV4(0x0a000000 | ((a.v4() ^ 0x00a5a5a5) & 0xffffff)) : a;

    @TempDir
    static Path tmp;
    Store store;
    Javalin app;
    String root;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() {
        store = Stores.open(null, tmp.resolve("data"));
        store.write(ShareTraffic.incidents(), List.of());
        String json = """
                {"partners": [
                  {"name": "green", "password_sha256": "%s", "tlp": "green",
                   "collections": {"bulwark-incidents": {"can_read": true}, "partner-intel": {"can_read": true, "can_write": true}}},
                  {"name": "strict", "password_sha256": "%s", "tlp": "amber+strict",
                   "collections": {"bulwark-incidents": {"can_read": true, "can_write": true}}},
                  {"name": "pseudo", "password_sha256": "%s", "tlp": "red", "pseudonymise": true,
                   "collections": {"bulwark-incidents": {"can_read": true}}},
                  {"name": "writer", "password_sha256": "%s", "tlp": "clear",
                   "collections": {"partner-intel": {"can_write": true}}}
                ]}""".formatted(Partners.hash("g-pw"), Partners.hash("s-pw"), Partners.hash("p-pw"), Partners.hash("w-pw"));
        Partners partners;
        try {
            partners = Partners.parse(Json.MAPPER.readTree(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        TaxiiServer taxii = new TaxiiServer(store, new TaxiiServer.Config(partners, MARKING, PSEUDO, "Test CERT",
                Clock.fixed(NOW, ZoneOffset.UTC), TaxiiServer.DEFAULT_MAX_CONTENT, io.bulwark.net.LocalNets.defaults(),
                TaxiiServer.DEFAULT_UNMARKED, true)); // the outbreak's bots are private: pull feeds them to the ioc detector
        app = Api.create(store, ApiConfig.defaults(Clock.fixed(NOW, ZoneOffset.UTC)).withTaxii(taxii))
                .start("127.0.0.1", 0);
        root = "http://127.0.0.1:" + app.port() + "/taxii2/";
    }

    @AfterAll
    void stop() {
        app.stop();
        store.close();
    }

    record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    Reply get(String path, String user) throws Exception {
        return send(path, user, "GET", null, TaxiiServer.MEDIA, TaxiiServer.MEDIA);
    }

    Reply send(String path, String user, String method, String body, String accept, String type) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60));
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder()
                    .encodeToString((user + ":" + user.charAt(0) + "-pw").getBytes(StandardCharsets.UTF_8)));
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (body != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        JsonNode n = r.body().length == 0 ? null : Json.MAPPER.readTree(r.body());
        return new Reply(r.statusCode(), n, r);
    }

    /** Every page of a listing at {@code limit}, checking headers and order on the way. */
    List<JsonNode> all(String path, String user, int limit, String field, int[] pages) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        String next = null;
        String lastAdded = null;
        String sep = path.contains("?") ? "&" : "?";
        do {
            Reply r = get(path + sep + "limit=" + limit + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), user);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.raw.headers().firstValue("Content-Type")).contains(TaxiiServer.MEDIA);
            pages[0]++;
            if (r.body.has(field)) {
                assertThat(r.body.get(field).size()).isLessThanOrEqualTo(limit);
                r.body.get(field).forEach(out::add);
                String first = r.header("X-TAXII-Date-Added-First");
                assertThat(first).isNotNull();
                if (lastAdded != null) {
                    assertThat(Instant.parse(first)).isAfterOrEqualTo(Instant.parse(lastAdded));
                }
                lastAdded = r.header("X-TAXII-Date-Added-Last");
            }
            next = r.body.path("more").asBoolean() ? r.body.get("next").asText() : null;
        } while (next != null);
        return out;
    }

    static Set<String> ids(List<JsonNode> objects) {
        Set<String> s = new LinkedHashSet<>();
        objects.forEach(o -> s.add(o.get("id").asText()));
        return s;
    }

    @Test
    void discovery_apiRoot_collections_describeTheServer() throws Exception {
        Reply d = get("", "green");
        assertThat(d.status).isEqualTo(200);
        assertThat(d.body.get("api_roots").get(0).asText()).endsWith("/taxii2/api/");
        Reply a = get("api/", "green");
        assertThat(a.body.get("versions").get(0).asText()).isEqualTo(TaxiiServer.MEDIA);
        assertThat(a.body.get("max_content_length").asInt()).isPositive();
        Reply c = get("api/collections/", "green");
        assertThat(c.body.get("collections")).hasSize(2);
        JsonNode intel = c.body.get("collections").get(1);
        assertThat(intel.get("alias").asText()).isEqualTo("partner-intel");
        assertThat(intel.get("can_write").asBoolean()).isTrue();
        Reply byId = get("api/collections/" + intel.get("id").asText() + "/", "green");
        assertThat(byId.body).isEqualTo(intel);
        // The incidents collection is never writable, whatever the partner file says.
        assertThat(get("api/collections/bulwark-incidents/", "strict").body.get("can_write").asBoolean()).isFalse();
        assertThat(get("api/collections/", "writer").body.get("collections")).hasSize(1);
    }

    @Test
    void refusals_401_403_404_406_415() throws Exception {
        Reply none = get("api/collections/", null);
        assertThat(none.status).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).startsWith("Basic");
        assertThat(none.body.get("http_status").asText()).isEqualTo("401");
        HttpRequest wrong = HttpRequest.newBuilder(URI.create(root + "api/")).header("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("green:nope".getBytes(StandardCharsets.UTF_8))).build();
        assertThat(http.send(wrong, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        assertThat(get("api/collections/bulwark-incidents/objects/", "writer").status).isEqualTo(403);
        assertThat(get("api/collections/bulwark-incidents/", "writer").status).isEqualTo(403);
        assertThat(get("api/collections/partner-intel/objects/", "strict").status).isEqualTo(403);
        assertThat(get("api/collections/no-such/objects/", "green").status).isEqualTo(404);
        assertThat(get("api/collections/bulwark-incidents/objects/indicator--00000000-0000-4000-8000-000000000000/",
                "green").status).isEqualTo(404);
        assertThat(send("api/", "green", "GET", null, "text/html", null).status).isEqualTo(406);
        assertThat(send("api/", "green", "GET", null, "application/taxii+json;version=2.0", null).status).isEqualTo(406);
        assertThat(send("api/", "green", "GET", null, "*/*", null).status).isEqualTo(200);
        String env = "{\"objects\": []}";
        assertThat(send("api/collections/partner-intel/objects/", "green", "POST", env, null, "application/json").status)
                .isEqualTo(415);
        assertThat(send("api/collections/bulwark-incidents/objects/", "strict", "POST", env, null, TaxiiServer.MEDIA).status)
                .isEqualTo(403);
        assertThat(get("api/collections/bulwark-incidents/objects/?limit=0", "green").status).isEqualTo(400);
        assertThat(get("api/collections/bulwark-incidents/objects/?next=garbage", "green").status).isEqualTo(400);
        assertThat(get("api/collections/bulwark-incidents/objects/?added_after=yesterday", "green").status).isEqualTo(400);
    }

    @Test
    void objects_limit5_pagesThroughEverythingOnceInOrder() throws Exception {
        int[] pages = {0};
        List<JsonNode> paged = all("api/collections/bulwark-incidents/objects/", "strict", 5, "objects", pages);
        Reply whole = get("api/collections/bulwark-incidents/objects/?limit=1000", "strict");
        assertThat(whole.body.get("more").asBoolean()).isFalse();
        assertThat(pages[0]).isGreaterThan(5);
        assertThat(ids(paged)).hasSize(paged.size()); // no object twice across page boundaries
        List<JsonNode> one = new ArrayList<>();
        whole.body.get("objects").forEach(one::add);
        assertThat(paged).isEqualTo(one);

        int[] mpages = {0};
        List<JsonNode> manifest = all("api/collections/bulwark-incidents/manifest/", "strict", 5, "objects", mpages);
        assertThat(manifest).hasSize(paged.size());
        Instant prev = Instant.EPOCH;
        for (int i = 0; i < manifest.size(); i++) {
            JsonNode m = manifest.get(i);
            assertThat(m.get("id").asText()).isEqualTo(paged.get(i).get("id").asText());
            assertThat(m.get("media_type").asText()).isEqualTo("application/stix+json;version=2.1");
            assertThat(m.get("version").asText()).isNotEmpty();
            Instant added = Instant.parse(m.get("date_added").asText());
            assertThat(added).isAfterOrEqualTo(prev);
            prev = added;
        }
    }

    @Test
    void objectById_versions_andMatchFilters() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        get("api/collections/bulwark-incidents/objects/?limit=1000", "green").body.get("objects").forEach(all::add);
        JsonNode ind = all.stream().filter(o -> o.get("type").asText().equals("indicator")).findFirst().orElseThrow();
        String id = ind.get("id").asText();
        Reply one = get("api/collections/bulwark-incidents/objects/" + id + "/", "green");
        assertThat(one.body.get("objects")).containsExactly(ind);
        assertThat(one.header("X-TAXII-Date-Added-Last")).isNotNull();
        Reply versions = get("api/collections/bulwark-incidents/objects/" + id + "/versions/", "green");
        assertThat(versions.body.get("versions")).hasSize(1);
        assertThat(versions.body.get("versions").get(0).asText()).isEqualTo(ind.get("modified").asText());

        Reply types = get("api/collections/bulwark-incidents/objects/?limit=1000&match%5Btype%5D=indicator,malware", "green");
        Set<String> seen = new HashSet<>();
        types.body.get("objects").forEach(o -> seen.add(o.get("type").asText()));
        assertThat(seen).containsExactlyInAnyOrder("indicator", "malware");
        String other = all.get(all.size() - 1).get("id").asText();
        Reply two = get("api/collections/bulwark-incidents/objects/?match[id]=" + id + "," + other, "green");
        assertThat(ids(list(two.body.get("objects")))).containsExactlyInAnyOrder(id, other);
        Reply allVersions = get("api/collections/bulwark-incidents/objects/?limit=1000&match[version]=all", "green");
        assertThat(allVersions.body.get("objects")).hasSize(all.size());
        Reply exact = get("api/collections/bulwark-incidents/objects/?match[id]=" + id + "&match[version]="
                + ind.get("modified").asText(), "green");
        assertThat(exact.body.get("objects")).hasSize(1);
        Reply spec20 = get("api/collections/bulwark-incidents/objects/?match[spec_version]=2.0", "green");
        assertThat(spec20.body.get("more").asBoolean()).isFalse();
        assertThat(spec20.body.has("objects")).isFalse();
        assertThat(spec20.header("X-TAXII-Date-Added-First")).isNull();
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        array.forEach(l::add);
        return l;
    }

    @Test
    void greenPartner_neverGetsAmberStrict_andPseudonymisedPartner_neverSeesRealAddresses() throws Exception {
        int[] pages = {0};
        List<JsonNode> green = all("api/collections/bulwark-incidents/objects/", "green", 50, "objects", pages);
        List<JsonNode> strict = all("api/collections/bulwark-incidents/objects/", "strict", 50, "objects", pages);
        String amberStrict = Tlp.AMBER_STRICT.stixId();
        assertThat(strict.toString()).contains(amberStrict); // the marking is really used ...
        assertThat(green.toString()).doesNotContain(amberStrict); // ... and never reaches GREEN
        assertThat(green.toString()).doesNotContain(Tlp.AMBER.stixId());
        Set<String> strictOnly = new HashSet<>(ids(strict));
        strictOnly.removeAll(ids(green));
        assertThat(strictOnly).isNotEmpty();
        for (JsonNode o : get("api/collections/bulwark-incidents/objects/?limit=1000&match[id]="
                + String.join(",", strictOnly), "green").body.path("objects")) {
            throw new AssertionError("served to GREEN: " + o);
        }

        List<JsonNode> pseudo = all("api/collections/bulwark-incidents/objects/", "pseudo", 1000, "objects", pages);
        Set<String> hosts = new HashSet<>();
        ShareTraffic.incidents().forEach(i -> hosts.add(i.host()));
        String text = pseudo.toString();
        assertThat(pseudo).isNotEmpty();
        for (String h : hosts) {
            assertThat(text).doesNotContain("'" + h + "'").doesNotContain("\"" + h + "\"");
        }
    }

    @Test
    void post_toWritableCollection_storesObjects_andStatusReportsThem() throws Exception {
        // Marked GREEN: unmarked objects are stored AMBER, which this GREEN poster could not read back (TaxiiTlpTest).
        String env = """
                {"objects": [
                  {"type": "indicator", "spec_version": "2.1", "id": "indicator--1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
                   "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z",
                   "pattern": "[ipv4-addr:value = '203.0.113.7']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z",
                   "object_marking_refs": ["%1$s"]},
                  {"type": "indicator", "spec_version": "2.1", "id": "indicator--1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b",
                   "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-02T00:00:00.000Z",
                   "pattern": "[ipv4-addr:value = '203.0.113.8']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z",
                   "object_marking_refs": ["%1$s"]},
                  {"type": "indicator", "id": "not-an-id"}
                ]}""".formatted(Tlp.GREEN.stixId());
        Reply posted = send("api/collections/partner-intel/objects/", "green", "POST", env, TaxiiServer.MEDIA, TaxiiServer.MEDIA);
        assertThat(posted.status).isEqualTo(202);
        assertThat(posted.body.get("success_count").asInt()).isEqualTo(2);
        assertThat(posted.body.get("failure_count").asInt()).isEqualTo(1);
        String sid = posted.body.get("id").asText();
        Reply status = get("api/status/" + sid + "/", "green");
        assertThat(status.body).isEqualTo(posted.body);
        assertThat(status.body.get("status").asText()).isEqualTo("complete");
        assertThat(get("api/status/" + sid + "/", "strict").status).isEqualTo(404); // not another partner's

        String id = "indicator--1f2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b";
        Reply latest = get("api/collections/partner-intel/objects/", "green");
        assertThat(latest.body.get("objects")).hasSize(1);
        assertThat(latest.body.get("objects").get(0).get("modified").asText()).isEqualTo("2026-11-02T00:00:00.000Z");
        assertThat(latest.header("X-TAXII-Date-Added-Last")).isEqualTo("2026-11-27T12:00:00.000Z");
        Reply first = get("api/collections/partner-intel/objects/?match[version]=first", "green");
        assertThat(first.body.get("objects").get(0).get("modified").asText()).isEqualTo("2026-11-01T00:00:00.000Z");
        Reply versions = get("api/collections/partner-intel/objects/" + id + "/versions/", "green");
        assertThat(list(versions.body.get("versions"))).extracting(JsonNode::asText)
                .containsExactly("2026-11-01T00:00:00.000Z", "2026-11-02T00:00:00.000Z");
        // The writer may write but not read.
        assertThat(send("api/collections/partner-intel/objects/", "writer", "POST", "{\"objects\": []}",
                TaxiiServer.MEDIA, TaxiiServer.MEDIA).status).isEqualTo(202);
        assertThat(get("api/collections/partner-intel/objects/", "writer").status).isEqualTo(403);
    }

    /**
     * Bulwark's own client ({@code bulwark share pull}) pulls every page and gets every
     * indicator; a second pull resumes from the state file and gets only what was added since.
     */
    @Test
    void sharePull_ownServer_getsEveryIndicator_thenResumesWithAddedAfter() throws Exception {
        Set<String> expected = new HashSet<>();
        get("api/collections/bulwark-incidents/objects/?limit=1000&match[type]=indicator", "strict").body.get("objects")
                .forEach(o -> expected.add(o.get("id").asText()));
        assertThat(expected).hasSizeGreaterThan(10);
        Path pw = tmp.resolve("pw");
        Files.writeString(pw, "s-pw\n");
        Path out = tmp.resolve("pulled.json");
        String[] args = {"share", "pull", "--from", root, "--collection", "bulwark-incidents", "--user", "strict",
                "--password-file", pw.toString(), "--limit", "5", "--out", out.toString()};
        assertThat(Main.run(args)).isZero();
        JsonNode bundle = Json.MAPPER.readTree(out.toFile());
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertThat(ids(list(bundle.get("objects")))).isEqualTo(expected).hasSize(bundle.get("objects").size());
        Path state = Path.of(out + ".taxii-state");
        String last = Files.readString(state).strip();
        assertThat(Instant.parse(last)).isNotNull();

        // The pulled indicators feed the ioc detector: the outbreak's traffic contacts the bots
        // they name (the 2026-01 outbreak, seed 1, the capture the indicators came from).
        Path outbreak = tmp.resolve("outbreak-for-ioc.pcap");
        io.bulwark.simulate.Simulator.write("mirai-outbreak", 1, outbreak, io.bulwark.simulate.Simulator.Options.defaults());
        Path iocOut = tmp.resolve("ioc-out");
        assertThat(Main.run("analyze", "-q", "--no-store", "--ioc", out.toString(), outbreak.toString(),
                "--out", iocOut.toString())).isZero();
        assertThat(Files.readString(iocOut.resolve("incidents.ndjson"))).contains("\"kind\":\"ioc\"");

        // Later traffic: copies of three incidents a day on, so new objects with later dates added.
        List<Incident> later = new ArrayList<>();
        long day = 86_400_000_000_000L;
        for (Incident i : ShareTraffic.incidents().stream().filter(i -> MARKING.apply(i) == Tlp.GREEN).limit(3).toList()) {
            later.add(new Incident(i.id() + "-later", i.kind(), i.host(), i.mac(), i.firstSeen() + day,
                    i.detectedAt() + day, i.lastSeen() + day, i.severity(), i.confidence(), i.summary(), i.detector(),
                    i.detail(), i.evidence()));
        }
        store.write(later, List.of());
        assertThat(Main.run(args)).isZero();
        JsonNode again = Json.MAPPER.readTree(out.toFile());
        assertThat(again.get("objects")).hasSize(3);
        ids(list(again.get("objects"))).forEach(i -> assertThat(expected).doesNotContain(i));
        assertThat(Instant.parse(Files.readString(state).strip())).isAfter(Instant.parse(last));

        // And the library client straight from the API root, everything, in pages of 7.
        TaxiiClient.Result r = new TaxiiClient(URI.create(root + "api/"), "strict", "s-pw", Duration.ofSeconds(30))
                .pull("bulwark-incidents", null, 7);
        assertThat(r.pages()).isGreaterThan(1);
        assertThat(r.indicators()).hasSize(expected.size() + 3);
    }
}
