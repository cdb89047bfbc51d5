package io.bulwark.inventory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

/**
 * A TLS ClientHello (RFC 8446 4.1.2, RFC 5246 7.4.1.2) read without decryption, and its
 * JA4-style fingerprint (FoxIO's JA4 TLS client fingerprint, BSD-3-Clause specification):
 *
 * <pre>
 *  JA4 = a_b_c
 *   a: "t" (TCP) | version ("13", "12", "11", "10", "s3": highest of supported_versions, else
 *      the legacy version) | "d" with SNI, "i" without | cipher count (2 digits) |
 *      extension count (2 digits) | first and last character of the first ALPN value ("00": none)
 *   b: first 12 hex digits of SHA-256 over the sorted cipher suites ("002f,0035,...")
 *   c: first 12 hex digits of SHA-256 over the sorted extensions without SNI and ALPN, then
 *      "_" and the signature algorithms in their order
 *  GREASE values (RFC 8701) are left out everywhere.
 *
 *  record: type 0x16 | version (2) | length (2)
 *  handshake: type 1 | length (3) | legacy_version (2) | random (32) | session id (1 + n)
 *             | cipher suites (2 + n) | compression (1 + n) | extensions (2 + n): type (2) | length (2) | data
 * </pre>
 *
 * Only a ClientHello that starts in this segment is read; what does not fit in it is cut (the
 * fingerprint then counts what was seen). Never throws on bad bytes; returns null instead.
 *
 * @param version    highest version offered, as the TLS code point (0x0303 = TLS 1.2)
 * @param sni        server name, or null
 */
record ClientHello(String ja4, int version, String sni) {

    static ClientHello read(ByteBuffer b, int off, int len) {
        int end = off + len;
        if (Wire.u8(b, off, end) != 0x16 || Wire.u8(b, off + 1, end) != 3 || Wire.u8(b, off + 5, end) != 1) {
            return null;
        }
        int hsEnd = Math.min(end, off + 9 + Math.max(0, Wire.u24(b, off + 6, end)));
        int at = off + 9;
        int legacy = Wire.u16(b, at, hsEnd);
        at += 2 + 32;
        int sid = Wire.u8(b, at, hsEnd);
        if (legacy < 0 || sid < 0) {
            return null;
        }
        at += 1 + sid;
        int cl = Wire.u16(b, at, hsEnd);
        if (cl < 0 || at + 2 + cl > hsEnd) {
            return null;
        }
        List<Integer> ciphers = new ArrayList<>();
        for (int i = at + 2; i + 2 <= at + 2 + cl; i += 2) {
            int c = Wire.u16(b, i, hsEnd);
            if (!grease(c)) {
                ciphers.add(c);
            }
        }
        at += 2 + cl;
        int comp = Wire.u8(b, at, hsEnd);
        if (comp < 0) {
            return null;
        }
        at += 1 + comp;
        List<Integer> exts = new ArrayList<>();
        List<Integer> sigalgs = new ArrayList<>();
        String sni = null, alpn = null;
        int version = legacy;
        boolean sniSeen = false;
        int extEnd = Math.min(hsEnd, at + 2 + Math.max(0, Wire.u16(b, at, hsEnd)));
        at += 2;
        for (int n = 0; n < 128 && at + 4 <= extEnd; n++) {
            int type = Wire.u16(b, at, extEnd);
            int elen = Wire.u16(b, at + 2, extEnd);
            int d = at + 4;
            int dEnd = Math.min(extEnd, d + elen);
            if (!grease(type)) {
                exts.add(type);
            }
            switch (type) {
                case 0x0000 -> {
                    sniSeen = true;
                    int nl = Wire.u16(b, d + 3, dEnd);
                    if (Wire.u8(b, d + 2, dEnd) == 0 && nl > 0 && d + 5 + nl <= dEnd) {
                        sni = Wire.text(b, d + 5, d + 5 + nl);
                    }
                }
                case 0x0010 -> {
                    int pl = Wire.u8(b, d + 2, dEnd);
                    if (pl > 0 && d + 3 + pl <= dEnd) {
                        alpn = alpnChars(b, d + 3, pl);
                    }
                }
                case 0x002b -> {
                    int vl = Wire.u8(b, d, dEnd);
                    int best = 0;
                    for (int i = d + 1; i + 2 <= Math.min(dEnd, d + 1 + Math.max(0, vl)); i += 2) {
                        int v = Wire.u16(b, i, dEnd);
                        if (!grease(v) && rank(v) > rank(best)) {
                            best = v;
                        }
                    }
                    if (best != 0) {
                        version = best;
                    }
                }
                case 0x000d -> {
                    int sl = Wire.u16(b, d, dEnd);
                    for (int i = d + 2; i + 2 <= Math.min(dEnd, d + 2 + Math.max(0, sl)); i += 2) {
                        int s = Wire.u16(b, i, dEnd);
                        if (!grease(s)) {
                            sigalgs.add(s);
                        }
                    }
                }
                default -> {
                }
            }
            at = d + elen;
        }
        String a = "t" + versionCode(version) + (sniSeen ? "d" : "i") + two(ciphers.size()) + two(exts.size())
                + (alpn == null ? "00" : alpn);
        List<Integer> sortedCiphers = new ArrayList<>(ciphers);
        Collections.sort(sortedCiphers);
        List<Integer> sortedExts = new ArrayList<>();
        for (int e : exts) {
            if (e != 0x0000 && e != 0x0010) {
                sortedExts.add(e);
            }
        }
        Collections.sort(sortedExts);
        String bPart = sortedCiphers.isEmpty() ? "000000000000" : hash12(hexList(sortedCiphers));
        String cIn = hexList(sortedExts) + (sigalgs.isEmpty() ? "" : "_" + hexList(sigalgs));
        String cPart = sortedExts.isEmpty() ? "000000000000" : hash12(cIn);
        return new ClientHello(a + "_" + bPart + "_" + cPart, version, sni);
    }

    /** "TLS 1.2" for 0x0303. */
    static String versionName(int v) {
        return switch (v) {
            case 0x0304 -> "TLS 1.3";
            case 0x0303 -> "TLS 1.2";
            case 0x0302 -> "TLS 1.1";
            case 0x0301 -> "TLS 1.0";
            case 0x0300 -> "SSL 3.0";
            default -> String.format("0x%04x", v);
        };
    }

    private static String versionCode(int v) {
        return switch (v) {
            case 0x0304 -> "13";
            case 0x0303 -> "12";
            case 0x0302 -> "11";
            case 0x0301 -> "10";
            case 0x0300 -> "s3";
            default -> "00";
        };
    }

    private static int rank(int v) {
        return v >= 0x0300 && v <= 0x0304 ? v - 0x02ff : 0;
    }

    static boolean grease(int v) {
        return (v & 0x0f0f) == 0x0a0a && (v >>> 8) == (v & 0xff);
    }

    private static String alpnChars(ByteBuffer b, int at, int len) {
        int first = b.get(at) & 0xff;
        int last = b.get(at + len - 1) & 0xff;
        if (alnum(first) && alnum(last)) {
            return "" + (char) first + (char) last;
        }
        String hf = String.format("%02x", first);
        String hl = String.format("%02x", last);
        return "" + hf.charAt(0) + hl.charAt(1);
    }

    private static boolean alnum(int c) {
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static String two(int n) {
        return n > 99 ? "99" : (n < 10 ? "0" : "") + n;
    }

    private static String hexList(List<Integer> vs) {
        StringBuilder sb = new StringBuilder();
        for (int v : vs) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(String.format("%04x", v));
        }
        return sb.toString();
    }

    private static String hash12(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(d).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }
}
