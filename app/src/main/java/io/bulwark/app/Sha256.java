package io.bulwark.app;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 (FIPS 180-4) as the app uses it: of bytes or of a string's UTF-8 bytes, raw or as
 * lower-case hex. Stateless and thread-safe; each call takes a fresh {@link MessageDigest}.
 */
public final class Sha256 {
    private Sha256() {
    }

    /** A new SHA-256 digest, for hashing a stream in parts. */
    public static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (MessageDigest javadoc).
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The 32-byte digest of {@code b}. */
    public static byte[] of(byte[] b) {
        return digest().digest(b);
    }

    /** The 32-byte digest of the UTF-8 bytes of {@code s}. */
    public static byte[] of(String s) {
        return of(s.getBytes(StandardCharsets.UTF_8));
    }

    /** The digest of {@code b} as 64 lower-case hex digits. */
    public static String hexOf(byte[] b) {
        return HexFormat.of().formatHex(of(b));
    }

    /** The digest of the UTF-8 bytes of {@code s} as 64 lower-case hex digits. */
    public static String hexOf(String s) {
        return HexFormat.of().formatHex(of(s));
    }
}
