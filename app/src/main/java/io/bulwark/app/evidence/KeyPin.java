package io.bulwark.app.evidence;

import io.bulwark.app.Sha256;
import io.bulwark.app.TextFiles;
import io.bulwark.evidence.EvidenceLog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The log key an examiner expects a bundle to be signed with ({@code evidence verify --key}): the
 * SHA-256 of its X.509 SubjectPublicKeyInfo DER, the bytes of {@code log-key.pub}. Without a pin
 * a bundle proves only that it is consistent: anyone can make a consistent bundle under a key of
 * their own.
 *
 * @param sha256 the 32-byte fingerprint
 * @param source what the examiner gave, for messages
 */
public record KeyPin(byte[] sha256, String source) {
    private static final long MAX_FILE_BYTES = 64 << 10;
    /** 64 hex digits, optionally split by colons or spaces, optionally after "sha256:" or "SHA-256 ". */
    private static final Pattern FINGERPRINT = Pattern.compile("(?i)(?:sha-?256[: ]\\s*)?((?:[0-9a-f]{2}[:\\s]?){31}[0-9a-f]{2})");
    /** sha256sum's output: the fingerprint, then the file name. */
    private static final Pattern SHA256SUM = Pattern.compile("(?i)\\s*([0-9a-f]{64})(?:\\s.*)?", Pattern.DOTALL);
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

    public KeyPin {
        sha256 = sha256.clone();
    }

    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /**
     * A pin from a fingerprint (64 hex digits, colons allowed) or a file: the public key as DER
     * ({@code log-key.pub}) or PEM ({@code openssl pkey -pubout}), or {@code sha256sum}'s line for it.
     *
     * @throws IllegalArgumentException with a one-line reason when it is none of these
     */
    public static KeyPin parse(String arg) {
        Matcher m = FINGERPRINT.matcher(arg.strip());
        if (m.matches()) {
            return new KeyPin(HexFormat.of().parseHex(m.group(1).replaceAll("[:\\s]", "")), "fingerprint");
        }
        Path file = Path.of(arg);
        byte[] b;
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException(arg + ": neither a SHA-256 fingerprint (64 hex digits) nor a key file");
            }
            b = TextFiles.readBounded(file, MAX_FILE_BYTES);
        } catch (IOException e) {
            throw new IllegalArgumentException(arg + ": cannot read it: " + e.getMessage());
        }
        String text = new String(b, StandardCharsets.US_ASCII);
        Matcher sum = SHA256SUM.matcher(text);
        if (sum.matches()) {
            return new KeyPin(HexFormat.of().parseHex(sum.group(1)), file.toString());
        }
        Matcher pem = PEM.matcher(text);
        if (pem.find()) {
            b = Base64.getMimeDecoder().decode(pem.group(1));
        }
        if (EvidenceLog.publicKey(b).isEmpty()) {
            throw new IllegalArgumentException(arg + ": not an Ed25519 public key (DER or PEM) nor a SHA-256 fingerprint");
        }
        return new KeyPin(Sha256.of(b), file.toString());
    }

    /** Whether {@code publicKeyDer} is the pinned key. */
    public boolean matches(byte[] publicKeyDer) {
        return MessageDigest.isEqual(sha256, Sha256.of(publicKeyDer));
    }

    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }
}
