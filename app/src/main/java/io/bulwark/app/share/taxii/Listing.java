package io.bulwark.app.share.taxii;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The filtering and paging of TAXII 2.1 section 3.4 over a collection's entries: {@code added_after},
 * {@code match[id|type|version|spec_version]}, {@code limit} and {@code next}.
 *
 * <p>{@code next} is an opaque token naming the last entry returned (date added, id, version);
 * the next page starts strictly after it, so a page boundary never repeats or skips an entry
 * even when many share one date added. Bad parameter values give 400.
 */
final class Listing {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** One page and whether more follow. */
    record Page(List<Entry> items, boolean more, String next) {
    }

    private final Map<String, String> params;

    private Listing(Map<String, String> params) {
        this.params = params;
    }

    /** @param param the first value of a query parameter, or null */
    static Listing of(Function<String, String> param, Set<String> allowed) {
        Map<String, String> m = new HashMap<>();
        for (String p : allowed) {
            String v = param.apply(p);
            if (v != null) {
                m.put(p, v);
            }
        }
        return new Listing(m);
    }

    /**
     * Applies the filters in the order the spec gives (spec_version, then version per id) and
     * returns the page after {@code next}.
     */
    Page page(List<Entry> sorted, String onlyId) {
        Set<String> ids = list("match[id]");
        if (onlyId != null) {
            ids = Set.of(onlyId);
        }
        Set<String> types = list("match[type]");
        Set<String> specs = list("match[spec_version]");
        Set<String> versions = list("match[version]");
        long after = addedAfter();
        Cursor cursor = cursor();
        int limit = limit();

        List<Entry> matched = new ArrayList<>();
        for (Entry e : sorted) {
            if ((ids == null || ids.contains(e.id())) && (types == null || types.contains(e.type()))) {
                matched.add(e);
            }
        }
        matched = bySpecVersion(matched, specs);
        matched = byVersion(matched, versions == null ? Set.of("last") : versions);

        List<Entry> page = new ArrayList<>();
        boolean more = false;
        for (Entry e : matched) {
            if (e.addedMillis() <= after || (cursor != null && !cursor.before(e))) {
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(e);
        }
        String next = more ? token(page.get(page.size() - 1)) : null;
        return new Page(page, more, next);
    }

    /** Without match[spec_version], only each id's newest spec_version (they are all "2.1" today). */
    private static List<Entry> bySpecVersion(List<Entry> in, Set<String> specs) {
        if (specs != null) {
            return in.stream().filter(e -> specs.contains(e.specVersion())).toList();
        }
        Map<String, String> newest = new HashMap<>();
        for (Entry e : in) {
            newest.merge(e.id(), e.specVersion(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
        }
        return in.stream().filter(e -> e.specVersion().equals(newest.get(e.id()))).toList();
    }

    /** "first", "last", "all" or explicit versions (RFC 3339 timestamps), combined as a union. */
    private static List<Entry> byVersion(List<Entry> in, Set<String> versions) {
        if (versions.contains("all")) {
            return in;
        }
        Map<String, Entry> first = new HashMap<>();
        Map<String, Entry> last = new HashMap<>();
        Set<Instant> exact = new java.util.HashSet<>();
        for (String v : versions) {
            if (!v.equals("first") && !v.equals("last")) {
                exact.add(instant("match[version]", v));
            }
        }
        for (Entry e : in) {
            first.merge(e.id(), e, (a, b) -> instant(b).isBefore(instant(a)) ? b : a);
            last.merge(e.id(), e, (a, b) -> instant(b).isAfter(instant(a)) ? b : a);
        }
        List<Entry> out = new ArrayList<>();
        for (Entry e : in) {
            if ((versions.contains("first") && first.get(e.id()) == e)
                    || (versions.contains("last") && last.get(e.id()) == e)
                    || exact.contains(instant(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static Instant instant(Entry e) {
        try {
            return Instant.parse(e.version());
        } catch (DateTimeParseException x) {
            return Instant.ofEpochMilli(e.addedMillis());
        }
    }

    Set<String> list(String name) {
        String v = params.get(name);
        if (v == null) {
            return null;
        }
        Set<String> s = new LinkedHashSet<>(Arrays.asList(v.split(",")));
        s.removeIf(String::isBlank);
        if (s.isEmpty() || s.size() > MAX_LIMIT) {
            throw new TaxiiError(400, "bad " + name + ": a comma-separated list of 1 to " + MAX_LIMIT + " values");
        }
        return s;
    }

    long addedAfter() {
        String v = params.get("added_after");
        return v == null ? Long.MIN_VALUE : instant("added_after", v).toEpochMilli();
    }

    int limit() {
        String v = params.get("limit");
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_LIMIT); // the spec lets a server lower a limit
        } catch (NumberFormatException e) {
            throw new TaxiiError(400, "bad limit: a positive integer (at most " + MAX_LIMIT + " apply)");
        }
    }

    private static Instant instant(String name, String v) {
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new TaxiiError(400, "bad " + name + ": not an RFC 3339 UTC timestamp: " + v);
        }
    }

    /** The position after which a page starts. */
    private record Cursor(long added, String id, String version) {
        boolean before(Entry e) {
            return Entry.ORDER.compare(new Entry(null, id, "", "", version, added, io.bulwark.app.share.Tlp.RED), e) < 0;
        }
    }

    private Cursor cursor() {
        String v = params.get("next");
        if (v == null) {
            return null;
        }
        try {
            String[] p = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8).split("\n", -1);
            if (p.length != 3) {
                throw new IllegalArgumentException();
            }
            return new Cursor(Long.parseLong(p[0]), p[1], p[2]);
        } catch (IllegalArgumentException e) {
            throw new TaxiiError(400, "bad next: not a token this server gave");
        }
    }

    private static String token(Entry e) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                (e.addedMillis() + "\n" + e.id() + "\n" + e.version()).getBytes(StandardCharsets.UTF_8));
    }
}
