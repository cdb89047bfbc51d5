package io.bulwark.app.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/** Crypto-PAn key files for {@code share export --pseudonymise-key}. */
public final class ShareKeys {
    private ShareKeys() {
    }

    /** 32 raw bytes, or 64 hex digits (whitespace ignored). */
    public static byte[] read(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length == 32) {
            return raw;
        }
        String hex = new String(raw, StandardCharsets.US_ASCII).replaceAll("\\s", "");
        if (hex.matches("[0-9a-fA-F]{64}")) {
            return HexFormat.of().parseHex(hex);
        }
        throw new IllegalArgumentException(file + ": a Crypto-PAn key is 32 bytes, or 64 hex digits");
    }
}
