package io.bulwark.decode.zeek;

/**
 * A strict parser for one JSON object (RFC 8259) per line, as Zeek's JSON log writer emits
 * them: {@code {"ts":1533042911.474174,"uid":"C5JLGOoxIw2dBZt47","id.orig_h":"192.168.100.113",...}}.
 *
 * <p>Only the top level is kept: string, number, true, false and null members are exposed as
 * text, while nested objects and arrays (such as {@code tunnel_parents}) are checked for
 * well-formedness and then reported as {@link Kind#NESTED} without their content. Core has no
 * JSON library, and a log reader needs no more than this.
 *
 * <p>Bad input never throws: {@link #parse} returns false for anything that is not exactly one
 * well-formed object, for more than {@link #MAX_MEMBERS} members and for nesting deeper than
 * {@link #MAX_DEPTH}, which bound the work and the recursion one hostile line can cause.
 * Duplicate keys are kept as they are; the caller decides. Reused per line; not thread-safe.
 */
final class FlatJson {
    static final int MAX_MEMBERS = 256;
    static final int MAX_DEPTH = 16;

    enum Kind { STRING, NUMBER, TRUE, FALSE, NULL, NESTED }

    private final String[] keys = new String[MAX_MEMBERS];
    private final String[] values = new String[MAX_MEMBERS];
    private final Kind[] kinds = new Kind[MAX_MEMBERS];
    private int size;

    private String s;
    /** Set by {@link #value}: what the value just parsed was. */
    private Kind kind;
    private String text;

    /** Parses {@code line}; on false, {@link #size()} is 0. */
    boolean parse(String line) {
        s = line;
        size = 0;
        int p = ws(0);
        if (!at(p, '{')) {
            return fail();
        }
        p = ws(p + 1);
        if (at(p, '}')) {
            return end(p + 1);
        }
        while (true) {
            if (!at(p, '"') || size == MAX_MEMBERS) {
                return fail();
            }
            p = string(p);
            if (p < 0) {
                return fail();
            }
            String key = text;
            p = ws(p);
            if (!at(p, ':')) {
                return fail();
            }
            p = value(ws(p + 1), 0);
            if (p < 0) {
                return fail();
            }
            keys[size] = key;
            values[size] = text;
            kinds[size] = kind;
            size++;
            p = ws(p);
            if (at(p, ',')) {
                p = ws(p + 1);
            } else if (at(p, '}')) {
                return end(p + 1);
            } else {
                return fail();
            }
        }
    }

    int size() {
        return size;
    }

    String key(int i) {
        return keys[i];
    }

    /** The unescaped string, the number's own text, "true", "false", or null for null and nested values. */
    String value(int i) {
        return values[i];
    }

    Kind kind(int i) {
        return kinds[i];
    }

    private boolean end(int p) {
        if (ws(p) != s.length()) {
            return fail();
        }
        return true;
    }

    private boolean fail() {
        size = 0;
        return false;
    }

    private boolean at(int p, char c) {
        return p < s.length() && s.charAt(p) == c;
    }

    private int ws(int p) {
        while (p < s.length()) {
            char c = s.charAt(p);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            p++;
        }
        return p;
    }

    /** Parses the value at {@code p}; returns the index after it, or -1. */
    private int value(int p, int depth) {
        if (p >= s.length()) {
            return -1;
        }
        char c = s.charAt(p);
        switch (c) {
            case '"':
                kind = Kind.STRING;
                return string(p);
            case '{':
            case '[':
                int q = nested(p, depth + 1);
                kind = Kind.NESTED;
                text = null;
                return q;
            case 't':
                return literal(p, "true", Kind.TRUE);
            case 'f':
                return literal(p, "false", Kind.FALSE);
            case 'n':
                int r = literal(p, "null", Kind.NULL);
                text = null;
                return r;
            default:
                kind = Kind.NUMBER;
                return number(p);
        }
    }

    private int literal(int p, String word, Kind k) {
        if (!s.startsWith(word, p)) {
            return -1;
        }
        kind = k;
        text = word;
        return p + word.length();
    }

    /** An object or array below the top level: validated, content dropped. */
    private int nested(int p, int depth) {
        if (depth > MAX_DEPTH) {
            return -1;
        }
        boolean object = s.charAt(p) == '{';
        char close = object ? '}' : ']';
        p = ws(p + 1);
        if (at(p, close)) {
            return p + 1;
        }
        while (true) {
            if (object) {
                if (!at(p, '"') || (p = string(p)) < 0) {
                    return -1;
                }
                p = ws(p);
                if (!at(p, ':')) {
                    return -1;
                }
                p = ws(p + 1);
            }
            p = value(p, depth);
            if (p < 0) {
                return -1;
            }
            p = ws(p);
            if (at(p, ',')) {
                p = ws(p + 1);
            } else if (at(p, close)) {
                return p + 1;
            } else {
                return -1;
            }
        }
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? ; leaves the lexeme in {@link #text}. */
    private int number(int start) {
        int p = start;
        if (at(p, '-')) {
            p++;
        }
        if (at(p, '0')) {
            p++;
        } else if (digitAt(p)) {
            p = digits(p);
        } else {
            return -1;
        }
        if (at(p, '.')) {
            if (!digitAt(p + 1)) {
                return -1;
            }
            p = digits(p + 1);
        }
        if (at(p, 'e') || at(p, 'E')) {
            p++;
            if (at(p, '+') || at(p, '-')) {
                p++;
            }
            if (!digitAt(p)) {
                return -1;
            }
            p = digits(p);
        }
        text = s.substring(start, p);
        return p;
    }

    private boolean digitAt(int p) {
        return p < s.length() && s.charAt(p) >= '0' && s.charAt(p) <= '9';
    }

    private int digits(int p) {
        while (digitAt(p)) {
            p++;
        }
        return p;
    }

    /** The string whose opening quote is at {@code p}; leaves it unescaped in {@link #text}. */
    private int string(int p) {
        int i = p + 1;
        StringBuilder sb = null;
        int runStart = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                text = sb == null ? s.substring(runStart, i) : sb.append(s, runStart, i).toString();
                return i + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c != '\\') {
                i++;
                continue;
            }
            if (sb == null) {
                sb = new StringBuilder();
            }
            sb.append(s, runStart, i);
            if (i + 1 >= s.length()) {
                return -1;
            }
            char e = s.charAt(i + 1);
            int consumed = 2;
            switch (e) {
                case '"', '\\', '/' -> sb.append(e);
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    int cp = hex4(i + 2);
                    if (cp < 0) {
                        return -1;
                    }
                    sb.append((char) cp);
                    consumed = 6;
                }
                default -> {
                    return -1;
                }
            }
            i += consumed;
            runStart = i;
        }
        return -1;
    }

    private int hex4(int p) {
        if (p + 4 > s.length()) {
            return -1;
        }
        int v = 0;
        for (int i = p; i < p + 4; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0 || s.charAt(i) > 'f') {
                return -1;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
