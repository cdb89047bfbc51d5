package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.Uuid5;
import io.bulwark.app.store.Store;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A TAXII 2.1 server (OASIS TAXII 2.1, sections 4 and 5) under /taxii2/ with one API root,
 * /taxii2/api/, and two collections: "bulwark-incidents" (read-only, {@link IncidentObjects})
 * and "partner-intel" (writable, {@link IntelCollection}). Collections are addressed by id (a
 * UUIDv5 of the alias) or by alias. {@link #routes} declares every route; Api.create calls it.
 *
 * <p>Every request needs HTTP Basic credentials of a partner ({@link Partners}): none or wrong
 * give 401 with {@code WWW-Authenticate: Basic}, a collection the partner has no right to 403,
 * an unknown one 404. Responses are {@value #MEDIA}; an Accept that excludes it gives 406, a POST
 * of anything else 415, a body above {@code maxContentLength} 413. Errors are TAXII error
 * messages. Thread-safe.
 *
 * <p>TLP: a partner is given, or told of, no object version whose own markings ({@link
 * io.bulwark.app.share.Markings}) are above its ceiling, in any collection and whoever posted it;
 * to it such an object does not exist (404 by id, absent from listings, manifests, version lists
 * and page counts). Objects posted without a marking are stored with {@link Config#unmarked}.
 */
public final class TaxiiServer {
    public static final String MEDIA = "application/taxii+json;version=2.1";
    static final String STIX_MEDIA = "application/stix+json;version=2.1";
    static final String INCIDENTS = "bulwark-incidents";
    static final String INTEL = "partner-intel";
    /** Status resources kept at most, the oldest dropped first. */
    static final int MAX_STATUSES = 1_000;
    /** Per-object lines kept in a status resource at most (the counts are always complete). */
    static final int MAX_STATUS_DETAILS = 1_000;
    /** POST bodies up to 10 MiB: some tens of thousands of indicators. */
    public static final int DEFAULT_MAX_CONTENT = 10 * 1024 * 1024;
    private static final Set<String> OBJECT_PARAMS =
            Set.of("added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]");
    private static final String PARTNER = "bulwark.taxii.partner";

    /**
     * @param marking          the TLP level of each incident
     * @param pseudonymise     for partners that ask for it (Crypto-PAn); null when none may
     * @param maxContentLength POST bodies above this many bytes give 413 (advertised in the API root)
     * @param local            the operator's address ranges (config local_nets): pseudonymised for partners who ask
     * @param unmarked         the marking recorded on objects partners post without one
     *                         ({@link #DEFAULT_UNMARKED}); never CLEAR
     * @param privateInPatterns whether private addresses may be indicator patterns (ShareOptions)
     */
    public record Config(Partners partners, Function<Incident, Tlp> marking, UnaryOperator<IpAddr> pseudonymise,
                         String operator, Clock clock, int maxContentLength, io.bulwark.net.LocalNets local,
                         Tlp unmarked, boolean privateInPatterns) {
        public Config(Partners partners, Function<Incident, Tlp> marking, UnaryOperator<IpAddr> pseudonymise,
                      String operator, Clock clock, int maxContentLength, io.bulwark.net.LocalNets local, Tlp unmarked) {
            this(partners, marking, pseudonymise, operator, clock, maxContentLength, local, unmarked, false);
        }

        public Config {
            if (pseudonymise == null && partners.anyPseudonymised()) {
                throw new IllegalArgumentException("a partner asks for pseudonymisation: give a pseudonymisation key");
            }
            if (unmarked == null || unmarked == Tlp.CLEAR) {
                throw new IllegalArgumentException("objects posted without a marking need a default above TLP:CLEAR"
                        + " (an object that says nothing about its sharing is not public)");
            }
        }
    }

    /**
     * The marking of objects posted without one unless serve says otherwise: TLP:AMBER (the
     * recipients' organisations and their clients, on a need-to-know basis), never public.
     */
    public static final Tlp DEFAULT_UNMARKED = Tlp.AMBER;

    private final Config cfg;
    private final IncidentObjects incidents;
    private final IntelCollection intel;
    private final Map<String, Status> statuses = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Status> eldest) {
            return size() > MAX_STATUSES;
        }
    };
    private long statusSeq;

    private record Status(String partner, ObjectNode body) {
    }

    public TaxiiServer(Store store, Config cfg) {
        this.cfg = cfg;
        this.incidents = new IncidentObjects(store, cfg.marking(), cfg.pseudonymise(), cfg.operator(), cfg.local(),
                cfg.privateInPatterns());
        this.intel = new IntelCollection(cfg.unmarked());
    }

    public int maxContentLength() {
        return cfg.maxContentLength();
    }

    /** Declares the TAXII routes and the handler of their errors. */
    public void routes(RoutesConfig r) {
        String c = "/taxii2/api/collections/{id}";
        r.addHttpHandler(HandlerType.GET, "/taxii2/", ctx -> begin(ctx, this::discovery));
        r.addHttpHandler(HandlerType.GET, "/taxii2/api/", ctx -> begin(ctx, this::apiRoot));
        r.addHttpHandler(HandlerType.GET, "/taxii2/api/status/{sid}/", ctx -> begin(ctx, this::status));
        r.addHttpHandler(HandlerType.GET, "/taxii2/api/collections/", ctx -> begin(ctx, this::collections));
        r.addHttpHandler(HandlerType.GET, c + "/", ctx -> begin(ctx, this::collection));
        r.addHttpHandler(HandlerType.GET, c + "/objects/", ctx -> begin(ctx, this::objects));
        r.addHttpHandler(HandlerType.POST, c + "/objects/", ctx -> begin(ctx, this::add));
        r.addHttpHandler(HandlerType.GET, c + "/objects/{oid}/", ctx -> begin(ctx, this::object));
        r.addHttpHandler(HandlerType.GET, c + "/objects/{oid}/versions/", ctx -> begin(ctx, this::versions));
        r.addHttpHandler(HandlerType.GET, c + "/manifest/", ctx -> begin(ctx, this::manifest));
        r.exception(TaxiiError.class, (e, ctx) -> {
            if (e.status == 401) {
                ctx.header("WWW-Authenticate", "Basic realm=\"bulwark-taxii\", charset=\"UTF-8\"");
            }
            ObjectNode m = Json.MAPPER.createObjectNode();
            m.put("title", e.getMessage());
            m.put("http_status", String.valueOf(e.status));
            send(ctx, e.status, m);
        });
    }

    private interface Handler {
        void handle(Context ctx, Partners.Partner p) throws IOException;
    }

    /** Authentication, then content negotiation, then the handler. */
    private void begin(Context ctx, Handler h) throws IOException {
        Partners.Partner p = cfg.partners().authenticate(ctx.header("Authorization"))
                .orElseThrow(() -> new TaxiiError(401, "missing or wrong partner credentials"));
        if (!acceptable(ctx.header("Accept"))) {
            throw new TaxiiError(406, "only " + MEDIA + " is served");
        }
        ctx.attribute(PARTNER, p.name());
        h.handle(ctx, p);
    }

    /** True for no Accept, a wildcard, or application/taxii+json with no version or version 2.1. */
    static boolean acceptable(String accept) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String part : accept.split(",")) {
            if (isTaxii21(part) || part.trim().startsWith("*/*") || part.trim().startsWith("application/*")) {
                return true;
            }
        }
        return false;
    }

    static boolean isTaxii21(String mediaType) {
        if (mediaType == null) {
            return false;
        }
        String[] p = mediaType.toLowerCase(Locale.ROOT).split(";");
        if (!p[0].trim().equals("application/taxii+json")) {
            return false;
        }
        for (int i = 1; i < p.length; i++) {
            String kv = p[i].trim().replace(" ", "");
            if (kv.startsWith("version=") && !kv.equals("version=2.1")) {
                return false;
            }
        }
        return true;
    }

    // --- handlers ------------------------------------------------------------------------

    private void discovery(Context ctx, Partners.Partner p) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("title", "Bulwark TAXII server");
        d.put("description", "IoT botnet incidents as STIX 2.1, and intelligence partners share back");
        d.put("default", base(ctx) + "/taxii2/api/");
        d.putArray("api_roots").add(base(ctx) + "/taxii2/api/");
        send(ctx, 200, d);
    }

    private void apiRoot(Context ctx, Partners.Partner p) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        d.put("title", "Bulwark");
        d.putArray("versions").add(MEDIA);
        d.put("max_content_length", cfg.maxContentLength());
        send(ctx, 200, d);
    }

    private void collections(Context ctx, Partners.Partner p) {
        ObjectNode d = Json.MAPPER.createObjectNode();
        ArrayNode list = Json.MAPPER.createArrayNode();
        for (String alias : List.of(INCIDENTS, INTEL)) {
            if (canRead(p, alias) || canWrite(p, alias)) {
                list.add(describe(alias, p));
            }
        }
        if (!list.isEmpty()) {
            d.set("collections", list);
        }
        send(ctx, 200, d);
    }

    private void collection(Context ctx, Partners.Partner p) {
        String alias = visible(ctx, p);
        send(ctx, 200, describe(alias, p));
    }

    private void objects(Context ctx, Partners.Partner p) {
        String alias = readable(ctx, p);
        Listing.Page page = Listing.of(ctx::queryParam, OBJECT_PARAMS).page(entries(alias, p), null);
        ArrayNode objects = Json.MAPPER.createArrayNode();
        page.items().forEach(e -> objects.add(e.object()));
        send(ctx, 200, envelope(ctx, page, "objects", objects));
    }

    private void object(Context ctx, Partners.Partner p) {
        Listing.Page page = oneObject(ctx, p, Listing.of(ctx::queryParam,
                Set.of("added_after", "limit", "next", "match[version]", "match[spec_version]")));
        ArrayNode objects = Json.MAPPER.createArrayNode();
        page.items().forEach(e -> objects.add(e.object()));
        send(ctx, 200, envelope(ctx, page, "objects", objects));
    }

    private void versions(Context ctx, Partners.Partner p) {
        Listing.Page page = oneObject(ctx, p, Listing.of(q -> q.equals("match[version]") ? "all" : ctx.queryParam(q),
                Set.of("added_after", "limit", "next", "match[spec_version]", "match[version]")));
        ArrayNode versions = Json.MAPPER.createArrayNode();
        page.items().forEach(e -> versions.add(e.version()));
        send(ctx, 200, envelope(ctx, page, "versions", versions));
    }

    /** A page of one object's versions in a readable collection; 404 when the collection lacks it. */
    private Listing.Page oneObject(Context ctx, Partners.Partner p, Listing listing) {
        String alias = readable(ctx, p);
        String oid = ctx.pathParam("oid");
        List<Entry> entries = entries(alias, p);
        Listing.Page page = listing.page(entries, oid);
        if (page.items().isEmpty() && entries.stream().noneMatch(e -> e.id().equals(oid))) {
            throw new TaxiiError(404, "no object " + oid + " in " + alias);
        }
        return page;
    }

    private void manifest(Context ctx, Partners.Partner p) {
        String alias = readable(ctx, p);
        Listing.Page page = Listing.of(ctx::queryParam, OBJECT_PARAMS).page(entries(alias, p), null);
        ArrayNode records = Json.MAPPER.createArrayNode();
        for (Entry e : page.items()) {
            ObjectNode m = records.addObject();
            m.put("id", e.id());
            m.put("date_added", e.dateAdded());
            m.put("version", e.version());
            m.put("media_type", STIX_MEDIA);
        }
        send(ctx, 200, envelope(ctx, page, "objects", records));
    }

    private void add(Context ctx, Partners.Partner p) throws IOException {
        String alias = visible(ctx, p);
        if (!canWrite(p, alias)) {
            throw new TaxiiError(403, "partner " + p.name() + " may not write to " + alias);
        }
        if (!isTaxii21(ctx.header("Content-Type"))) {
            throw new TaxiiError(415, "POST bodies must be " + MEDIA);
        }
        byte[] body;
        try (InputStream in = ctx.bodyInputStream()) {
            body = in.readNBytes(cfg.maxContentLength() + 1);
        }
        if (body.length > cfg.maxContentLength()) {
            throw new TaxiiError(413, "body larger than " + cfg.maxContentLength() + " bytes");
        }
        JsonNode env;
        try {
            env = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new TaxiiError(400, "body is not JSON");
        }
        if (env == null || !env.isObject() || !env.path("objects").isArray()) {
            throw new TaxiiError(400, "body must be an envelope (or bundle) with an objects list");
        }
        long now = cfg.clock().millis();
        List<IntelCollection.Outcome> outcomes = intel.add(env.get("objects"), now, p.name(), p.tlp());
        ObjectNode s = Json.MAPPER.createObjectNode();
        String id;
        synchronized (statuses) {
            id = Uuid5.of(Uuid5.BULWARK, "taxii-status/" + now + "/" + (++statusSeq)).toString();
        }
        s.put("id", id);
        s.put("status", "complete");
        s.put("request_timestamp", Entry.time(now));
        s.put("total_count", outcomes.size());
        ArrayNode ok = Json.MAPPER.createArrayNode();
        ArrayNode failed = Json.MAPPER.createArrayNode();
        int okCount = 0;
        int failedCount = 0;
        for (IntelCollection.Outcome o : outcomes) {
            if (o.failure() == null) {
                okCount++;
            } else {
                failedCount++;
            }
            if (ok.size() + failed.size() >= MAX_STATUS_DETAILS) {
                continue;   // statuses are kept in memory: bounded detail, exact counts
            }
            ObjectNode d = (o.failure() == null ? ok : failed).addObject();
            d.put("id", o.id());
            if (o.version() != null) {
                d.put("version", o.version());
            }
            if (o.failure() != null) {
                d.put("message", o.failure());
            } else if (o.note() != null) {
                d.put("message", o.note());
            }
        }
        s.put("success_count", okCount);
        s.put("failure_count", failedCount);
        s.put("pending_count", 0);
        if (!ok.isEmpty()) {
            s.set("successes", ok);
        }
        if (!failed.isEmpty()) {
            s.set("failures", failed);
        }
        synchronized (statuses) {
            statuses.put(id, new Status(p.name(), s)); // complete before anyone can read it
        }
        send(ctx, 202, s);
    }

    private void status(Context ctx, Partners.Partner p) {
        String sid = ctx.pathParam("sid");
        Status s;
        synchronized (statuses) {
            s = statuses.get(sid);
        }
        if (s == null || !s.partner().equals(p.name())) {
            throw new TaxiiError(404, "no status " + sid); // another partner's status is not even confirmed
        }
        send(ctx, 200, s.body());
    }

    // --- collections ---------------------------------------------------------------------

    static String collectionId(String alias) {
        return Uuid5.of(Uuid5.BULWARK, "taxii-collection/" + alias).toString();
    }

    /** The alias of the collection in the path (by id or alias); 404 unknown, 403 no rights at all. */
    private String visible(Context ctx, Partners.Partner p) {
        String key = ctx.pathParam("id");
        for (String alias : List.of(INCIDENTS, INTEL)) {
            if (alias.equals(key) || collectionId(alias).equals(key)) {
                if (!canRead(p, alias) && !canWrite(p, alias)) {
                    throw new TaxiiError(403, "partner " + p.name() + " has no access to " + alias);
                }
                return alias;
            }
        }
        throw new TaxiiError(404, "no collection " + key);
    }

    private String readable(Context ctx, Partners.Partner p) {
        String alias = visible(ctx, p);
        if (!canRead(p, alias)) {
            throw new TaxiiError(403, "partner " + p.name() + " may not read " + alias);
        }
        return alias;
    }

    private static boolean canRead(Partners.Partner p, String alias) {
        return p.canRead(alias);
    }

    private static boolean canWrite(Partners.Partner p, String alias) {
        return alias.equals(INTEL) && p.canWrite(alias); // the incidents come only from Bulwark's own analysis
    }

    /**
     * The entries of a collection this partner may be told about. The objects, object, versions
     * and manifest routes all read through here, so that paging, {@code more}, {@code next}, the
     * date-added headers and 404 are computed over what the partner may see and nothing else.
     */
    private List<Entry> entries(String alias, Partners.Partner p) {
        return readable(alias.equals(INCIDENTS) ? incidents.entries(p) : intel.snapshot(), p.tlp());
    }

    /**
     * The entries at or below {@code ceiling} by their own markings ({@link Entry#tlp}), whoever
     * wrote them, on every collection; of copies of one version that several partners posted,
     * the first readable one.
     */
    static List<Entry> readable(List<Entry> sorted, Tlp ceiling) {
        Set<String> versions = new HashSet<>();
        List<Entry> out = new ArrayList<>();
        for (Entry e : sorted) {
            if (e.tlp().allowedUpTo(ceiling) && versions.add(e.id() + "\n" + e.version())) {
                out.add(e);
            }
        }
        return out;
    }

    private ObjectNode describe(String alias, Partners.Partner p) {
        ObjectNode c = Json.MAPPER.createObjectNode();
        c.put("id", collectionId(alias));
        c.put("title", alias.equals(INCIDENTS) ? "Bulwark incidents" : "Partner intelligence");
        c.put("description", alias.equals(INCIDENTS)
                ? "STIX 2.1 objects of the IoT botnet incidents Bulwark detected, within your TLP level"
                : "STIX 2.1 objects partners shared with this operator, within your TLP level");
        c.put("alias", alias);
        c.put("can_read", canRead(p, alias));
        c.put("can_write", canWrite(p, alias));
        c.putArray("media_types").add(STIX_MEDIA);
        return c;
    }

    // --- responses -----------------------------------------------------------------------

    private static ObjectNode envelope(Context ctx, Listing.Page page, String field, ArrayNode items) {
        ObjectNode env = Json.MAPPER.createObjectNode();
        env.put("more", page.more());
        if (page.next() != null) {
            env.put("next", page.next());
        }
        if (!items.isEmpty()) {
            env.set(field, items);
            long first = page.items().stream().mapToLong(Entry::addedMillis).min().orElseThrow();
            long last = page.items().stream().mapToLong(Entry::addedMillis).max().orElseThrow();
            ctx.header("X-TAXII-Date-Added-First", Entry.time(first));
            ctx.header("X-TAXII-Date-Added-Last", Entry.time(last));
        }
        return env;
    }

    private static String base(Context ctx) {
        return ctx.scheme() + "://" + ctx.host();
    }

    private static void send(Context ctx, int status, Object body) {
        try {
            ctx.status(status).contentType(MEDIA).result(Json.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
