package io.bulwark.decode.zeek;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Zeek's value texts to numbers. Every method returns -1 for text it does not accept, never
 * throws, and looks at no more than {@link #MAX_TEXT} characters.
 */
final class ZeekValues {
    static final int MAX_TEXT = 64;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private ZeekValues() {
    }

    /**
     * Non-negative decimal seconds ({@code 1533042911.474174}, {@code 0.114184}, or with an
     * exponent as a JSON writer may print {@code 1e-06}) to nanoseconds. The digits are
     * scaled as text, never through a double: a double holds only ~16 significant digits,
     * so epoch seconds with microseconds would come back a few hundred nanoseconds off.
     * Digits below a nanosecond are rounded half up.
     */
    static long secondsToNanos(String t) {
        int n = t.length();
        if (n == 0 || n > MAX_TEXT) {
            return -1;
        }
        int i = 0;
        int intStart = i;
        while (i < n && isDigit(t.charAt(i))) {
            i++;
        }
        int intEnd = i;
        if (intEnd == intStart) {
            return -1;
        }
        int fracStart = i;
        int fracEnd = i;
        if (i < n && t.charAt(i) == '.') {
            fracStart = ++i;
            while (i < n && isDigit(t.charAt(i))) {
                i++;
            }
            fracEnd = i;
            if (fracEnd == fracStart) {
                return -1;
            }
        }
        int exp = 0;
        if (i < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            i++;
            boolean negative = i < n && t.charAt(i) == '-';
            if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
                i++;
            }
            int expStart = i;
            while (i < n && isDigit(t.charAt(i)) && i - expStart < 4) {
                exp = exp * 10 + (t.charAt(i++) - '0');
            }
            if (i == expStart) {
                return -1;
            }
            exp = negative ? -exp : exp;
        }
        if (i != n) {
            return -1;
        }
        // Digit k of the concatenated integer and fraction digits is worth 10^(point - 1 - k)
        // seconds, that is 10^(point + 8 - k) nanoseconds.
        int point = (intEnd - intStart) + exp;
        int digitCount = (intEnd - intStart) + (fracEnd - fracStart);
        long acc = 0;
        int lastPower = 0;
        int roundDigit = 0;
        for (int k = 0; k < digitCount; k++) {
            int d = digitAt(t, k, intStart, intEnd, fracStart);
            int power = point + 8 - k;
            if (power < 0) {
                // Only the digit worth a tenth of a nanosecond decides; a smaller first
                // dropped digit means the rest is below half a nanosecond.
                roundDigit = power == -1 ? d : 0;
                break;
            }
            if (acc > (Long.MAX_VALUE - d) / 10) {
                return -1;
            }
            acc = acc * 10 + d;
            lastPower = power;
        }
        for (int p = 0; p < lastPower && acc != 0; p++) {
            if (acc > Long.MAX_VALUE / 10) {
                return -1;
            }
            acc *= 10;
        }
        if (roundDigit >= 5) {
            if (acc == Long.MAX_VALUE) {
                return -1;
            }
            acc++;
        }
        return acc;
    }

    private static int digitAt(String t, int k, int intStart, int intEnd, int fracStart) {
        int intDigits = intEnd - intStart;
        return t.charAt(k < intDigits ? intStart + k : fracStart + (k - intDigits)) - '0';
    }

    /**
     * A timestamp in decimal epoch seconds, or in ISO 8601 as Zeek writes it with
     * {@code LogAscii::json_timestamps = JSON::TS_ISO8601} ({@code 2018-07-31T13:15:11.474174Z}).
     */
    static long timestampNanos(String t) {
        long decimal = secondsToNanos(t);
        if (decimal >= 0 || t.length() > MAX_TEXT || t.indexOf('T') < 0) {
            return decimal;
        }
        try {
            OffsetDateTime odt = OffsetDateTime.parse(t, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            long seconds = odt.toEpochSecond();
            if (seconds < 0 || seconds > Long.MAX_VALUE / NANOS_PER_SECOND - 1) {
                return -1;
            }
            return seconds * NANOS_PER_SECOND + odt.getNano();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** A Zeek {@code count}: plain decimal digits that fit a long. */
    static long count(String t) {
        int n = t.length();
        if (n == 0 || n > 19) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            char c = t.charAt(i);
            if (!isDigit(c) || v > (Long.MAX_VALUE - (c - '0')) / 10) {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** A Zeek {@code port} number, 0 to 65535 (for ICMP, the type or the code). */
    static int port(String t) {
        long v = t.length() > 5 ? -1 : count(t);
        return v > 65_535 ? -1 : (int) v;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
