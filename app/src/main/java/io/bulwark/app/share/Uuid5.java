package io.bulwark.app.share;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Name-based UUIDs, version 5 (RFC 4122 section 4.3, SHA-1). {@link UUID#nameUUIDFromBytes} is
 * version 3 (MD5), which STIX 2.1 does not use for deterministic ids.
 */
public final class Uuid5 {
    /** The namespace STIX 2.1 (section 2.9) fixes for cyber-observable ids. */
    public static final UUID STIX_SCO = UUID.fromString("00abedb4-aa42-466c-9c01-fed23315a9b7");
    /**
     * Bulwark's own namespace for the ids of shared SDOs, SROs, bundles and MISP events. Never
     * change it: partners deduplicate re-exports by these ids.
     */
    public static final UUID BULWARK = UUID.fromString("5b0f3c0e-7d4a-4f61-9a0e-b7c1a2e5d8f3");

    private Uuid5() {
    }

    public static UUID of(UUID namespace, String name) {
        return of(namespace, name.getBytes(StandardCharsets.UTF_8));
    }

    public static UUID of(UUID namespace, byte[] name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        byte[] h = sha1.digest(name);
        h[6] = (byte) ((h[6] & 0x0f) | 0x50); // version 5
        h[8] = (byte) ((h[8] & 0x3f) | 0x80); // RFC 4122 variant
        ByteBuffer b = ByteBuffer.wrap(h, 0, 16);
        return new UUID(b.getLong(), b.getLong());
    }
}
