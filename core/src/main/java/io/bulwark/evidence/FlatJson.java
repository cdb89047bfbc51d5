package io.bulwark.evidence;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one JSON shape the evidence files use: a single flat object whose values are strings or
 * non-negative integers, written and read by hand so core keeps depending on the JDK alone.
 * Anything else (nesting, floats, booleans, duplicate keys, trailing bytes, lines over
 * {@link #MAX_LENGTH} chars) is refused by returning empty, never by throwing.
 */
final class FlatJson {
    /** Longest object accepted, in chars: entry names are bounded far below this. */
    static final int MAX_LENGTH = 16_384;

    private final String s;
    private int pos;

    private FlatJson(String s) {
        this.s = s;
    }

    /** {@code value} as a JSON string literal, quotes included. */
    static String quote(String value) {
        StringBuilder b = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** The members of a flat object: each value a {@link String} or a {@link Long}. */
    static Optional<Map<String, Object>> parse(String json) {
        if (json == null || json.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        FlatJson p = new FlatJson(json);
        Map<String, Object> out = p.object();
        p.skipSpace();
        return out != null && p.pos == json.length() ? Optional.of(out) : Optional.empty();
    }

    private Map<String, Object> object() {
        skipSpace();
        if (!take('{')) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        skipSpace();
        if (take('}')) {
            return out;
        }
        do {
            skipSpace();
            String key = string();
            skipSpace();
            if (key == null || !take(':')) {
                return null;
            }
            skipSpace();
            Object value = pos < s.length() && s.charAt(pos) == '"' ? string() : number();
            if (value == null || out.put(key, value) != null) {
                return null;
            }
            skipSpace();
        } while (take(','));
        return take('}') ? out : null;
    }

    private String string() {
        if (!take('"')) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        while (pos < s.length()) {
            char c = s.charAt(pos++);
            if (c == '"') {
                return b.toString();
            }
            if (c < 0x20) {
                return null;
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            if (pos >= s.length()) {
                return null;
            }
            char e = s.charAt(pos++);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (pos + 4 > s.length()) {
                        return null;
                    }
                    int cp = 0;
                    for (int i = 0; i < 4; i++) {
                        int d = Character.digit(s.charAt(pos++), 16);
                        if (d < 0) {
                            return null;
                        }
                        cp = cp * 16 + d;
                    }
                    b.append((char) cp);
                }
                default -> {
                    return null;
                }
            }
        }
        return null;
    }

    /** A non-negative integer without sign, fraction or exponent, at most 18 digits. */
    private Long number() {
        int start = pos;
        while (pos < s.length() && s.charAt(pos) >= '0' && s.charAt(pos) <= '9') {
            pos++;
        }
        int digits = pos - start;
        if (digits == 0 || digits > 18 || (digits > 1 && s.charAt(start) == '0')) {
            return null;
        }
        return Long.parseLong(s, start, pos, 10);
    }

    private boolean take(char c) {
        if (pos < s.length() && s.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpace() {
        while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t'
                || s.charAt(pos) == '\n' || s.charAt(pos) == '\r')) {
            pos++;
        }
    }
}
