package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.api.Api;
import io.bulwark.app.api.ApiConfig;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.ShareTraffic;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.store.Store;
import io.bulwark.app.store.Stores;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TLP matrix of issue 20: one partner per ceiling (CLEAR, written "white" in the partner
 * file, GREEN, AMBER, AMBER+STRICT, RED), every marking, both collections, through the HTTP
 * server as {@code bulwark serve} mounts it (Api.create, 127.0.0.1, port 0). Reads go through
 * every route that returns objects or their ids: objects (paged), object by id, versions and
 * manifest; posts check what is stored and who can read it back. The expected levels are written
 * out here from the specs' marking-definition ids, not computed by the code under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TaxiiTlpTest {
    static final Instant NOW = Instant.parse("2026-11-27T12:00:00Z");
    /** Partner name to ceiling, least to most cleared. */
    static final Map<String, Tlp> CEILINGS = new LinkedHashMap<>();

    static {
        CEILINGS.put("clear", Tlp.CLEAR);
        CEILINGS.put("green", Tlp.GREEN);
        CEILINGS.put("amber", Tlp.AMBER);
        CEILINGS.put("strict", Tlp.AMBER_STRICT);
        CEILINGS.put("red", Tlp.RED);
    }

    /** The incidents spread over all five levels, deterministically (String.hashCode is specified). */
    static final Function<Incident, Tlp> MARKING = i -> Tlp.values()[Math.floorMod(i.id().hashCode(), 5)];

    // STIX 2.1 section 7.2.1.4 (TLP 1.0) and the OASIS TLP 2.0 extension, copied from the specs.
    static final String WHITE1 = "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9";
    static final String GREEN1 = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da";
    static final String AMBER1 = "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82";
    static final String RED1 = "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed";
    static final String CLEAR2 = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    static final String GREEN2 = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    static final String AMBER2 = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
    static final String STRICT2 = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    static final String RED2 = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    /** A marking definition no partner file or spec defines: a statement, a PAP level, a typo. */
    static final String UNKNOWN = "marking-definition--3c5a0b1e-0c55-4c3e-8f5d-2b7a9e1d4f60";
    static final Map<String, Tlp> TLP2 = Map.of(CLEAR2, Tlp.CLEAR, GREEN2, Tlp.GREEN, AMBER2, Tlp.AMBER,
            STRICT2, Tlp.AMBER_STRICT, RED2, Tlp.RED);

    /**
     * One way to mark an object.
     *
     * @param markings   JSON properties added to the object ("" for none)
     * @param level      the level the server must give it
     * @param defaulted  whether the server adds the default marking (AMBER) when storing it
     * @param understood false when the level is RED because a marking cannot be read
     */
    record Case(String name, String markings, Tlp level, boolean defaulted, boolean understood) {
    }

    static final List<Case> CASES = List.of(
            new Case("none", "", Tlp.AMBER, true, true),
            new Case("tlp2-clear", refs(CLEAR2), Tlp.CLEAR, false, true),
            new Case("tlp2-green", refs(GREEN2), Tlp.GREEN, false, true),
            new Case("tlp2-amber", refs(AMBER2), Tlp.AMBER, false, true),
            new Case("tlp2-amber+strict", refs(STRICT2), Tlp.AMBER_STRICT, false, true),
            new Case("tlp2-red", refs(RED2), Tlp.RED, false, true),
            new Case("tlp1-white", refs(WHITE1), Tlp.CLEAR, false, true),
            new Case("tlp1-green", refs(GREEN1), Tlp.GREEN, false, true),
            new Case("tlp1-amber", refs(AMBER1), Tlp.AMBER, false, true),
            new Case("tlp1-red", refs(RED1), Tlp.RED, false, true),
            new Case("unknown", refs(UNKNOWN), Tlp.RED, false, false),
            new Case("green+unknown", refs(GREEN2, UNKNOWN), Tlp.RED, false, false),
            new Case("clear2+amber1", refs(CLEAR2, AMBER1), Tlp.AMBER, false, true),
            new Case("green1+strict2", refs(GREEN1, STRICT2), Tlp.AMBER_STRICT, false, true),
            new Case("white1+green2", refs(WHITE1, GREEN2), Tlp.GREEN, false, true),
            new Case("red1+clear2", refs(RED1, CLEAR2), Tlp.RED, false, true),
            new Case("refs-not-a-list", "\"object_marking_refs\": \"" + GREEN2 + "\"", Tlp.RED, false, false),
            new Case("refs-empty", "\"object_marking_refs\": []", Tlp.RED, false, false),
            new Case("refs-not-ids", "\"object_marking_refs\": [42]", Tlp.RED, false, false),
            new Case("green+granular-red", refs(GREEN2) + ", \"description\": \"the loader's operator\", "
                    + "\"granular_markings\": [{\"marking_ref\": \"" + RED2 + "\", \"selectors\": [\"description\"]}]",
                    Tlp.RED, false, true),
            new Case("clear+granular-lang", refs(CLEAR2)
                    + ", \"granular_markings\": [{\"lang\": \"en\", \"selectors\": [\"pattern\"]}]", Tlp.CLEAR, false, true),
            new Case("green+granular-malformed", refs(GREEN2)
                    + ", \"granular_markings\": [{\"selectors\": [\"pattern\"]}]", Tlp.RED, false, false),
            new Case("clear+granular-unknown", refs(CLEAR2) + ", \"granular_markings\": [{\"marking_ref\": \""
                    + UNKNOWN + "\", \"selectors\": [\"pattern\"]}]", Tlp.RED, false, false),
            new Case("granular-green-only", "\"granular_markings\": [{\"marking_ref\": \"" + GREEN2
                    + "\", \"selectors\": [\"pattern\"]}]", Tlp.AMBER, true, true));

    static String refs(String... ids) {
        return "\"object_marking_refs\": [\"" + String.join("\", \"", ids) + "\"]";
    }

    @TempDir
    static Path tmp;
    Store store;
    Partners partners;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        store = Stores.open(null, tmp.resolve("data"));
        store.write(ShareTraffic.incidents(), List.of());
        StringBuilder json = new StringBuilder("{\"partners\": [");
        for (Map.Entry<String, Tlp> c : CEILINGS.entrySet()) {
            // CLEAR as TLP 1.0 names it: the partner file takes both.
            String tlp = c.getValue() == Tlp.CLEAR ? "white" : c.getValue().label();
            json.append(json.charAt(json.length() - 1) == '[' ? "" : ",").append("""
                    {"name": "%s", "password_sha256": "%s", "tlp": "%s", "collections": {
                      "bulwark-incidents": {"can_read": true}, "partner-intel": {"can_read": true, "can_write": true}}}
                    """.formatted(c.getKey(), Partners.hash(c.getKey() + "-pw"), tlp));
        }
        partners = Partners.parse(Json.MAPPER.readTree(json.append("]}").toString()));
    }

    @AfterAll
    void stop() {
        store.close();
    }

    /** A TAXII server mounted as serve mounts it, with its own (empty) partner-intel collection. */
    final class Server implements AutoCloseable {
        final Javalin app;
        final String root;

        Server() {
            TaxiiServer taxii = new TaxiiServer(store, new TaxiiServer.Config(partners, MARKING, null, "Test CERT",
                    Clock.fixed(NOW, ZoneOffset.UTC), TaxiiServer.DEFAULT_MAX_CONTENT, io.bulwark.net.LocalNets.defaults(),
                    TaxiiServer.DEFAULT_UNMARKED));
            app = Api.create(store, ApiConfig.defaults(Clock.fixed(NOW, ZoneOffset.UTC)).withTaxii(taxii))
                    .start("127.0.0.1", 0);
            root = "http://127.0.0.1:" + app.port() + "/taxii2/api/";
        }

        Reply get(String path, String user) throws Exception {
            return send(path, user, null);
        }

        Reply post(String collection, String user, List<? extends JsonNode> objects) throws Exception {
            ObjectNode env = Json.MAPPER.createObjectNode();
            env.putArray("objects").addAll(objects);
            Reply r = send("collections/" + collection + "/objects/", user, env.toString());
            assertThat(r.status).isEqualTo(202);
            return r;
        }

        Reply send(String path, String user, String body) throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(root + path)).timeout(Duration.ofSeconds(60))
                    .header("Accept", TaxiiServer.MEDIA)
                    .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                            (user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8)));
            if (body != null) {
                b.header("Content-Type", TaxiiServer.MEDIA).POST(HttpRequest.BodyPublishers.ofString(body));
            }
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r.body().length == 0 ? null : Json.MAPPER.readTree(r.body()), r);
        }

        /** Every page of a listing at {@code limit}; {@code pages[0]} counts them. */
        List<JsonNode> all(String path, String user, int limit, int[] pages) throws Exception {
            List<JsonNode> out = new ArrayList<>();
            String next = null;
            String sep = path.contains("?") ? "&" : "?";
            do {
                Reply r = get(path + sep + "limit=" + limit
                        + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8)), user);
                assertThat(r.status).isEqualTo(200);
                pages[0]++;
                if (r.body.has("objects")) {
                    r.body.get("objects").forEach(out::add);
                } else {
                    assertThat(r.body.get("more").asBoolean()).as("an empty page says there is no more").isFalse();
                }
                next = r.body.path("more").asBoolean() ? r.body.get("next").asText() : null;
            } while (next != null);
            return out;
        }

        @Override
        public void close() {
            app.stop();
        }
    }

    record Reply(int status, JsonNode body, HttpResponse<byte[]> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    static String id(String poster, String caseName) {
        return "indicator--" + UUID.nameUUIDFromBytes((poster + "/" + caseName).getBytes(StandardCharsets.UTF_8));
    }

    static ObjectNode indicator(String id, String markings, String address) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"type": "indicator", "spec_version": "2.1", "id": "%s",
                 "created": "2026-11-01T00:00:00.000Z", "modified": "2026-11-01T00:00:00.000Z",
                 "pattern": "[ipv4-addr:value = '%s']", "pattern_type": "stix", "valid_from": "2026-11-01T00:00:00Z"%s}
                """.formatted(id, address, markings.isEmpty() ? "" : ", " + markings));
    }

    static Set<String> ids(Iterable<JsonNode> objects, String field) {
        Set<String> s = new LinkedHashSet<>();
        objects.forEach(o -> s.add(o.get(field).asText()));
        return s;
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> l = new ArrayList<>();
        if (array != null) {
            array.forEach(l::add);
        }
        return l;
    }

    /**
     * partner-intel: every partner posts every marking case; the status says what was recorded;
     * every partner then reads back exactly the cases at or below its own ceiling, whoever posted
     * them, on every route, and the page counts know nothing of the rest.
     */
    @Test
    void partnerIntel_everyCeilingPostsEveryMarking_andEveryCeilingReadsOnlyWhatItMay() throws Exception {
        try (Server s = new Server()) {
            Map<String, ObjectNode> stored = new LinkedHashMap<>(); // id -> what the server must hold
            Map<String, Tlp> level = new HashMap<>();
            for (Map.Entry<String, Tlp> poster : CEILINGS.entrySet()) {
                List<ObjectNode> env = new ArrayList<>();
                for (Case c : CASES) {
                    String id = id(poster.getKey(), c.name);
                    ObjectNode o = indicator(id, c.markings, "203.0.113.9");
                    env.add(o);
                    ObjectNode expect = o.deepCopy();
                    if (c.defaulted) {
                        expect.putArray("object_marking_refs").add(AMBER2);
                    }
                    stored.put(id, expect);
                    level.put(id, c.level);
                }
                Reply r = s.post("partner-intel", poster.getKey(), env);
                // The source decides the marking: nothing is refused for being above the poster's ceiling ...
                assertThat(r.body.get("success_count").asInt()).isEqualTo(CASES.size());
                assertThat(r.body.get("failure_count").asInt()).isZero();
                Map<String, String> messages = new HashMap<>();
                r.body.get("successes").forEach(d -> messages.put(d.get("id").asText(), d.path("message").asText("")));
                for (Case c : CASES) {
                    String m = messages.get(id(poster.getKey(), c.name));
                    String what = poster.getKey() + " posting " + c.name + ": " + m;
                    // ... but the status tells the poster what was recorded, and that it cannot read it back.
                    assertThat(m.contains("above your ceiling")).as(what).isEqualTo(!c.level.allowedUpTo(poster.getValue()));
                    assertThat(m.contains("stored as TLP:AMBER")).as(what).isEqualTo(c.defaulted);
                    assertThat(m.contains("readable at TLP:RED only")).as(what).isEqualTo(!c.understood);
                }
            }

            for (Map.Entry<String, Tlp> reader : CEILINGS.entrySet()) {
                String who = reader.getKey();
                Set<String> expected = new LinkedHashSet<>();
                stored.keySet().stream().filter(id -> level.get(id).allowedUpTo(reader.getValue())).forEach(expected::add);
                assertThat(expected).as(who).isNotEmpty();

                // objects, in pages of 4: exactly the readable ones, and no page more than they need.
                int[] pages = {0};
                List<JsonNode> paged = s.all("collections/partner-intel/objects/", who, 4, pages);
                assertThat(ids(paged, "id")).as(who).isEqualTo(expected).hasSize(paged.size());
                assertThat(pages[0]).as(who + " pages").isEqualTo((expected.size() + 3) / 4);
                for (JsonNode o : paged) {
                    assertThat(o).as(who).isEqualTo(stored.get(o.get("id").asText()));
                }
                // The same through every filter that could widen it.
                for (String q : List.of("?limit=1000&match[type]=indicator", "?limit=1000&match[version]=all",
                        "?limit=1000&match[version]=first", "?limit=1000&added_after=2000-01-01T00:00:00Z",
                        "?limit=1000&match[spec_version]=2.1",
                        "?limit=1000&match[id]=" + String.join(",", stored.keySet()))) {
                    Reply r = s.get("collections/partner-intel/objects/" + q, who);
                    assertThat(ids(list(r.body.get("objects")), "id")).as(who + q).isEqualTo(expected);
                    assertThat(r.body.get("more").asBoolean()).isFalse();
                }
                // manifest
                int[] mpages = {0};
                List<JsonNode> manifest = s.all("collections/partner-intel/manifest/", who, 5, mpages);
                assertThat(ids(manifest, "id")).as(who + " manifest").isEqualTo(expected);
                assertThat(mpages[0]).as(who + " manifest pages").isEqualTo((expected.size() + 4) / 5);
                // object by id and its versions: 404 for what it may not see, as for what does not exist.
                for (String id : stored.keySet()) {
                    Reply one = s.get("collections/partner-intel/objects/" + id + "/", who);
                    Reply versions = s.get("collections/partner-intel/objects/" + id + "/versions/", who);
                    if (expected.contains(id)) {
                        assertThat(one.status).as(who + " " + id).isEqualTo(200);
                        assertThat(list(one.body.get("objects"))).containsExactly(stored.get(id));
                        assertThat(versions.status).isEqualTo(200);
                        assertThat(list(versions.body.get("versions"))).extracting(JsonNode::asText)
                                .containsExactly("2026-11-01T00:00:00.000Z");
                    } else {
                        assertThat(one.status).as(who + " reads " + id + " at " + level.get(id)).isEqualTo(404);
                        assertThat(versions.status).as(who + " versions of " + id).isEqualTo(404);
                        assertThat(one.raw.body()).asString(StandardCharsets.UTF_8).doesNotContain("203.0.113.9");
                        Reply m = s.get("collections/partner-intel/manifest/?match[id]=" + id, who);
                        assertThat(m.body.has("objects")).isFalse();
                        assertThat(m.header("X-TAXII-Date-Added-First")).isNull();
                    }
                }
            }
        }
    }

    /**
     * bulwark-incidents: the store's incidents marked at all five levels; every ceiling gets every
     * object at or below it and none above, on every route.
     */
    @Test
    void bulwarkIncidents_everyCeiling_getsEveryObjectAtOrBelowIt_andNothingAbove() throws Exception {
        try (Server s = new Server()) {
            int[] pages = {0};
            List<JsonNode> red = s.all("collections/bulwark-incidents/objects/", "red", 1000, pages);
            Map<String, Tlp> redLevels = new HashMap<>();
            Set<Tlp> used = EnumSet.noneOf(Tlp.class);
            for (JsonNode o : red) {
                redLevels.put(o.get("id").asText(), level(o));
                used.add(level(o));
            }
            assertThat(used).as("the store really holds every level").containsExactlyInAnyOrder(Tlp.values());
            // By id: three objects of each level, the first by id (each request exports the store again).
            List<String> sample = new ArrayList<>();
            for (Tlp t : Tlp.values()) {
                redLevels.entrySet().stream().filter(e -> e.getValue() == t).map(Map.Entry::getKey).sorted().limit(3)
                        .forEach(sample::add);
            }

            for (Map.Entry<String, Tlp> reader : CEILINGS.entrySet()) {
                String who = reader.getKey();
                Tlp ceiling = reader.getValue();
                List<JsonNode> seen = s.all("collections/bulwark-incidents/objects/", who, 50, new int[1]);
                Set<Tlp> levels = EnumSet.noneOf(Tlp.class);
                for (JsonNode o : seen) {
                    assertThat(level(o).allowedUpTo(ceiling)).as(who + " got " + o).isTrue();
                    levels.add(level(o));
                }
                for (Tlp t : Tlp.values()) {
                    assertThat(levels.contains(t)).as(who + " gets objects marked " + t).isEqualTo(t.allowedUpTo(ceiling));
                }
                Set<String> mine = ids(seen, "id");
                // Every object RED sees marked above CLEAR and at or below this ceiling is there for
                // this reader too (not so the CLEAR ones, which include the marking definitions and
                // the shared malware and techniques: an export holds those its incidents use).
                redLevels.forEach((id, l) -> {
                    if (l != Tlp.CLEAR && l.allowedUpTo(ceiling)) {
                        assertThat(mine).as(who + " misses " + id).contains(id);
                    }
                });
                assertThat(ids(s.all("collections/bulwark-incidents/manifest/", who, 1000, new int[1]), "id"))
                        .as(who + " manifest").isEqualTo(mine);
                Map<String, JsonNode> byId = new HashMap<>();
                seen.forEach(o -> byId.put(o.get("id").asText(), o));
                for (String id : sample) {
                    Reply one = s.get("collections/bulwark-incidents/objects/" + id + "/", who);
                    Reply versions = s.get("collections/bulwark-incidents/objects/" + id + "/versions/", who);
                    if (mine.contains(id)) {
                        assertThat(list(one.body.get("objects"))).containsExactly(byId.get(id));
                        assertThat(versions.status).isEqualTo(200);
                    } else {
                        assertThat(one.status).as(who + " reads " + id).isEqualTo(404);
                        assertThat(versions.status).as(who + " versions of " + id).isEqualTo(404);
                    }
                }
            }
        }
    }

    /** The level of a served object from the spec ids: marking definitions are public, the rest is the worst marking. */
    static Tlp level(JsonNode o) {
        if (o.get("type").asText().equals("marking-definition") && TLP2.containsKey(o.get("id").asText())) {
            return Tlp.CLEAR;
        }
        Tlp worst = Tlp.CLEAR;
        assertThat(o.has("object_marking_refs")).as("marked: " + o).isTrue();
        for (JsonNode r : o.get("object_marking_refs")) {
            Tlp t = TLP2.get(r.asText());
            assertThat(t).as("an OASIS TLP 2.0 marking: " + r).isNotNull();
            worst = t.ordinal() > worst.ordinal() ? t : worst;
        }
        return worst;
    }

    /**
     * The reported attack: RED posts TLP:RED (2.0 and 1.0) and TLP:AMBER+STRICT indicators to
     * partner-intel; AMBER, reading every way it can and pulling with Bulwark's own client, gets
     * only the AMBER one posted beside them, and re-posting a RED object's id and version under
     * its own marking gives it back its own copy, never RED's.
     */
    @Test
    void amberPartner_neverSeesTheRedObjectAnotherPartnerPosted() throws Exception {
        try (Server s = new Server()) {
            String red2 = "indicator--0d8b3a9e-4c1f-4f5e-9a47-6b0c2d1e3f01";
            String red1 = "indicator--0d8b3a9e-4c1f-4f5e-9a47-6b0c2d1e3f02";
            String strict = "indicator--0d8b3a9e-4c1f-4f5e-9a47-6b0c2d1e3f03";
            String amber = "indicator--0d8b3a9e-4c1f-4f5e-9a47-6b0c2d1e3f04";
            Reply posted = s.post("partner-intel", "red", List.of(
                    indicator(red2, refs(RED2), "198.51.100.66"), indicator(red1, refs(RED1), "198.51.100.67"),
                    indicator(strict, refs(STRICT2), "198.51.100.68"), indicator(amber, refs(AMBER2), "198.51.100.69")));
            String sid = posted.body.get("id").asText();
            List<String> secret = List.of(red2, red1, strict);
            List<String> secretText = List.of("198.51.100.66", "198.51.100.67", "198.51.100.68");

            List<Reply> seen = new ArrayList<>();
            for (String q : List.of("objects/", "objects/?limit=1", "objects/?match[version]=all",
                    "objects/?added_after=1970-01-01T00:00:00Z", "manifest/",
                    "objects/?match[id]=" + String.join(",", secret), "manifest/?match[id]=" + String.join(",", secret))) {
                seen.add(s.get("collections/partner-intel/" + q, "amber"));
            }
            // By id, a hidden object answers exactly as one that never existed (the id asked for is echoed).
            String never = "indicator--0d8b3a9e-4c1f-4f5e-9a47-6b0c2d1e3fff";
            for (String route : List.of("objects/%s/", "objects/%s/versions/")) {
                Reply absent = s.get("collections/partner-intel/" + route.formatted(never), "amber");
                assertThat(absent.status).isEqualTo(404);
                for (String id : secret) {
                    Reply hidden = s.get("collections/partner-intel/" + route.formatted(id), "amber");
                    assertThat(hidden.status).isEqualTo(404);
                    assertThat(hidden.body.toString().replace(id, never)).isEqualTo(absent.body.toString());
                    assertThat(hidden.raw.headers().map().keySet()).isEqualTo(absent.raw.headers().map().keySet());
                }
            }
            seen.add(s.get("status/" + sid + "/", "amber"));
            for (Reply r : seen) {
                String text = new String(r.raw.body(), StandardCharsets.UTF_8);
                for (String id : secret) {
                    assertThat(text).doesNotContain(id);
                }
                for (String t : secretText) {
                    assertThat(text).doesNotContain(t);
                }
            }
            assertThat(ids(list(seen.get(0).body.get("objects")), "id")).containsExactly(amber);
            assertThat(seen.get(1).body.get("more").asBoolean()).as("one AMBER object: one page").isFalse();
            assertThat(seen.get(5).body.has("objects")).isFalse();
            assertThat(seen.get(seen.size() - 1).status).as("RED's status").isEqualTo(404);

            // share pull, as AMBER and as RED.
            TaxiiClient.Result a = new TaxiiClient(URI.create(s.root), "amber", "amber-pw", Duration.ofSeconds(30))
                    .pull("partner-intel", null, 1);
            assertThat(a.indicators()).extracting(o -> o.get("id").asText()).containsExactly(amber);
            TaxiiClient.Result r = new TaxiiClient(URI.create(s.root), "red", "red-pw", Duration.ofSeconds(30))
                    .pull("partner-intel", null, 1);
            assertThat(r.indicators()).extracting(o -> o.get("id").asText())
                    .containsExactlyInAnyOrder(red2, red1, strict, amber);

            // AMBER guesses RED's id and version and posts its own object under them: it reads back
            // its own, which tells it nothing about RED's; RED still reads the one it posted.
            Reply guess = s.post("partner-intel", "amber", List.of(indicator(red2, refs(AMBER2), "192.0.2.1")));
            assertThat(guess.body.get("success_count").asInt()).isEqualTo(1);
            Reply back = s.get("collections/partner-intel/objects/" + red2 + "/", "amber");
            assertThat(back.body.get("objects").get(0).get("pattern").asText()).contains("192.0.2.1");
            assertThat(back.body.toString()).doesNotContain("198.51.100.66");
            Reply redBack = s.get("collections/partner-intel/objects/" + red2 + "/", "red");
            assertThat(list(redBack.body.get("objects"))).hasSize(1);
            assertThat(redBack.body.get("objects").get(0).get("pattern").asText()).contains("198.51.100.66");

            // RED re-posting the same version marked lower changes nothing: a new marking needs a new version.
            Reply again = s.post("partner-intel", "red", List.of(indicator(red1, refs(GREEN2), "198.51.100.67")));
            assertThat(again.body.get("successes").get(0).get("message").asText())
                    .isEqualTo("this version was stored before, as TLP:RED; unchanged");
            assertThat(s.get("collections/partner-intel/objects/" + red1 + "/", "amber").status).isEqualTo(404);
        }
    }

    /**
     * The TLP marking definitions are readable at every ceiling, as published whatever the post
     * carried; one that claims another level than its id's is refused; a partner's own marking
     * definition is partner content like any other (unmarked: AMBER).
     */
    @Test
    void tlpMarkingDefinitions_alwaysReadable_asPublished() throws Exception {
        try (Server s = new Server()) {
            ObjectNode amber1 = (ObjectNode) Json.MAPPER.readTree("""
                    {"type": "marking-definition", "spec_version": "2.1", "id": "%s", "created": "2017-01-20T00:00:00.000Z",
                     "definition_type": "tlp", "name": "TLP:AMBER", "definition": {"tlp": "amber"}}""".formatted(AMBER1));
            ObjectNode red2 = (ObjectNode) Json.MAPPER.readTree("""
                    {"type": "marking-definition", "spec_version": "2.1", "id": "%s", "created": "2022-10-01T00:00:00.000Z",
                     "name": "TLP:RED", "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
                       {"extension_type": "property-extension", "tlp_2_0": "red"}}}""".formatted(RED2));
            ObjectNode smuggled = red2.deepCopy();
            smuggled.put("description", "the C2 at 198.51.100.70 belongs to our customer");
            ObjectNode forged = (ObjectNode) Json.MAPPER.readTree("""
                    {"type": "marking-definition", "spec_version": "2.1", "id": "%s", "created": "2022-10-01T00:00:00.000Z",
                     "name": "TLP:CLEAR", "extensions": {"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d":
                       {"extension_type": "property-extension", "tlp_2_0": "clear"}}}""".formatted(STRICT2));
            ObjectNode statement = (ObjectNode) Json.MAPPER.readTree("""
                    {"type": "marking-definition", "spec_version": "2.1", "id": "%s", "created": "2026-01-01T00:00:00.000Z",
                     "definition_type": "statement", "definition": {"statement": "Copyright 2026, cert-east"}}"""
                    .formatted(UNKNOWN));

            Reply r = s.post("partner-intel", "red", List.of(amber1, smuggled, forged, statement));
            assertThat(r.body.get("success_count").asInt()).isEqualTo(3);
            assertThat(r.body.get("failures").get(0).get("id").asText()).isEqualTo(STRICT2);

            for (Map.Entry<String, Tlp> reader : CEILINGS.entrySet()) {
                Reply all = s.get("collections/partner-intel/objects/?limit=1000", reader.getKey());
                Map<String, JsonNode> got = new HashMap<>();
                list(all.body.get("objects")).forEach(o -> got.put(o.get("id").asText(), o));
                assertThat(got.get(AMBER1)).as(reader.getKey()).isEqualTo(amber1);
                assertThat(got.get(RED2)).as(reader.getKey()).isEqualTo(red2); // the description stayed out
                assertThat(all.body.toString()).doesNotContain("198.51.100.70");
                assertThat(got.containsKey(STRICT2)).isFalse();
                assertThat(got.containsKey(UNKNOWN)).as(reader.getKey()).isEqualTo(Tlp.AMBER.allowedUpTo(reader.getValue()));
                assertThat(s.get("collections/partner-intel/objects/" + RED2 + "/", reader.getKey()).status).isEqualTo(200);
            }
        }
    }
}
