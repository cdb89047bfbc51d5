package io.bulwark.app.cli;

import io.bulwark.app.share.taxii.Partners;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Crypto-PAn key files (issue 20, item 7): weak keys are refused with one line that names the
 * file, by {@code share export} and by {@code serve} before it listens.
 */
class ShareKeysTest extends StdStreams {
    static final String GOOD = "21228d8d33a4cf80130a5b16499078107d8dcf83797965276257ba2d2a842202";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "all zero, hex       | 0000000000000000000000000000000000000000000000000000000000000000"
                + "| all 32 bytes are 0x00",
        "pad = AES key       | 21228d8d33a4cf80130a5b164990781021228d8d33a4cf80130a5b1649907810"
                + "| the pad half (bytes 16-31) repeats the AES-key half (bytes 0-15)",
        "AES key all 0x41    | 414141414141414141414141414141417d8dcf83797965276257ba2d2a842202"
                + "| the AES-key half (bytes 0-15) is the byte 0x41 repeated",
        "Fan's sample key    | 1522178d33a4cf80130a5b1649907d10d8988f837979652762574c2d2a842202"
                + "| the published sample key of Fan's Crypto-PAn",
    })
    void read_weakHexKey_refusedInOneLine(String name, String hex, String reason, @TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("pan.key");
        Files.writeString(key, hex + "\n");
        assertThatThrownBy(() -> ShareKeys.read(key)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(key + ": weak Crypto-PAn key: " + reason + "; generate one with")
                .hasMessageNotContaining("\n");
    }

    @Test
    void read_rawZeroKey_textKey_shortKeys_refused(@TempDir Path tmp) throws Exception {
        Path zero = tmp.resolve("zero.key");
        Files.write(zero, new byte[32]);
        assertThatThrownBy(() -> ShareKeys.read(zero)).hasMessageContaining("weak Crypto-PAn key: all 32 bytes are 0x00");

        // yacryptopan's README key: 32 characters, and published.
        Path text = tmp.resolve("text.key");
        Files.writeString(text, "32-char-str-for-AES-key-and-pad.");
        assertThatThrownBy(() -> ShareKeys.read(text)).hasMessageContaining("weak Crypto-PAn key: 32 printable characters");

        Path raw16 = tmp.resolve("raw16.key");
        byte[] half = Arrays.copyOf(HexFormat.of().parseHex(GOOD), 16);
        Files.write(raw16, half);
        assertThatThrownBy(() -> ShareKeys.read(raw16)).hasMessage(raw16 + ": not a Crypto-PAn key (16 bytes): it is"
                + " 32 random bytes, or 64 hex digits; generate one with: head -c 32 /dev/urandom | xxd -p -c 64 > pan.key");

        Path hex32 = tmp.resolve("hex32.key");
        Files.writeString(hex32, GOOD.substring(0, 32) + "\n");
        assertThatThrownBy(() -> ShareKeys.read(hex32)).hasMessageStartingWith(hex32 + ": not a Crypto-PAn key (32 hex digits)");

        Path empty = tmp.resolve("empty.key");
        Files.write(empty, new byte[0]);
        assertThatThrownBy(() -> ShareKeys.read(empty)).hasMessageStartingWith(empty + ": not a Crypto-PAn key (0 hex digits)");
    }

    @Test
    void read_randomKey_rawOrHex_accepted(@TempDir Path tmp) throws Exception {
        Path hex = tmp.resolve("hex.key");
        Files.writeString(hex, GOOD + "\n");
        assertThat(ShareKeys.read(hex)).isEqualTo(HexFormat.of().parseHex(GOOD));
        Path raw = tmp.resolve("raw.key");
        Files.write(raw, HexFormat.of().parseHex(GOOD));
        assertThat(ShareKeys.read(raw)).isEqualTo(HexFormat.of().parseHex(GOOD));
    }

    @Test
    void shareExport_andServe_zeroKey_failWithOneLine(@TempDir Path tmp) throws Exception {
        Path key = tmp.resolve("pan.key");
        Files.writeString(key, "0".repeat(64) + "\n");
        String expected = "bulwark: " + key + ": weak Crypto-PAn key: all 32 bytes are 0x00; generate one with:"
                + " head -c 32 /dev/urandom | xxd -p -c 64 > pan.key" + System.lineSeparator();

        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "amber", "--data", tmp.resolve("data").toString(),
                "--pseudonymise-key", key.toString(), "--out", tmp.resolve("out.json").toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(tmp.resolve("out.json")).doesNotExist();

        err.reset();
        Path partners = tmp.resolve("partners.json");
        Files.writeString(partners, """
                {"partners": [{"name": "cert-east", "password_sha256": "%s", "tlp": "amber", "pseudonymise": true,
                  "collections": {"bulwark-incidents": {"can_read": true}}}]}""".formatted(Partners.hash("pw")));
        // Refused before the store opens or the port is bound: serve returns instead of listening.
        assertThat(Main.run("serve", "--port", "0", "--data", tmp.resolve("data").toString(), "--partners",
                partners.toString(), "--pseudonymise-key", key.toString())).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void serve_unmarkedClear_refused(@TempDir Path tmp) throws Exception {
        Path partners = tmp.resolve("partners.json");
        Files.writeString(partners, """
                {"partners": [{"name": "cert-east", "password_sha256": "%s", "tlp": "amber",
                  "collections": {"partner-intel": {"can_read": true, "can_write": true}}}]}""".formatted(Partners.hash("pw")));
        assertThat(Main.run("serve", "--port", "0", "--data", tmp.resolve("data").toString(), "--partners",
                partners.toString(), "--unmarked-tlp", "clear")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .startsWith("bulwark: objects posted without a marking need a default above TLP:CLEAR");
    }
}
