package io.bulwark.app.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.Version;
import io.bulwark.app.evidence.Bundle;
import io.bulwark.app.output.Json;
import io.bulwark.app.store.Store;
import io.bulwark.evidence.EvidenceLog;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.router.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The REST API and dashboard of {@code bulwark serve} (issue 5). Every route is declared in
 * {@link #create}, each with the {@link Access} it needs; nothing is discovered by reflection.
 *
 * <p>Every route except {@code GET /api/health} needs {@code Authorization: Bearer <secret>}:
 * no or an unknown token gives 401, a token whose role is too low 403. Every error is
 * {"error": "...", "status": n}. Request bodies above {@link ApiConfig#maxBodyBytes} give 413.
 * The dashboard (classpath folder /dashboard) is served at / without a token: it holds no
 * data and asks for a token itself. Handlers are thread-safe as long as the store is.
 */
public final class Api {
    /** No script, style, image or connection from anywhere but this server; no framing. */
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    static final int NEWEST = 10;
    private static final Logger LOG = LoggerFactory.getLogger(Api.class);
    private static final String CALLER = "bulwark.caller";

    /** Who is calling: the role from the store and the name recorded in incident history. */
    record Caller(Store.Role role, String name) {
    }

    /** Incident ids as IncidentBuilder makes them; anything else never reaches the evidence directory. */
    private static final Pattern INCIDENT_ID = Pattern.compile("inc-[0-9a-f]{16}");

    private final Store store;
    private final Object evidenceLock = new Object();
    private final ApiConfig cfg;
    private final Metrics metrics = new Metrics();
    private final Instant started;
    private final byte[] openapi;

    private Api(Store store, ApiConfig cfg) {
        this.store = store;
        this.cfg = cfg;
        this.started = cfg.clock().instant();
        try (InputStream in = Api.class.getResourceAsStream("/api/openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("api/openapi.json missing from the classpath");
            }
            this.openapi = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The application, not started: call {@code start(host, port)} and, when done, {@code stop()}. */
    public static Javalin create(Store store, ApiConfig cfg) {
        Api api = new Api(store, cfg);
        return Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = cfg.taxii() == null ? cfg.maxBodyBytes()
                    : Math.max(cfg.maxBodyBytes(), cfg.taxii().maxContentLength());
            c.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/dashboard";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Content-Security-Policy", CSP, "X-Content-Type-Options", "nosniff");
            });
            // The chart library, vendored as a WebJar at build time (no CDN, no front-end build).
            c.staticFiles.enableWebjars();
            c.requestLogger.http((ctx, ms) -> api.metrics.request(routeOf(ctx), ctx.statusCode()));
            RoutesConfig r = c.routes;
            r.before(api::guard);
            r.beforeMatched(api::authorize);

            route(r, HandlerType.GET, "/api/health", Access.open, ctx -> json(ctx, 200, Map.of("status", "ok")));
            route(r, HandlerType.GET, "/api/incidents", Access.read, api::incidents);
            route(r, HandlerType.GET, "/api/incidents/{id}", Access.read, api::incident);
            route(r, HandlerType.POST, "/api/incidents/{id}/state", Access.change, api::changeState);
            route(r, HandlerType.GET, "/api/incidents/{id}/evidence", Access.change, api::evidence);
            route(r, HandlerType.GET, "/api/devices", Access.read, api::devices);
            route(r, HandlerType.GET, "/api/devices/{ip}", Access.read, api::device);
            route(r, HandlerType.GET, "/api/posture", Access.read, api::posture);
            route(r, HandlerType.GET, "/api/overview", Access.read, api::overview);
            route(r, HandlerType.GET, "/api/status", Access.read, api::status);
            route(r, HandlerType.GET, "/api/openapi.json", Access.read,
                    ctx -> ctx.status(200).contentType("application/json").result(api.openapi));
            route(r, HandlerType.POST, "/api/tokens", Access.admin, api::createToken);
            route(r, HandlerType.DELETE, "/api/tokens/{id}", Access.admin, api::revokeToken);
            route(r, HandlerType.GET, "/metrics", Access.read, api::metrics);
            // TAXII 2.1 for partners: HTTP Basic per partner, not tokens, so no Access role here.
            if (cfg.taxii() != null) {
                cfg.taxii().routes(r);
            }

            r.exception(ApiError.class, (e, ctx) -> {
                if (e.status == 401) {
                    ctx.header("WWW-Authenticate", "Bearer realm=\"bulwark\"");
                }
                json(ctx, e.status, Views.error(e.status, e.getMessage()));
            });
            // Javalin's own refusals (an unmatched route is one) in our shape.
            r.exception(HttpResponseException.class, (e, ctx) -> json(ctx, e.getStatus(), Views.error(e.getStatus(),
                    e.getStatus() == 404 ? noRoute(ctx) : e.getMessage())));
            r.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                json(ctx, 500, Views.error(500, "internal error"));
            });
            // Unmatched paths and methods; routes that answer 404 themselves already wrote JSON.
            r.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    json(ctx, 404, Views.error(404, noRoute(ctx)));
                }
            });
        });
    }

    private static String noRoute(Context ctx) {
        return "no such route: " + ctx.method() + " " + ctx.path();
    }

    private static void route(RoutesConfig r, HandlerType method, String path, Access access, Handler h) {
        r.addHttpHandler(method, path, h, access);
    }

    private static String routeOf(Context ctx) {
        Endpoint e = ctx.endpoints().matchedHttpEndpoint();
        if (e != null) {
            return e.path;
        }
        return ctx.statusCode() < 400 ? "static" : "unmatched";
    }

    static void json(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType("application/json").result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    // --- request guards --------------------------------------------------------------------

    /** Headers every response carries, and the body cap checked before anything is read. */
    private void guard(Context ctx) {
        ctx.header("Content-Security-Policy", CSP);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        if (ctx.contentLength() > cfg.maxBodyBytes() && !(cfg.taxii() != null && ctx.path().startsWith("/taxii2/"))) {
            drain(ctx);
            throw new ApiError(413, "request body larger than " + cfg.maxBodyBytes() + " bytes");
        }
    }

    /** Bytes of a refused body read and dropped before answering, at most. */
    private static final int DRAIN_LIMIT = 1 << 20;

    /**
     * Reads and drops the rest of a refused request body (up to {@link #DRAIN_LIMIT}), so that the
     * 413 reaches a client still sending: closing on unread bytes makes the kernel reset the
     * connection, and the client sees no answer at all (seen in ApiTest, now and then).
     */
    private static void drain(Context ctx) {
        try (InputStream in = ctx.bodyInputStream()) {
            long left = DRAIN_LIMIT;
            byte[] buf = new byte[8192];
            int n;
            while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException ignored) {
            // the client went away: nothing to answer
        }
    }

    private void authorize(Context ctx) {
        Set<?> roles = ctx.routeRoles();
        if (roles.isEmpty() || roles.contains(Access.open)) {
            return; // static dashboard files, and health
        }
        Access need = (Access) roles.iterator().next();
        String secret = bearer(ctx.header("Authorization"));
        if (secret == null) {
            throw new ApiError(401, "missing bearer token");
        }
        Store.Holder holder = store.authenticate(secret)
                .orElseThrow(() -> new ApiError(401, "unknown or revoked token"));
        Store.Role role = holder.role();
        if (!need.allows(role)) {
            throw new ApiError(403, "role " + role + " may not " + ctx.method() + " " + routeOf(ctx));
        }
        ctx.attribute(CALLER, new Caller(role, callerName(holder)));
    }

    /** The secret of an RFC 6750 bearer credential, or null. The scheme is case-insensitive. */
    static String bearer(String header) {
        if (header == null || header.length() < 8 || header.length() > 1024
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String s = header.substring(7).trim();
        return s.isEmpty() ? null : s;
    }

    /** The name history records for a caller: the token's name, and its id so that two tokens of one name differ. */
    static String callerName(Store.Holder h) {
        String name = h.name() == null || h.name().isBlank() ? h.role().name() : h.name();
        // The store keeps at most 200 characters of who changed a state.
        return (name.length() > 160 ? name.substring(0, 160) : name) + " (" + h.tokenId() + ")";
    }

    /** The body as a JSON object, read to at most maxBodyBytes (also when no Content-Length was sent). */
    private JsonNode bodyObject(Context ctx) throws IOException {
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(cfg.maxBodyBytes() + 1);
        }
        if (body.length > cfg.maxBodyBytes()) {
            drain(ctx);
            throw new ApiError(413, "request body larger than " + cfg.maxBodyBytes() + " bytes");
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ApiError(400, "body is not JSON");
        }
        if (n == null || !n.isObject()) {
            throw new ApiError(400, "body must be a JSON object");
        }
        return n;
    }

    private static String field(JsonNode body, String name, boolean required, int maxLength) {
        JsonNode v = body.get(name);
        if (v == null || v.isNull()) {
            if (required) {
                throw new ApiError(400, "bad field " + name + ": required");
            }
            return null;
        }
        if (!v.isTextual() || v.asText().length() > maxLength) {
            throw new ApiError(400, "bad field " + name + ": must be a string of at most " + maxLength + " characters");
        }
        return v.asText();
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        body.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                throw new ApiError(400, "bad field " + f + ": unknown; expected " + allowed.stream().sorted().toList());
            }
        });
    }

    // --- handlers ------------------------------------------------------------------------

    private void incidents(Context ctx) {
        Params p = Params.of(ctx, "kind", "host", "state", "from", "to", "sort", "limit", "offset");
        Instant from = p.time("from");
        Instant to = p.time("to");
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiError.badParam("to", "must be after from");
        }
        Store.IncidentQuery q = new Store.IncidentQuery(p.kind("kind"), p.text("host"), p.state("state"), from, to,
                orDefault(p.oneOf("sort", Params.INCIDENT_SORTS), "-detected_at"), p.limit(), p.offset());
        json(ctx, 200, Views.page(store.incidents(q), Views::incident));
    }

    private void incident(Context ctx) {
        Params.of(ctx);
        String id = ctx.pathParam("id");
        Store.IncidentDetail d = store.incident(id).orElseThrow(() -> new ApiError(404, "no incident " + id));
        json(ctx, 200, Views.incident(d));
    }

    /**
     * The incident's evidence bundle (docs/evidence.md), built on request from the evidence
     * directory as {@code bulwark evidence export} builds it, with the caller as examiner in the
     * chain of custody. Analysts and admins only: a bundle holds raw packets. One export at a
     * time: the evidence log is opened (and locked) per export, so that {@code analyze} can
     * append to it between requests; while an analysis holds it the answer is 503.
     */
    private void evidence(Context ctx) throws IOException {
        Params.of(ctx);
        String id = ctx.pathParam("id");
        if (cfg.evidenceDir() == null) {
            throw new ApiError(404, "no evidence directory: start serve with --evidence DIR");
        }
        if (!INCIDENT_ID.matcher(id).matches()) {
            throw new ApiError(404, "no incident " + id);
        }
        Caller who = ctx.attribute(CALLER);
        Path zip = Files.createTempFile("bulwark-bundle-", ".zip");
        try {
            synchronized (evidenceLock) {
                Bundle.export(cfg.evidenceDir(), id, zip, who.name() + " (bulwark serve API)", null, cfg.clock(), true);
            }
            ctx.status(200).contentType("application/zip")
                    .header("Content-Disposition", "attachment; filename=\"" + id + ".zip\"")
                    .result(Files.readAllBytes(zip));
        } catch (Bundle.NoSuchIncident e) {
            throw new ApiError(404, "no evidence for incident " + id + " in the evidence directory");
        } catch (EvidenceLog.Busy e) {
            ctx.header("Retry-After", "5");
            throw new ApiError(503, "the evidence log is in use (an analysis is writing it); try again shortly");
        } finally {
            Files.deleteIfExists(zip);
        }
    }

    private void changeState(Context ctx) throws IOException {
        Params.of(ctx);
        String id = ctx.pathParam("id");
        JsonNode body = bodyObject(ctx);
        onlyFields(body, Set.of("state", "note"));
        String stateText = field(body, "state", true, 32);
        Store.State to;
        try {
            to = Params.state("state", stateText);
        } catch (ApiError e) {
            throw new ApiError(400, "bad field state: '" + stateText + "' is not one of " + Params.stateIds());
        }
        String note = field(body, "note", false, 2000);
        Caller who = ctx.attribute(CALLER);
        Store.IncidentDetail d;
        try {
            d = store.changeState(id, to, who.name(), cfg.clock().instant(), note)
                    .orElseThrow(() -> new ApiError(404, "no incident " + id));
        } catch (IllegalStateException e) {
            throw new ApiError(409, e.getMessage() == null ? "transition not allowed" : e.getMessage());
        }
        json(ctx, 200, Views.incident(d));
    }

    private void devices(Context ctx) {
        Params p = Params.of(ctx, "search", "sort", "limit", "offset");
        Store.DeviceQuery q = new Store.DeviceQuery(p.text("search"),
                orDefault(p.oneOf("sort", Params.DEVICE_SORTS), "ip"), p.limit(), p.offset());
        json(ctx, 200, Views.page(store.devices(q), io.bulwark.app.output.RecordWriter::device));
    }

    private void device(Context ctx) {
        Params.of(ctx);
        String ip = ctx.pathParam("ip");
        Store.DeviceDetail d = store.device(ip).orElseThrow(() -> new ApiError(404, "no device " + ip));
        json(ctx, 200, Views.device(d));
    }

    /** Devices a posture summary reads at most (MAX_PAGE at a time). */
    static final int POSTURE_DEVICES = 100_000;

    private void posture(Context ctx) {
        Params.of(ctx);
        // One past the bound tells whether there were more.
        java.util.List<io.bulwark.inventory.DeviceSummary> all =
                store.devicesUpTo(new Store.DeviceQuery(null, "ip", Store.MAX_PAGE, 0), POSTURE_DEVICES + 1);
        boolean complete = all.size() <= POSTURE_DEVICES;
        json(ctx, 200, Views.posture(complete ? all : all.subList(0, POSTURE_DEVICES), complete));
    }

    private void overview(Context ctx) {
        Params p = Params.of(ctx, "bucket");
        String bucket = orDefault(p.oneOf("bucket", Set.of("hour", "day")), "hour");
        Store.Overview o = store.overview(NEWEST, bucket.equals("hour") ? 3600 : 86400);
        // The Overview record carries counts only; the newest incidents come from the page query.
        var newest = store.incidents(new Store.IncidentQuery(null, null, null, null, null, "-detected_at", NEWEST, 0));
        json(ctx, 200, Views.overview(o, newest.items(), bucket));
    }

    /** An operation's latency as the status view writes it, in this key order on every run. */
    private static Map<String, Object> countAndSum(long count, double sumSeconds) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("sum_seconds", sumSeconds);
        return m;
    }

    private void status(Context ctx) {
        Params.of(ctx);
        Instant now = cfg.clock().instant();
        Store.Overview o = store.overview(1, 86400);
        Map<String, Object> latency = new LinkedHashMap<>();
        new java.util.TreeMap<>(store.latency()).forEach((op, cs) ->
                latency.put(op, countAndSum((long) cs[0], cs[1] / 1000.0)));
        Map<String, Object> storeView = new LinkedHashMap<>();
        storeView.put("devices", o.devices());
        storeView.put("incidents", o.incidents());
        storeView.put("by_state", o.byState());
        storeView.put("latency", latency);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", "ok");
        m.put("version", Version.NUMBER);
        m.put("started_at", Views.time(started));
        m.put("uptime_seconds", Duration.between(started, now).toMillis() / 1000.0);
        m.put("http_requests", metrics.totalRequests());
        m.put("store", storeView);
        m.put("ingest", cfg.metrics() == null ? null : cfg.metrics().counters());
        json(ctx, 200, m);
    }

    private void createToken(Context ctx) throws IOException {
        Params.of(ctx);
        JsonNode body = bodyObject(ctx);
        onlyFields(body, Set.of("role", "name"));
        String roleText = field(body, "role", true, 16);
        Store.Role role;
        try {
            role = Store.Role.valueOf(roleText);
        } catch (IllegalArgumentException e) {
            throw new ApiError(400, "bad field role: '" + roleText + "' is not one of " + java.util.List.of(Store.Role.values()));
        }
        String name = field(body, "name", false, 200);
        Store.NewToken t = store.createToken(role, name == null ? role.name() : name, cfg.clock().instant());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("secret", t.secret());
        m.put("role", t.role().name());
        m.put("name", t.name());
        m.put("created", Views.time(t.created()));
        json(ctx, 201, m);
    }

    private void revokeToken(Context ctx) {
        Params.of(ctx);
        String id = ctx.pathParam("id");
        if (!store.revokeToken(id)) {
            throw new ApiError(404, "no token " + id);
        }
        ctx.status(204);
    }

    private void metrics(Context ctx) {
        Params.of(ctx);
        Store.Overview o = store.overview(1, 86400);
        ctx.status(200).contentType(Metrics.CONTENT_TYPE)
                .result(metrics.exposition(o, store.latency(), cfg.metrics()));
    }

    private static String orDefault(String v, String dflt) {
        return v == null ? dflt : v;
    }
}
