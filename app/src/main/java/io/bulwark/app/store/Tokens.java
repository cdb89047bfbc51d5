package io.bulwark.app.store;

import io.bulwark.app.Sha256;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * API tokens. A secret is "bwk_" and 32 bytes from SecureRandom in unpadded base64url (256 bits:
 * not guessable, so a fast hash is enough; the prefix lets secret scanners recognise a leaked
 * one). Only the SHA-256 of the secret is stored. The row is found by its hash and the hashes
 * are then compared with MessageDigest.isEqual, in constant time.
 */
final class Tokens {
    static final String PREFIX = "bwk_";
    /** Prefix and 43 base64url characters; anything longer is not ours and is not hashed. */
    private static final int SECRET_LENGTH = PREFIX.length() + 43;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Tx tx;

    interface Tx {
        <T> T tx(JdbcStore.Work<T> w);
    }

    Tokens(Tx tx) {
        this.tx = tx;
    }

    Store.NewToken create(Store.Role role, String name, Instant now) {
        byte[] secretBytes = new byte[32];
        RANDOM.nextBytes(secretBytes);
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
        String id = "tok_" + HexFormat.of().formatHex(idBytes);
        tx.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO tokens (id, hash, role, name, created) VALUES (?, ?, ?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, Sha256.hexOf(secret));
                ps.setString(3, role.name());
                ps.setString(4, name);
                ps.setLong(5, Rows.nanos(now));
                return ps.executeUpdate();
            }
        });
        return new Store.NewToken(id, secret, role, name, now);
    }

    Optional<Store.Holder> authenticate(String secret) {
        if (secret == null || secret.length() != SECRET_LENGTH || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        byte[] presented = Sha256.of(secret);
        return tx.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT hash, role, id, name FROM tokens WHERE hash = ? AND revoked IS NULL")) {
                ps.setString(1, HexFormat.of().formatHex(presented));
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && MessageDigest.isEqual(HexFormat.of().parseHex(rs.getString(1)), presented)) {
                        return Optional.of(new Store.Holder(rs.getString(3), rs.getString(4),
                                Store.Role.valueOf(rs.getString(2))));
                    }
                    return Optional.<Store.Holder>empty();
                }
            }
        });
    }

    boolean revoke(String id, long atNanos) {
        return tx.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tokens SET revoked = ? WHERE id = ? AND revoked IS NULL")) {
                ps.setLong(1, atNanos);
                ps.setString(2, id);
                return ps.executeUpdate() > 0;
            }
        });
    }
}
