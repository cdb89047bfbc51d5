package io.bulwark.decode.zeek;

import io.bulwark.decode.zeek.ConnFields.Field;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What the header of a Zeek TSV log declares, and how a data row splits under it
 * (https://docs.zeek.org/en/master/logs/index.html, ASCII writer):
 *
 * <pre>
 *  #separator \x09                      separator, as \xHH escapes, after a space
 *  #set_separator  ,
 *  #empty_field    (empty)              token for an empty string or set
 *  #unset_field    -                    token for an unset value
 *  #path           conn                 which log this is
 *  #open           2018-07-31-13-15-11
 *  #fields         ts  uid  id.orig_h ...   column names: columns are found by name
 *  #types          time string addr ...
 *  ...rows...
 *  #close          2018-08-01-13-15-07  footer written when the log is rotated or closed
 * </pre>
 *
 * Headers may come again mid-file (concatenated logs); each #fields replaces the layout.
 * Inside values Zeek escapes the separator and unprintable bytes as \xHH. Not thread-safe.
 */
final class TsvLayout {
    private byte separator = '\t';
    private byte[] unset = {'-'};
    private byte[] empty = "(empty)".getBytes(StandardCharsets.US_ASCII);
    /** Column index to Field ordinal, -1 for columns Bulwark does not read; null before #fields. */
    private int[] fieldOfColumn;

    boolean hasFields() {
        return fieldOfColumn != null;
    }

    /** Applies one line starting with '#'. Returns null, or a one-line reason the header is unusable. */
    String header(byte[] b, int from, int len) {
        if (startsWith(b, from, len, "#separator")) {
            int at = from + "#separator".length();
            int end = from + len;
            byte[] value = at < end && b[at] == ' ' ? unescape(b, at + 1, end - at - 1) : new byte[0];
            if (value.length != 1 || value[0] == '\n' || value[0] == '\\') {
                return "bad #separator line";
            }
            separator = value[0];
            return null;
        }
        int keyEnd = indexOf(b, from, from + len, separator);
        String key = text(b, from, (keyEnd < 0 ? from + len : keyEnd) - from);
        String[] values = keyEnd < 0 ? new String[0] : split(b, keyEnd + 1, from + len);
        switch (key) {
            case "#empty_field", "#unset_field" -> {
                if (values.length != 1 || values[0].isEmpty()) {
                    return "bad " + key + " line";
                }
                byte[] token = values[0].getBytes(StandardCharsets.UTF_8);
                if (key.equals("#empty_field")) {
                    empty = token;
                } else {
                    unset = token;
                }
            }
            case "#path" -> {
                if (values.length != 1 || !values[0].equals("conn")) {
                    return "#path is " + (values.length == 0 ? "missing" : "'" + clip(values[0]) + "'") + ", not conn";
                }
            }
            case "#fields" -> {
                return fields(values);
            }
            default -> {
                // #open, #close, #types, #set_separator and comments carry nothing Bulwark needs.
            }
        }
        return null;
    }

    private String fields(String[] names) {
        int[] map = new int[names.length];
        boolean[] seen = new boolean[Field.COUNT];
        for (int c = 0; c < names.length; c++) {
            Field f = Field.byName(names[c]);
            map[c] = f == null ? -1 : f.ordinal();
            if (f != null) {
                if (seen[f.ordinal()]) {
                    return "#fields names " + f.zeekName + " twice";
                }
                seen[f.ordinal()] = true;
            }
        }
        for (Field f : Field.values()) {
            if (f.required && !seen[f.ordinal()]) {
                return "#fields lacks " + f.zeekName;
            }
        }
        fieldOfColumn = map;
        return null;
    }

    /**
     * Splits a data row into {@code v} (indexed by Field ordinal; null for unset, "" for
     * empty). False when the row's column count differs from #fields.
     */
    boolean row(byte[] b, int from, int len, String[] v) {
        Arrays.fill(v, null);
        int end = from + len;
        int column = 0;
        int tokenStart = from;
        for (int i = from; i <= end; i++) {
            if (i < end && b[i] != separator) {
                continue;
            }
            if (column >= fieldOfColumn.length) {
                return false;
            }
            int f = fieldOfColumn[column++];
            if (f >= 0) {
                v[f] = token(b, tokenStart, i - tokenStart);
            }
            tokenStart = i + 1;
        }
        return column == fieldOfColumn.length;
    }

    private String token(byte[] b, int from, int len) {
        if (Arrays.equals(b, from, from + len, unset, 0, unset.length)) {
            return null;
        }
        if (Arrays.equals(b, from, from + len, empty, 0, empty.length)) {
            return "";
        }
        return text(b, from, len);
    }

    private String[] split(byte[] b, int from, int end) {
        int n = 1;
        for (int i = from; i < end; i++) {
            n += b[i] == separator ? 1 : 0;
        }
        String[] out = new String[n];
        int k = 0;
        int tokenStart = from;
        for (int i = from; i <= end; i++) {
            if (i == end || b[i] == separator) {
                out[k++] = text(b, tokenStart, i - tokenStart);
                tokenStart = i + 1;
            }
        }
        return out;
    }

    /** UTF-8 text with Zeek's \xHH escapes decoded. */
    private static String text(byte[] b, int from, int len) {
        if (indexOf(b, from, from + len, (byte) '\\') < 0) {
            return new String(b, from, len, StandardCharsets.UTF_8);
        }
        return new String(unescape(b, from, len), StandardCharsets.UTF_8);
    }

    private static byte[] unescape(byte[] b, int from, int len) {
        byte[] out = new byte[len];
        int n = 0;
        for (int i = from; i < from + len; i++) {
            int hi;
            int lo;
            if (b[i] == '\\' && i + 3 < from + len && b[i + 1] == 'x'
                    && (hi = Character.digit(b[i + 2], 16)) >= 0 && (lo = Character.digit(b[i + 3], 16)) >= 0) {
                out[n++] = (byte) (hi << 4 | lo);
                i += 3;
            } else {
                out[n++] = b[i];
            }
        }
        return n == len ? out : Arrays.copyOf(out, n);
    }

    private static boolean startsWith(byte[] b, int from, int len, String prefix) {
        if (len < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int from, int end, byte x) {
        for (int i = from; i < end; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
