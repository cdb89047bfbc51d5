package io.bulwark.app.cli;

import io.bulwark.app.evidence.EvidenceFixture;
import io.bulwark.evidence.EvidenceLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark evidence verify --key} and {@code export --force} on a genuine bundle of the sample. */
class EvidenceCommandTest extends StdStreams {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static EvidenceFixture fx;
    static String fingerprint;

    @BeforeAll
    static void genuineBundle() throws IOException {
        fx = new EvidenceFixture(shared);
        fingerprint = fx.keySha256();
    }

    private List<String> lines() {
        return out.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void verify_withoutKey_verdictLineSaysTheKeyWasNotPinnedAndWhatToCompare() {
        assertThat(Main.run("evidence", "verify", fx.bundle.toString())).isZero();
        assertThat(lines()).last().asString().startsWith("VERIFIED, KEY NOT PINNED: " + fx.bundle)
                .contains("SHA-256 " + fingerprint, "compare this fingerprint with the one the operator published",
                        "--key");
        assertThat(lines()).anyMatch(l -> l.startsWith("  ok    log public key: Ed25519, SHA-256 " + fingerprint + ", NOT PINNED"));
    }

    @Test
    void verify_withTheKeyAsFingerprintFileOrSha256sumLine_verifiesPinned() throws IOException {
        Path der = fx.evidence.resolve("log").resolve("log-key.pub");
        Path pem = Files.writeString(tmp.resolve("log-key.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(Files.readAllBytes(der))
                + "\n-----END PUBLIC KEY-----\n");
        Path sum = Files.writeString(tmp.resolve("log-key.sha256"), fingerprint + "  log-key.pub\n");
        String colons = String.join(":", fingerprint.toUpperCase().split("(?<=\\G..)"));
        for (String key : List.of(fingerprint, colons, "SHA256:" + fingerprint, der.toString(), pem.toString(), sum.toString())) {
            out.reset();
            assertThat(Main.run("evidence", "verify", "--key", key, fx.bundle.toString())).as(key).isZero();
            assertThat(lines()).as(key).last().asString()
                    .isEqualTo("VERIFIED: " + fx.bundle + " is intact, its contents are in the signed evidence log, "
                            + "and it is signed by the pinned log key (SHA-256 " + fingerprint + ").");
        }
    }

    @Test
    void verify_withAnotherKeyPinned_isNotVerifiedNamingBothKeys() {
        String other = "ab".repeat(32);
        assertThat(Main.run("evidence", "verify", "--key", other, fx.bundle.toString())).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.equals("  FAIL  log public key: Ed25519, SHA-256 " + fingerprint
                + " is not the pinned key " + other + " (--key fingerprint): the bundle is signed by another key"));
        assertThat(lines()).last().asString().startsWith("NOT VERIFIED: ").contains("(log public key)");
    }

    @Test
    void verify_withAKeyThatIsNeither_isAUsageError() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.pub"), "not a key");
        assertThat(Main.run("evidence", "verify", "--key", junk.toString(), fx.bundle.toString())).isEqualTo(2);
        assertThat(errors()).contains("--key " + junk + ": not an Ed25519 public key");
        assertThat(Main.run("evidence", "verify", "--key", "abc123", fx.bundle.toString())).isEqualTo(2);
        assertThat(errors()).contains("abc123: neither a SHA-256 fingerprint (64 hex digits) nor a key file");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void export_overAnExistingBundle_isRefusedUnlessForced_andTheLogIsUntouched() throws IOException {
        Path zip = tmp.resolve("case.zip");
        Files.writeString(zip, "someone else's bundle");
        long before = logSize();
        assertThat(Main.run("evidence", "export", fx.incident, "--evidence", fx.evidence.toString(), "--out", zip.toString()))
                .isEqualTo(2);
        assertThat(errors()).contains(zip + ": exists already; not replaced (--force replaces it)");
        assertThat(Files.readString(zip)).isEqualTo("someone else's bundle");
        assertThat(logSize()).isEqualTo(before);

        assertThat(Main.run("evidence", "export", fx.incident, "--evidence", fx.evidence.toString(), "--out", zip.toString(),
                "--force")).isZero();
        assertThat(Main.run("evidence", "verify", "--key", fingerprint, zip.toString())).isZero();
        assertThat(logSize()).isEqualTo(before + 1);
    }

    private static long logSize() throws IOException {
        try (EvidenceLog log = EvidenceLog.open(fx.evidence.resolve("log"), EvidenceFixture.CLOCK)) {
            return log.size();
        }
    }
}
