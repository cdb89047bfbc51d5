package io.bulwark.detect.ioc;

import io.bulwark.flow.IpAddr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An immutable set of indicators of compromise, each with the short label of where it came
 * from (a partner, a STIX indicator id). Three kinds of match, all exact after normalising:
 * <ul>
 *   <li><b>addresses</b> (IPv4, IPv6): the peer address of a flow;</li>
 *   <li><b>domains</b>: a name and every name below it ({@code evil.example} matches
 *       {@code cnc.evil.example}), case-insensitive, trailing dot ignored;</li>
 *   <li><b>URLs</b>: host (lower-cased, port dropped) plus path (case kept, fragment
 *       dropped), matched against an HTTP request's Host header and target. Where no request
 *       is visible (flow sources, DNS), the URL's host stands for it: exactly, never as a
 *       suffix, and reported as a host-only match.</li>
 * </ul>
 * Bounded: a {@link Builder} takes at most {@code maxEntries} indicators (default
 * {@link #DEFAULT_MAX_ENTRIES}, about 150 MB of heap at the limit); what is beyond it is
 * counted in {@link #dropped()}, never an OutOfMemoryError. Thread-safe (immutable).
 */
public final class IocList implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Indicators a list holds by default at most: a large partner feed is about 10^5. */
    public static final int DEFAULT_MAX_ENTRIES = 1_000_000;
    /** Longest source label kept; longer labels are cut (a STIX id is 50 characters). */
    public static final int MAX_SOURCE = 64;
    /** Longest indicator value accepted (a DNS name is at most 253, URLs are cut off at this). */
    public static final int MAX_VALUE = 2048;

    public enum Type { ipv4, ipv6, domain, url }

    /** One indicator: its normalised value, type and source label. */
    public record Indicator(String value, Type type, String source) implements Serializable {
    }

    private static final IocList EMPTY = new Builder().build();

    private final Map<IpAddr, Indicator> ips;
    private final Map<String, Indicator> domains;
    /** URL hosts that are names, for host-only matches: exact, never as a suffix. */
    private final Map<String, Indicator> urlHosts;
    /** Keyed by host + path. */
    private final Map<String, Indicator> urls;
    private final int size;
    private final long ignored;
    private final long dropped;

    private IocList(Builder b) {
        this.ips = Map.copyOf(b.ips);
        this.domains = Map.copyOf(b.domains);
        this.urlHosts = Map.copyOf(b.urlHosts);
        this.urls = Map.copyOf(b.urls);
        this.size = b.size;
        this.ignored = b.ignored;
        this.dropped = b.dropped;
    }

    public static IocList empty() {
        return EMPTY;
    }

    /** Indicators held. */
    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Patterns, comparisons or lines the loaders did not understand and skipped. */
    public long ignored() {
        return ignored;
    }

    /** Indicators left out because the list was full. */
    public long dropped() {
        return dropped;
    }

    /** True when the list names hosts (domains or URLs), so that DNS and HTTP are worth reading. */
    public boolean hasNames() {
        return !domains.isEmpty() || !urlHosts.isEmpty() || !urls.isEmpty();
    }

    /** The indicator for an address: a listed IP, or a URL whose host is that IP literal; else null. */
    public Indicator address(IpAddr ip) {
        return ip == null ? null : ips.get(ip);
    }

    /**
     * The indicator for a DNS name or HTTP host: the listed domain it equals or lies under, else a
     * URL whose host it equals; null when none. {@code name} must be lower case without a trailing dot.
     */
    public Indicator domain(String name) {
        if (domains.isEmpty() && urlHosts.isEmpty()) {
            return null;
        }
        for (int at = 0; at >= 0; ) {
            Indicator i = domains.get(at == 0 ? name : name.substring(at));
            if (i != null) {
                return i;
            }
            int dot = name.indexOf('.', at);
            at = dot < 0 ? -1 : dot + 1;
        }
        return urlHosts.get(name);
    }

    /** The URL indicator for a request to {@code host} (lower case, no port) with target {@code path}, or null. */
    public Indicator url(String host, String path) {
        if (urls.isEmpty()) {
            return null;
        }
        Indicator i = urls.get(host + path);
        int q = path.indexOf('?');
        if (i == null && q >= 0) {
            i = urls.get(host + path.substring(0, q));
        }
        return i;
    }

    /**
     * Parses STIX 2.1 patterns (indicator id, pattern). Understood: equality comparisons of
     * {@code ipv4-addr:value}, {@code ipv6-addr:value}, {@code domain-name:value} and
     * {@code url:value} with a string, alone or joined by OR (inside or between brackets).
     * A comparison of another object or operator in an OR pattern is skipped and counted; a
     * pattern with AND, FOLLOWEDBY or a qualifier (WITHIN, REPEATS, START/STOP) is skipped
     * whole and counted once, because taking its parts alone would match more than it says.
     */
    public static IocList fromStixPatterns(Iterable<? extends Map.Entry<String, String>> idAndPattern) {
        Builder b = new Builder();
        for (Map.Entry<String, String> e : idAndPattern) {
            b.addStixPattern(e.getKey(), e.getValue());
        }
        return b.build();
    }

    /**
     * Parses a plain-text list: one indicator per line (an address, a domain, a URL with its
     * scheme, or a STIX pattern in brackets), blank lines and {@code #} comments skipped;
     * anything else is counted as ignored. Every indicator gets {@code source} as its label.
     */
    public static IocList fromText(Iterable<String> lines, String source) {
        Builder b = new Builder();
        b.addText(lines, source);
        return b.build();
    }

    /** Collects indicators; not thread-safe. The first source given for a value is kept. */
    public static final class Builder {
        private static final Set<String> NOT_OR = Set.of("AND", "FOLLOWEDBY", "WITHIN", "REPEATS", "START", "STOP");

        private final int maxEntries;
        private final Map<IpAddr, Indicator> ips = new HashMap<>();
        private final Map<String, Indicator> domains = new HashMap<>();
        private final Map<String, Indicator> urlHosts = new HashMap<>();
        private final Map<String, Indicator> urls = new HashMap<>();
        private int size;
        private long ignored, dropped;

        public Builder() {
            this(DEFAULT_MAX_ENTRIES);
        }

        public Builder(int maxEntries) {
            if (maxEntries < 0) {
                throw new IllegalArgumentException("ioc: max entries must not be negative: " + maxEntries);
            }
            this.maxEntries = maxEntries;
        }

        /** Adds an address; false (counted) when it is not one or the list is full. */
        public boolean ip(String value, String source) {
            IpAddr a = IpAddr.parse(value == null ? null : value.trim());
            if (a == null) {
                ignored++;
                return false;
            }
            Indicator i = new Indicator(a.toString(), a.isV4() ? Type.ipv4 : Type.ipv6, label(source));
            if (ips.containsKey(a)) {
                return true;
            }
            if (!room()) {
                return false;
            }
            ips.put(a, i);
            size++;
            return true;
        }

        /** Adds a domain (and so every name below it); false (counted) when it is not a name or the list is full. */
        public boolean domain(String value, String source) {
            String d = hostName(value);
            if (d == null) {
                ignored++;
                return false;
            }
            if (domains.containsKey(d)) {
                return true;
            }
            if (!room()) {
                return false;
            }
            domains.put(d, new Indicator(d, Type.domain, label(source)));
            size++;
            return true;
        }

        /** Adds a URL with a scheme ({@code http://host[:port]/path}); false (counted) when it is not one or the list is full. */
        public boolean url(String value, String source) {
            String v = value == null ? "" : value.trim();
            int scheme = v.indexOf("://");
            if (scheme <= 0 || v.length() > MAX_VALUE) {
                ignored++;
                return false;
            }
            String rest = v.substring(scheme + 3);
            int slash = indexOfAny(rest, "/?#");
            String authority = slash < 0 ? rest : rest.substring(0, slash);
            String path = slash < 0 ? "/" : rest.substring(slash);
            int hash = path.indexOf('#');
            if (hash >= 0) {
                path = path.substring(0, hash);
            }
            if (!path.startsWith("/")) {
                path = "/" + path;
            }
            int at = authority.lastIndexOf('@');
            String host = stripPort(authority.substring(at + 1));
            IpAddr literal = IpAddr.parse(host);
            String hostKey = literal != null ? literal.toString() : hostName(host);
            if (hostKey == null) {
                ignored++;
                return false;
            }
            String key = hostKey + path;
            if (urls.containsKey(key)) {
                return true;
            }
            if (!room()) {
                return false;
            }
            Indicator i = new Indicator(v.substring(0, scheme).toLowerCase(Locale.ROOT) + "://" + key, Type.url, label(source));
            urls.put(key, i);
            size++;
            if (literal != null) {
                ips.putIfAbsent(literal, i);
            } else {
                urlHosts.putIfAbsent(hostKey, i);
            }
            return true;
        }

        /** Adds what a STIX pattern names (see {@link IocList#fromStixPatterns}). */
        public void addStixPattern(String id, String pattern) {
            List<String> parts = orParts(pattern == null ? "" : pattern);
            if (parts == null) {
                ignored++;
                return;
            }
            for (String part : parts) {
                comparison(id, part);
            }
        }

        /** Adds the lines of a plain-text list (see {@link IocList#fromText}). */
        public void addText(Iterable<String> lines, String source) {
            for (String raw : lines) {
                String line = raw.strip();
                int hash = line.startsWith("#") ? 0 : line.indexOf(" #");
                if (hash >= 0) {
                    line = line.substring(0, hash).strip();
                }
                if (line.isEmpty()) {
                    continue;
                }
                if (line.startsWith("[")) {
                    addStixPattern(source, line);
                } else if (line.contains("://")) {
                    url(line, source);
                } else if (IpAddr.parse(line) != null) {
                    ip(line, source);
                } else {
                    domain(line, source);
                }
            }
        }

        public IocList build() {
            return new IocList(this);
        }

        private boolean room() {
            if (size >= maxEntries) {
                dropped++;
                return false;
            }
            return true;
        }

        private void comparison(String id, String part) {
            String p = part.strip();
            while (p.startsWith("[") || p.startsWith("(")) {
                p = p.substring(1).strip();
            }
            while (p.endsWith("]") || p.endsWith(")")) {
                p = p.substring(0, p.length() - 1).strip();
            }
            int eq = p.indexOf('=');
            if (eq < 0 || !p.endsWith("'") || (eq > 0 && (p.charAt(eq - 1) == '!' || p.charAt(eq - 1) == '<'
                    || p.charAt(eq - 1) == '>'))) {
                ignored++;
                return;
            }
            String path = p.substring(0, eq).strip();
            String lit = p.substring(eq + 1).strip();
            if (lit.length() < 2 || !lit.startsWith("'")) {
                ignored++;
                return;
            }
            String value = unquote(lit.substring(1, lit.length() - 1));
            switch (path) {
                case "ipv4-addr:value", "ipv6-addr:value" -> {
                    IpAddr a = IpAddr.parse(value);
                    if (a == null || a.isV4() != path.startsWith("ipv4")) {
                        ignored++;
                    } else {
                        ip(value, id);
                    }
                }
                case "domain-name:value" -> domain(value, id);
                case "url:value" -> url(value, id);
                default -> ignored++;
            }
        }

        /**
         * The comparisons of a pattern joined only by OR, or null when it has another operator
         * or qualifier. Words inside string literals (with STIX's \' and \\ escapes) are not operators.
         */
        private static List<String> orParts(String pattern) {
            List<String> parts = new ArrayList<>();
            StringBuilder cur = new StringBuilder();
            StringBuilder word = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i <= pattern.length(); i++) {
                char c = i < pattern.length() ? pattern.charAt(i) : ' ';
                if (quoted) {
                    cur.append(c);
                    if (c == '\\' && i + 1 < pattern.length()) {
                        cur.append(pattern.charAt(++i));
                    } else if (c == '\'') {
                        quoted = false;
                    }
                    continue;
                }
                if (Character.isLetter(c)) {
                    word.append(c);
                    cur.append(c);
                    continue;
                }
                String w = word.toString();
                word.setLength(0);
                boolean boundary = cur.length() == w.length() || !isWordChar(cur.charAt(cur.length() - w.length() - 1));
                if (boundary && !isWordChar(c) && w.equals("OR")) {
                    cur.setLength(cur.length() - 2);
                    parts.add(cur.toString());
                    cur.setLength(0);
                    continue;
                }
                if (boundary && !isWordChar(c) && NOT_OR.contains(w)) {
                    return null;
                }
                if (c == '\'') {
                    quoted = true;
                }
                cur.append(c);
            }
            if (quoted) {
                return null;
            }
            parts.add(cur.toString());
            parts.removeIf(s -> s.isBlank());
            return parts;
        }

        private static boolean isWordChar(char c) {
            return Character.isLetterOrDigit(c) || c == '-' || c == '_' || c == ':' || c == '.';
        }

        private static String unquote(String s) {
            StringBuilder b = new StringBuilder(s.length());
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    c = s.charAt(++i);
                }
                b.append(c);
            }
            return b.toString();
        }

        private static String label(String source) {
            String s = source == null ? "" : source.strip();
            return s.length() <= MAX_SOURCE ? s : s.substring(0, MAX_SOURCE);
        }
    }

    /** A DNS name, lower-cased without a trailing dot, or null when it is not one (RFC 1035 lengths). */
    static String hostName(String value) {
        if (value == null) {
            return null;
        }
        String d = value.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        if (d.startsWith("*.")) {
            d = d.substring(2);
        }
        if (d.isEmpty() || d.length() > 253 || d.startsWith(".") || d.contains("..")) {
            return null;
        }
        for (int i = 0; i < d.length(); i++) {
            char c = d.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_')) {
                return null;
            }
        }
        return d;
    }

    private static String stripPort(String authority) {
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            return close < 0 ? authority : authority.substring(1, close);
        }
        int colon = authority.indexOf(':');
        return colon >= 0 && authority.indexOf(':', colon + 1) < 0 ? authority.substring(0, colon) : authority;
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
