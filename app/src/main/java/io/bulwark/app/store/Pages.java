package io.bulwark.app.store;

import java.util.Map;

/** Page bounds and the whitelisted sort orders: the only caller text that shapes SQL is a key here. */
final class Pages {
    private static final Map<String, String> INCIDENT_ORDER = Map.of(
            "detected_at", "detected_at ASC, id ASC",
            "-detected_at", "detected_at DESC, id DESC",
            "severity", "severity_rank ASC, detected_at DESC, id DESC",
            "-severity", "severity_rank DESC, detected_at DESC, id DESC",
            "host", "host ASC, detected_at DESC, id DESC",
            "stored_at", "stored_at ASC, id ASC",
            "-stored_at", "stored_at DESC, id DESC");
    /** ip sorts as text ("10.0.0.10" before "10.0.0.2"): stable, and what an index gives. */
    private static final Map<String, String> DEVICE_ORDER = Map.of(
            "ip", "ip ASC",
            "-ip", "ip DESC",
            "last_seen", "last_seen ASC, ip ASC",
            "-last_seen", "last_seen DESC, ip ASC",
            "-bytes_out", "bytes_out DESC, ip ASC",
            "-packets_out", "packets_out DESC, ip ASC");

    private Pages() {
    }

    /** A limit above {@link Store#MAX_PAGE} is lowered to it; a negative one is a caller's bug. */
    static int limit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return Math.min(limit, Store.MAX_PAGE);
    }

    static int offset(int offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative: " + offset);
        }
        return offset;
    }

    /** @param sort null for the default, newest first */
    static String incidentOrder(String sort) {
        return order(INCIDENT_ORDER, sort == null ? "-detected_at" : sort);
    }

    /** @param sort null for the default, by ip */
    static String deviceOrder(String sort) {
        return order(DEVICE_ORDER, sort == null ? "ip" : sort);
    }

    private static String order(Map<String, String> known, String sort) {
        String o = known.get(sort);
        if (o == null) {
            throw new IllegalArgumentException("unknown sort \"" + sort + "\"; one of " + new java.util.TreeSet<>(known.keySet()));
        }
        return o;
    }

    /** Escapes LIKE's wildcards with '!' (the ESCAPE character the queries declare). */
    static String likeEscape(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
