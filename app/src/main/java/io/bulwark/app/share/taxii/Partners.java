package io.bulwark.app.share.taxii;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.Sha256;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.Tlp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partners allowed into the TAXII server, read once from a JSON file (docs/share.md):
 *
 * <pre>{"partners": [{"name": "cert-east", "password_sha256": "64 hex digits", "tlp": "green",
 *   "pseudonymise": true, "collections": {"bulwark-incidents": {"can_read": true},
 *   "partner-intel": {"can_read": true, "can_write": true}}}]}</pre>
 *
 * Only the SHA-256 of each password is kept (passwords are random secrets, not words, so an
 * unsalted hash is enough). Immutable and thread-safe.
 */
public final class Partners {
    /** A partner file above this many entries is refused: each Basic login scans them. */
    static final int MAX_PARTNERS = 1000;

    /**
     * @param tlp          the most restricted TLP level the partner may receive
     * @param pseudonymise whether internal addresses are pseudonymised before they reach it
     * @param rights       per collection alias; a collection not named gives no rights
     */
    record Partner(String name, byte[] passwordSha256, Tlp tlp, boolean pseudonymise, Map<String, Rights> rights) {
        boolean canRead(String collection) {
            Rights r = rights.get(collection);
            return r != null && r.read();
        }

        boolean canWrite(String collection) {
            Rights r = rights.get(collection);
            return r != null && r.write();
        }
    }

    record Rights(boolean read, boolean write) {
    }

    private final List<Partner> partners;

    private Partners(List<Partner> partners) {
        this.partners = List.copyOf(partners);
    }

    /** Reads a partner file; a missing field, bad hash or bad TLP is an IllegalArgumentException naming the entry. */
    public static Partners load(Path file) throws IOException {
        return parse(Json.MAPPER.readTree(file.toFile()));
    }

    static Partners parse(JsonNode root) {
        JsonNode list = root == null ? null : root.get("partners");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("partner file: expected {\"partners\": [...]}");
        }
        if (list.size() > MAX_PARTNERS) {
            throw new IllegalArgumentException("partner file: more than " + MAX_PARTNERS + " partners");
        }
        List<Partner> out = new ArrayList<>();
        for (JsonNode p : list) {
            String name = p.path("name").asText("");
            String hash = p.path("password_sha256").asText("");
            if (name.isBlank() || !hash.matches("[0-9a-fA-F]{64}")) {
                throw new IllegalArgumentException("partner file: entry " + out.size()
                        + " needs a name and password_sha256 (64 hex digits)");
            }
            if (out.stream().anyMatch(q -> q.name().equals(name))) {
                // A name is whose statuses and posted copies are whose: two entries must not share one.
                throw new IllegalArgumentException("partner file: entry " + out.size() + " repeats the name " + name);
            }
            Map<String, Rights> rights = new LinkedHashMap<>();
            p.path("collections").fields().forEachRemaining(e -> rights.put(e.getKey(),
                    new Rights(e.getValue().path("can_read").asBoolean(false),
                            e.getValue().path("can_write").asBoolean(false))));
            out.add(new Partner(name, HexFormat.of().parseHex(hash.toLowerCase(java.util.Locale.ROOT)),
                    Tlp.parse(p.path("tlp").asText("clear")), p.path("pseudonymise").asBoolean(false),
                    Map.copyOf(rights)));
        }
        return new Partners(out);
    }

    /** True when any partner asks for pseudonymisation (then serve needs a key). */
    public boolean anyPseudonymised() {
        return partners.stream().anyMatch(Partner::pseudonymise);
    }

    public int size() {
        return partners.size();
    }

    /** The hex SHA-256 of a password, as a partner file holds it. */
    public static String hash(String password) {
        return Sha256.hexOf(password);
    }

    /**
     * The partner an RFC 7617 Basic {@code Authorization} header names, when its password
     * matches; empty for no, malformed or wrong credentials. Hashes are compared in constant time.
     */
    Optional<Partner> authenticate(String header) {
        if (header == null || header.length() < 7 || header.length() > 2048
                || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String pair;
        try {
            pair = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = pair.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String user = pair.substring(0, colon);
        byte[] given = Sha256.of(pair.substring(colon + 1));
        for (Partner p : partners) {
            if (p.name().equals(user) && MessageDigest.isEqual(p.passwordSha256(), given)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
