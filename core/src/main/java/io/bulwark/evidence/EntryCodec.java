package io.bulwark.evidence;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * How one evidence entry is written: the leaf input that is hashed into the tree (see
 * {@link EvidenceLog#leafInput}) and the {@code entries.ndjson} line a person reads.
 * Parsing never throws; it returns empty for anything {@link #toJson} would not write.
 */
final class EntryCodec {
    private static final byte LEAF_FORMAT_V1 = 0;
    private static final HexFormat HEX = HexFormat.of();

    private EntryCodec() {
    }

    /** @throws IllegalArgumentException for arguments {@link #problem} names */
    static byte[] leafInput(String kind, String name, byte[] contentSha256) {
        Optional<String> problem = problem(kind, name, contentSha256);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
        byte[] k = kind.getBytes(StandardCharsets.UTF_8);
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(1 + 2 + k.length + 2 + n.length + Merkle.HASH_LENGTH)
                .put(LEAF_FORMAT_V1)
                .putShort((short) k.length).put(k)
                .putShort((short) n.length).put(n)
                .put(contentSha256)
                .array();
    }

    static String toJson(long index, String kind, String name, byte[] contentSha256) {
        return "{\"index\":" + index + ",\"kind\":" + FlatJson.quote(kind) + ",\"name\":" + FlatJson.quote(name)
                + ",\"sha256\":\"" + HEX.formatHex(contentSha256) + "\"}";
    }

    static Optional<EvidenceLog.Entry> parse(byte[] utf8, long expectedIndex) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
        Optional<Map<String, Object>> parsed = FlatJson.parse(text);
        if (parsed.isEmpty() || parsed.get().size() != 4) {
            return Optional.empty();
        }
        Map<String, Object> m = parsed.get();
        if (!(m.get("index") instanceof Long index) || index != expectedIndex
                || !(m.get("kind") instanceof String kind) || !(m.get("name") instanceof String name)
                || !(m.get("sha256") instanceof String hex) || !hex.matches("[0-9a-f]{64}")) {
            return Optional.empty();
        }
        byte[] sha = HEX.parseHex(hex);
        if (problem(kind, name, sha).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(new EvidenceLog.Entry(index, kind, name, sha, Merkle.leafHash(leafInput(kind, name, sha))));
    }

    static Optional<String> problem(String kind, String name, byte[] contentSha256) {
        if (kind == null || !EvidenceLog.KIND.matcher(kind).matches()) {
            return Optional.of("kind must match " + EvidenceLog.KIND.pattern());
        }
        if (name == null || name.isEmpty()) {
            return Optional.of("name must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                return Optional.of("name must not contain control characters");
            }
            // An unpaired surrogate would encode as '?', so two names could share a leaf.
            if (Character.isHighSurrogate(c) && (i + 1 == name.length() || !Character.isLowSurrogate(name.charAt(i + 1)))
                    || Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(name.charAt(i - 1)))) {
                return Optional.of("name must be valid Unicode");
            }
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > EvidenceLog.MAX_NAME_BYTES) {
            return Optional.of("name must be at most " + EvidenceLog.MAX_NAME_BYTES + " UTF-8 bytes");
        }
        if (!Merkle.isHash(contentSha256)) {
            return Optional.of("contentSha256 must be 32 bytes");
        }
        return Optional.empty();
    }
}
