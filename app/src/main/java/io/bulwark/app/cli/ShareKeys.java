package io.bulwark.app.cli;

import io.bulwark.anonymise.CryptoPan;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

/** Crypto-PAn key files for {@code share export} and {@code serve} {@code --pseudonymise-key}. */
public final class ShareKeys {
    private static final String GENERATE = "generate one with: head -c 32 /dev/urandom | xxd -p -c 64 > pan.key";
    /** The sample key of Fan's reference implementation (sample.cpp): published, so anybody can invert it. */
    private static final byte[] FAN_SAMPLE = HexFormat.of().parseHex(
            "1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202");

    private ShareKeys() {
    }

    /**
     * 32 raw bytes, or 64 hex digits (whitespace ignored). Refuses, with a one-line message that
     * names the file, a file of another length and a weak key: one {@link CryptoPan#weakness}
     * names, 32 printable characters (a passphrase or hex text has far less than 256 bits of
     * secret), or the published sample key.
     */
    public static byte[] read(Path file) throws IOException {
        byte[] raw = io.bulwark.app.TextFiles.readBounded(file, 4096);
        byte[] key;
        if (raw.length == CryptoPan.KEY_BYTES) {
            key = raw;
            if (printable(raw)) {
                throw weak(file, "32 printable characters, a passphrase or text rather than 32 random bytes");
            }
        } else {
            String hex = new String(raw, StandardCharsets.US_ASCII).replaceAll("\\s", "");
            if (!hex.matches("[0-9a-fA-F]{64}")) {
                String what = hex.matches("[0-9a-fA-F]*") ? hex.length() + " hex digits" : raw.length + " bytes";
                throw new IllegalArgumentException(file + ": not a Crypto-PAn key (" + what
                        + "): it is 32 random bytes, or 64 hex digits; " + GENERATE);
            }
            key = HexFormat.of().parseHex(hex);
        }
        String weakness = CryptoPan.weakness(key);
        if (weakness != null) {
            throw weak(file, weakness);
        }
        if (Arrays.equals(key, FAN_SAMPLE)) {
            throw weak(file, "the published sample key of Fan's Crypto-PAn");
        }
        return key;
    }

    private static boolean printable(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static IllegalArgumentException weak(Path file, String why) {
        return new IllegalArgumentException(file + ": weak Crypto-PAn key: " + why + "; " + GENERATE);
    }
}
