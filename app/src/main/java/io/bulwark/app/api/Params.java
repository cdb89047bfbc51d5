package io.bulwark.app.api;

import io.bulwark.app.store.Store;
import io.bulwark.detect.Kind;
import io.javalin.http.Context;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/**
 * Query parameters, checked: anything unknown, repeated, malformed or out of bounds is a 400
 * that names the parameter, so a typo in a filter never silently widens a result.
 */
final class Params {
    static final int DEFAULT_LIMIT = 50;
    /** Longest host or search text accepted; an address or a name fragment is far shorter. */
    static final int MAX_TEXT = 256;
    static final Set<String> INCIDENT_SORTS = Set.of("detected_at", "-detected_at", "severity", "-severity", "host");
    static final Set<String> DEVICE_SORTS = Set.of("ip", "-ip", "last_seen", "-last_seen", "first_seen", "-first_seen");

    private final Context ctx;

    private Params(Context ctx, Set<String> allowed) {
        this.ctx = ctx;
        for (var e : ctx.queryParamMap().entrySet()) {
            if (!allowed.contains(e.getKey())) {
                throw ApiError.badParam(e.getKey(), "unknown; expected one of " + allowed.stream().sorted().toList());
            }
            if (e.getValue().size() > 1) {
                throw ApiError.badParam(e.getKey(), "given more than once");
            }
        }
    }

    static Params of(Context ctx, String... allowed) {
        return new Params(ctx, Set.of(allowed));
    }

    /** The value, or null when absent or empty. */
    String text(String name) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.length() > MAX_TEXT) {
            throw ApiError.badParam(name, "longer than " + MAX_TEXT + " characters");
        }
        return v;
    }

    String oneOf(String name, Set<String> values) {
        String v = text(name);
        if (v != null && !values.contains(v)) {
            throw ApiError.badParam(name, "'" + v + "' is not one of " + values.stream().sorted().toList());
        }
        return v;
    }

    int integer(String name, int dflt, int min, int max) {
        String v = text(name);
        if (v == null) {
            return dflt;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw ApiError.badParam(name, "not an integer");
        }
        if (n < min || n > max) {
            throw ApiError.badParam(name, n + " is outside " + min + ".." + max);
        }
        return n;
    }

    int limit() {
        return integer("limit", DEFAULT_LIMIT, 1, Store.MAX_PAGE);
    }

    int offset() {
        return integer("offset", 0, 0, Integer.MAX_VALUE);
    }

    /** RFC 3339 with Z or an offset, e.g. 2026-01-15T10:00:00Z. */
    Instant time(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiError.badParam(name, "not an RFC 3339 time such as 2026-01-15T10:00:00Z");
        }
    }

    String kind(String name) {
        String v = text(name);
        if (v == null) {
            return null;
        }
        for (Kind k : Kind.values()) {
            if (k.name().equals(v)) {
                return v;
            }
        }
        throw ApiError.badParam(name, "'" + v + "' is not one of " + List.of(Kind.values()));
    }

    Store.State state(String name) {
        String v = text(name);
        return v == null ? null : state(name, v);
    }

    static Store.State state(String name, String v) {
        for (Store.State s : Store.State.values()) {
            if (s.id().equals(v)) {
                return s;
            }
        }
        throw ApiError.badParam(name, "'" + v + "' is not one of " + stateIds());
    }

    static List<String> stateIds() {
        return java.util.Arrays.stream(Store.State.values()).map(Store.State::id).toList();
    }
}
