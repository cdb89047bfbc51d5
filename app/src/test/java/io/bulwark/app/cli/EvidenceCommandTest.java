package io.bulwark.app.cli;

import io.bulwark.app.evidence.BundleZip;
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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark evidence verify --key/--extract} and {@code export --force} on a genuine bundle of the sample. */
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
    void verify_extract_writesExactlyTheVerifiedBytes() throws IOException {
        Path dir = tmp.resolve("examined");
        assertThat(Main.run("evidence", "verify", "--key", fingerprint, "--extract", dir.toString(), fx.bundle.toString()))
                .isZero();
        Map<String, byte[]> checked = BundleZip.read(fx.bundle);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .isEqualTo(checked.keySet().stream().sorted().toList());
        }
        for (Map.Entry<String, byte[]> f : checked.entrySet()) {
            assertThat(Files.readAllBytes(dir.resolve(f.getKey()))).as(f.getKey()).isEqualTo(f.getValue());
        }
        assertThat(lines()).last().asString().isEqualTo("extracted " + checked.size() + " files to " + dir
                + ", exactly the bytes verified");
    }

    @Test
    void verify_extractIntoANonEmptyDirectory_isRefusedBeforeAnythingIsRead() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("busy"));
        Files.writeString(dir.resolve("incident.json"), "{}");
        assertThat(Main.run("evidence", "verify", "--extract", dir.toString(), fx.bundle.toString())).isEqualTo(2);
        assertThat(errors()).contains(dir + ": not empty");
        assertThat(Files.readString(dir.resolve("incident.json"))).isEqualTo("{}");
        try (var s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(1);
        }
    }

    @Test
    void verify_extractOfABundleThatFails_writesNothing() throws IOException {
        Path bad = tmp.resolve("appended.zip");
        Files.write(bad, concat(Files.readAllBytes(fx.bundle), Files.readAllBytes(fx.bundle)));
        Path dir = tmp.resolve("never");
        assertThat(Main.run("evidence", "verify", "--extract", dir.toString(), bad.toString())).isEqualTo(1);
        assertThat(lines()).anyMatch(l -> l.startsWith("  FAIL  bundle readable: ") && l.contains("two archives joined"));
        assertThat(lines()).last().asString().isEqualTo("nothing extracted to " + dir + ": the bundle is not verified");
        assertThat(dir).doesNotExist();
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

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
