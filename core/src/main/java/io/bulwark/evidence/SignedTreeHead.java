package io.bulwark.evidence;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The log's signed statement "after {@code treeSize} entries my root was {@code rootHash}",
 * made at {@code timestampMillis} (milliseconds since the epoch, from the log's clock).
 * Arrays are copied in and out, so an instance is immutable and thread-safe.
 *
 * @param treeSize        number of leaves covered, {@code >= 0}
 * @param rootHash        the 32-byte Merkle tree hash of those leaves
 * @param timestampMillis when the log signed, in milliseconds since 1970-01-01T00:00:00Z
 * @param signature       Ed25519 signature (64 bytes) over {@link #signedBytes()}
 */
public record SignedTreeHead(long treeSize, byte[] rootHash, long timestampMillis, byte[] signature) {
    /** Length of {@link #signedBytes()}. */
    public static final int SIGNED_LENGTH = 50;
    /** RFC 6962 section 3.2 {@code Version v1}. */
    static final byte VERSION_V1 = 0;
    /** RFC 6962 section 3.2 {@code SignatureType tree_hash}. */
    static final byte SIGNATURE_TYPE_TREE_HASH = 1;

    /**
     * @throws IllegalArgumentException if {@code treeSize} or {@code timestampMillis} is
     *                                  negative, {@code rootHash} is not 32 bytes or
     *                                  {@code signature} is null: a caller's bug, since
     *                                  parsed input goes through {@link #fromJson}
     */
    public SignedTreeHead {
        if (treeSize < 0 || timestampMillis < 0 || !Merkle.isHash(rootHash) || signature == null) {
            throw new IllegalArgumentException("tree head needs treeSize >= 0, timestamp >= 0, a 32-byte root"
                    + " and a signature");
        }
        rootHash = rootHash.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The bytes the signature covers: RFC 6962 section 3.5's {@code TreeHeadSignature} with
     * version v1 and signature type tree_hash, big-endian, 50 bytes.
     * <pre>
     *  0         1                2                    10                   18            50
     *  +---------+----------------+--------------------+--------------------+-------------+
     *  | version | signature_type | timestamp          | tree_size          | root hash   |
     *  | 0 (v1)  | 1 (tree_hash)  | uint64, ms, epoch  | uint64             | 32 bytes    |
     *  +---------+----------------+--------------------+--------------------+-------------+
     * </pre>
     */
    public byte[] signedBytes() {
        return signedBytes(treeSize, rootHash, timestampMillis);
    }

    static byte[] signedBytes(long treeSize, byte[] rootHash, long timestampMillis) {
        return ByteBuffer.allocate(SIGNED_LENGTH)
                .put(VERSION_V1)
                .put(SIGNATURE_TYPE_TREE_HASH)
                .putLong(timestampMillis)
                .putLong(treeSize)
                .put(rootHash)
                .array();
    }

    static SignedTreeHead sign(PrivateKey key, long treeSize, byte[] rootHash, long timestampMillis)
            throws GeneralSecurityException {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(signedBytes(treeSize, rootHash, timestampMillis));
        return new SignedTreeHead(treeSize, rootHash, timestampMillis, s.sign());
    }

    /**
     * Whether {@link #signature()} is a valid Ed25519 signature of {@link #signedBytes()} by
     * {@code key}. False, never an exception, for a null or non-Ed25519 key or a malformed
     * signature.
     */
    public boolean verify(PublicKey key) {
        if (key == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(signedBytes());
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * One line of JSON with the field names of RFC 6962 section 4.3 {@code get-sth}, byte
     * fields in standard base64. Unlike CT v1, {@code tree_head_signature} is the bare 64-byte
     * Ed25519 signature, not a TLS {@code DigitallySigned} structure.
     * <pre>{"tree_size":8,"timestamp":1768471200000,"sha256_root_hash":"...","tree_head_signature":"..."}</pre>
     */
    public String toJson() {
        Base64.Encoder b64 = Base64.getEncoder();
        return "{\"tree_size\":" + treeSize
                + ",\"timestamp\":" + timestampMillis
                + ",\"sha256_root_hash\":" + FlatJson.quote(b64.encodeToString(rootHash))
                + ",\"tree_head_signature\":" + FlatJson.quote(b64.encodeToString(signature)) + "}";
    }

    /**
     * Reads what {@link #toJson()} writes (member order and whitespace free). Empty, never an
     * exception, for anything else: a missing, extra or mistyped member, bad base64, a root that
     * is not 32 bytes or a signature that is not 64. Parsing does not check the signature.
     */
    public static Optional<SignedTreeHead> fromJson(String json) {
        Optional<Map<String, Object>> parsed = FlatJson.parse(json);
        if (parsed.isEmpty() || parsed.get().size() != 4) {
            return Optional.empty();
        }
        Map<String, Object> m = parsed.get();
        if (!(m.get("tree_size") instanceof Long size) || !(m.get("timestamp") instanceof Long time)
                || !(m.get("sha256_root_hash") instanceof String root)
                || !(m.get("tree_head_signature") instanceof String sig)) {
            return Optional.empty();
        }
        try {
            byte[] rootBytes = Base64.getDecoder().decode(root);
            byte[] sigBytes = Base64.getDecoder().decode(sig);
            if (!Merkle.isHash(rootBytes) || sigBytes.length != 64) {
                return Optional.empty();
            }
            return Optional.of(new SignedTreeHead(size, rootBytes, time, sigBytes));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedTreeHead t && t.treeSize == treeSize && t.timestampMillis == timestampMillis
                && Arrays.equals(t.rootHash, rootHash) && Arrays.equals(t.signature, signature);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(treeSize) * 31 + Arrays.hashCode(rootHash);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
