package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Uuid5;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Pulls the {@code indicator} objects of one TAXII 2.1 collection (OASIS TAXII 2.1 section 5.4),
 * following {@code next} across pages, with HTTP Basic credentials. The objects are kept as
 * the server sent them. Not thread-safe; one client per pull.
 */
public final class TaxiiClient {
    /** Pages followed at most in one pull: a server that never says "more": false cannot hold us forever. */
    static final int MAX_PAGES = 100_000;

    /**
     * @param indicators the indicator objects, in the order served
     * @param lastAdded  the latest X-TAXII-Date-Added-Last seen, to resume with added_after; null when nothing came
     */
    public record Result(List<ObjectNode> indicators, int pages, String lastAdded) {
        /** The indicators, untouched, as one STIX 2.1 bundle (its id a UUIDv5 of theirs, so the same pull gives the same bytes). */
        public ObjectNode bundle() {
            ObjectNode b = Json.MAPPER.createObjectNode();
            b.put("type", "bundle");
            StringBuilder ids = new StringBuilder();
            indicators.forEach(o -> ids.append(o.path("id").asText()).append('\n'));
            b.put("id", "bundle--" + Uuid5.of(Uuid5.BULWARK, "bundle/" + ids));
            if (!indicators.isEmpty()) {
                ArrayNode a = b.putArray("objects");
                indicators.forEach(a::add);
            }
            return b;
        }
    }

    private final HttpClient http;
    private final URI from;
    private final String authorization;
    private final Duration timeout;

    /** @param from the API root (…/taxii2/api/) or the discovery URL (…/taxii2/), whose default root is used */
    public TaxiiClient(URI from, String user, String password, Duration timeout) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.from = from.toString().endsWith("/") ? from : URI.create(from + "/");
        this.authorization = "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.timeout = timeout;
    }

    /**
     * @param addedAfter only objects added after this RFC 3339 time, or null for all
     * @param limit      objects per page asked for (the server may serve fewer)
     */
    public Result pull(String collection, String addedAfter, int limit) throws IOException, InterruptedException {
        if (addedAfter != null) {
            Instant.parse(addedAfter); // fails here, not as a 400 from the server
        }
        URI root = from;
        JsonNode first = get(from).body;
        if (first.has("api_roots")) {
            root = from.resolve(first.path("default").asText(first.path("api_roots").path(0).asText()));
        }
        String base = root + "collections/" + URLEncoder.encode(collection, StandardCharsets.UTF_8)
                + "/objects/?match%5Btype%5D=indicator&limit=" + limit
                + (addedAfter == null ? "" : "&added_after=" + URLEncoder.encode(addedAfter, StandardCharsets.UTF_8));
        List<ObjectNode> out = new ArrayList<>();
        String lastAdded = null;
        String next = null;
        int pages = 0;
        while (true) {
            if (++pages > MAX_PAGES) {
                throw new IOException("more than " + MAX_PAGES + " pages; stopped");
            }
            Reply r = get(URI.create(base + (next == null ? "" : "&next=" + URLEncoder.encode(next, StandardCharsets.UTF_8))));
            for (JsonNode o : r.body.path("objects")) {
                if (o.isObject() && "indicator".equals(o.path("type").asText())) {
                    if (out.size() >= MAX_OBJECTS) {
                        throw new IOException("more than " + MAX_OBJECTS + " objects in one pull; stopped");
                    }
                    out.add((ObjectNode) o);
                }
            }
            if (r.lastAdded != null && (lastAdded == null || Instant.parse(r.lastAdded).isAfter(Instant.parse(lastAdded)))) {
                lastAdded = r.lastAdded;
            }
            String n = r.body.path("next").asText(null);
            if (!r.body.path("more").asBoolean(false) || n == null) {
                return new Result(List.copyOf(out), pages, lastAdded);
            }
            if (n.equals(next)) {
                throw new IOException("server repeated the next token " + n + "; stopped");
            }
            next = n;
        }
    }

    static final int MAX_PAGE_BYTES = 32 << 20;
    static final int MAX_OBJECTS = 1_000_000;

    private record Reply(JsonNode body, String lastAdded) {
    }

    private Reply get(URI uri) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", TaxiiServer.MEDIA).header("Authorization", authorization).GET().build();
        // A partner's server is not trusted with our memory: one page is read to at most
        // MAX_PAGE_BYTES, and a pull keeps at most MAX_OBJECTS objects.
        HttpResponse<java.io.InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        byte[] bytes;
        try (java.io.InputStream in = res.body()) {
            bytes = in.readNBytes(MAX_PAGE_BYTES + 1);
        }
        if (bytes.length > MAX_PAGE_BYTES) {
            throw new IOException("GET " + uri + ": a page larger than " + (MAX_PAGE_BYTES >> 20) + " MiB; stopped");
        }
        JsonNode body;
        try {
            body = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            body = null;
        }
        if (res.statusCode() != 200) {
            String why = body == null ? "" : ": " + body.path("title").asText("");
            throw new IOException("GET " + uri + " gave HTTP " + res.statusCode() + why);
        }
        if (body == null || !body.isObject()) {
            throw new IOException("GET " + uri + ": not a JSON object");
        }
        return new Reply(body, res.headers().firstValue("X-TAXII-Date-Added-Last").orElse(null));
    }
}
