package io.bulwark.evidence;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

class EvidenceLogTest {
    static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

    @TempDir
    Path dir;

    static byte[] sha256(String content) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8));
    }

    /** A log with {@code n} captures and a tree head after each batch of three. */
    EvidenceLog filled(int n) throws Exception {
        EvidenceLog log = EvidenceLog.open(dir, CLOCK);
        for (int i = 0; i < n; i++) {
            log.append("pcap", "capture-" + i + ".pcap", sha256("capture " + i));
            if (i % 3 == 2) {
                log.signTreeHead();
            }
        }
        return log;
    }

    static List<EvidenceLog.Entry> entries(EvidenceLog log) throws IOException {
        List<EvidenceLog.Entry> out = new ArrayList<>();
        for (long i = 0; i < log.size(); i++) {
            out.add(log.entry(i));
        }
        return out;
    }

    @Test
    void append_returnsConsecutiveIndexes_entriesReadBack() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.append("pcap", "a.pcap", sha256("a"))).isZero();
            assertThat(log.append("finding", "ünïcode \"quoted\" \\ name", sha256("b"))).isEqualTo(1);
            EvidenceLog.Entry e = log.entry(1);
            assertThat(e.kind()).isEqualTo("finding");
            assertThat(e.name()).isEqualTo("ünïcode \"quoted\" \\ name");
            assertThat(e.contentSha256()).isEqualTo(sha256("b"));
            assertThat(e.leafHash()).isEqualTo(Merkle.leafHash(EvidenceLog.leafInput("finding", e.name(), sha256("b"))));
            assertThat(log.size()).isEqualTo(2);
        }
    }

    @Test
    void open_afterRestart_sameSizeEntriesRootAndTreeHeads() throws Exception {
        List<EvidenceLog.Entry> before;
        List<SignedTreeHead> headsBefore;
        byte[] keyBefore;
        try (EvidenceLog log = filled(10)) {
            log.signTreeHead();
            before = entries(log);
            headsBefore = log.treeHeads();
            keyBefore = log.publicKeyDer();
        }
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.size()).isEqualTo(10);
            assertThat(entries(log)).isEqualTo(before);
            assertThat(log.treeHeads()).isEqualTo(headsBefore).hasSize(4);
            assertThat(log.publicKeyDer()).isEqualTo(keyBefore);
            SignedTreeHead again = log.signTreeHead();
            assertThat(again.rootHash()).isEqualTo(headsBefore.get(3).rootHash());
            // Appending continues after the restart.
            assertThat(log.append("pcap", "late.pcap", sha256("late"))).isEqualTo(10);
        }
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.size()).isEqualTo(11);
            assertThat(log.entry(10).name()).isEqualTo("late.pcap");
        }
    }

    @Test
    void consistencyProof_laterTreeHeadAgainstEarlier_verifies() throws Exception {
        try (EvidenceLog log = filled(20)) {
            List<SignedTreeHead> heads = log.treeHeads();
            PublicKey key = EvidenceLog.publicKey(Files.readAllBytes(dir.resolve("log-key.pub"))).orElseThrow();
            for (int a = 0; a < heads.size(); a++) {
                for (int b = a; b < heads.size(); b++) {
                    SignedTreeHead old = heads.get(a), now = heads.get(b);
                    assertThat(old.verify(key)).isTrue();
                    List<byte[]> proof = log.consistencyProof(old.treeSize(), now.treeSize());
                    assertThat(Merkle.verifyConsistency(old.treeSize(), now.treeSize(), old.rootHash(),
                            now.rootHash(), proof)).as("%d -> %d", old.treeSize(), now.treeSize()).isTrue();
                }
            }
        }
    }

    @Test
    void inclusionProof_everyEntry_verifiesOfflineFromEntryAndTreeHead() throws Exception {
        try (EvidenceLog log = filled(12)) {
            SignedTreeHead sth = log.treeHeads().get(log.treeHeads().size() - 1);
            for (long i = 0; i < sth.treeSize(); i++) {
                EvidenceLog.Entry e = log.entry(i);
                // What a verifier holds: the entry's fields, the proof, the head and the key.
                byte[] leaf = Merkle.leafHash(EvidenceLog.leafInput(e.kind(), e.name(), e.contentSha256()));
                assertThat(Merkle.verifyInclusion(leaf, i, sth.treeSize(), log.inclusionProof(i, sth.treeSize()),
                        sth.rootHash())).isTrue();
            }
            assertThat(sth.verify(log.publicKey())).isTrue();
        }
    }

    @Test
    void signTreeHead_fixedClock_deterministicTimestamp() throws Exception {
        try (EvidenceLog log = filled(2)) {
            SignedTreeHead sth = log.signTreeHead();
            assertThat(sth.timestampMillis()).isEqualTo(T0.toEpochMilli());
            assertThat(sth.treeSize()).isEqualTo(2);
        }
    }

    @Test
    void signTreeHead_emptyLog_signsTheEmptyRoot() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            SignedTreeHead sth = log.signTreeHead();
            assertThat(sth.treeSize()).isZero();
            assertThat(sth.rootHash()).isEqualTo(Merkle.root(List.of()));
        }
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.treeHeads()).hasSize(1);
        }
    }

    @Test
    void open_leafHashTampered_refusedNamingTheFile() throws Exception {
        filled(5).close();
        Path leaves = dir.resolve("leaves");
        byte[] bytes = Files.readAllBytes(leaves);
        bytes[2 * 32 + 7] ^= 0x01;
        Files.write(leaves, bytes);
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("entries.ndjson: line 3 does not hash to leaf 2 in leaves")
                .hasMessageNotContaining("\n");
    }

    @Test
    void open_leavesTruncated_refused() throws Exception {
        filled(5).close();
        Path leaves = dir.resolve("leaves");
        byte[] bytes = Files.readAllBytes(leaves);
        Files.write(leaves, java.util.Arrays.copyOf(bytes, bytes.length - 5));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("leaves: 155 bytes is not a whole number of 32-byte hashes");
        Files.write(leaves, java.util.Arrays.copyOf(bytes, bytes.length - 32));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("entries.ndjson: line 5 has no leaf hash in leaves");
    }

    @Test
    void open_entryRenamed_refused() throws Exception {
        filled(5).close();
        Path entries = dir.resolve("entries.ndjson");
        Files.writeString(entries, Files.readString(entries).replace("capture-3.pcap", "capture-9.pcap"));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("entries.ndjson: line 4 does not hash to leaf 3");
    }

    @Test
    void open_entriesAndLeavesRewrittenTogether_refusedByTheSignedTreeHead() throws Exception {
        filled(6).close();
        // Rebuild both files consistently with a different capture: only the signatures notice.
        Path entries = dir.resolve("entries.ndjson");
        List<String> lines = Files.readAllLines(entries);
        byte[] forged = sha256("forged");
        lines.set(1, EntryCodec.toJson(1, "pcap", "capture-1.pcap", forged));
        Files.write(entries, lines);
        byte[] leaves = Files.readAllBytes(dir.resolve("leaves"));
        System.arraycopy(Merkle.leafHash(EvidenceLog.leafInput("pcap", "capture-1.pcap", forged)), 0, leaves, 32, 32);
        Files.write(dir.resolve("leaves"), leaves);
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                .hasMessageContaining("tree-heads.ndjson: line 1 signs a root the leaves do not give");
    }

    @Test
    void open_malformedOrIncompleteEntries_refused() throws Exception {
        filled(3).close();
        Path entries = dir.resolve("entries.ndjson");
        String good = Files.readString(entries);
        Files.writeString(entries, good.substring(0, good.length() - 1));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("entries.ndjson: the last line is incomplete");
        Files.writeString(entries, good.replace("\"index\":1", "\"index\":7"));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("entries.ndjson: line 2 is not a valid entry");
        Files.writeString(entries, good + "{\"index\":3,\"kind\":\"pcap\"}\n");
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("entries.ndjson: line 4 has no leaf hash");
        Files.writeString(entries, good.substring(0, good.indexOf('\n') + 1));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("leaves: holds 3 hashes but entries.ndjson has 1 lines");
    }

    @Test
    void open_treeHeadTampered_refused() throws Exception {
        filled(6).close();
        Path heads = dir.resolve("tree-heads.ndjson");
        String good = Files.readString(heads);
        Files.writeString(heads, good.replaceFirst("\"tree_size\":3", "\"tree_size\":2"));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("tree-heads.ndjson: line 1 is not signed by log-key.pub");
        Files.writeString(heads, good.replaceFirst("\"tree_size\":3", "\"tree_size\":x"));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("tree-heads.ndjson: line 1 is not a signed tree head");
    }

    @Test
    void open_keyFilesMissingOrSwapped_refused() throws Exception {
        filled(3).close();
        Path pk8 = dir.resolve("log-key.pk8");
        byte[] key = Files.readAllBytes(pk8);
        Files.delete(pk8);
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("log-key.pk8: missing while its partner");
        Files.delete(dir.resolve("log-key.pub"));
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("log-key.pk8: missing, but the log already holds");
        Files.write(pk8, key);
        Files.write(dir.resolve("log-key.pub"), otherLogsPublicKey());
        assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).hasMessageContaining("log-key.pub: not the public half of log-key.pk8");
    }

    /** The key of a second log, made elsewhere: a key that is not ours. */
    byte[] otherLogsPublicKey() throws IOException {
        try (EvidenceLog other = EvidenceLog.open(dir.resolve("other"), CLOCK)) {
            return other.publicKeyDer();
        }
    }

    @Test
    void open_whileOpen_refusedByTheLock() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                    .hasMessageContaining("log.lock: the evidence log is already open elsewhere");
            log.append("pcap", "still-works.pcap", sha256("x"));
        }
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.size()).isEqualTo(1);
        }
    }

    @Test
    void open_heldByAnotherProcess_refusedUntilItCloses() throws Exception {
        filled(2).close();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), dir.toString()).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo("open 2");
            assertThatThrownBy(() -> EvidenceLog.open(dir, CLOCK)).isInstanceOf(IOException.class)
                    .hasMessageContaining("log.lock: the evidence log is already open elsewhere");
            child.getOutputStream().close();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroy();
        }
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(log.size()).isEqualTo(2);
        }
    }

    @Test
    void open_firstUse_keyFilesWrittenPrivateKeyMode600() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            assertThat(Files.readAllBytes(dir.resolve("log-key.pub"))).isEqualTo(log.publicKeyDer());
            assertThat(EvidenceLog.publicKey(log.publicKeyDer())).contains(log.publicKey());
        }
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("log-key.pk8"))))
                .isEqualTo("rw-------");
    }

    @Test
    void publicKey_garbageDer_empty() {
        assertThat(EvidenceLog.publicKey(null)).isEmpty();
        assertThat(EvidenceLog.publicKey(new byte[0])).isEmpty();
        assertThat(EvidenceLog.publicKey(new byte[44])).isEmpty();
    }

    @Test
    void append_badArguments_refusedAndLogUnchanged() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, CLOCK)) {
            byte[] h = sha256("x");
            assertThatThrownBy(() -> log.append("PCAP", "a", h)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append("pcap", "", h)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append("pcap", "a\nb", h)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append("pcap", "a\uD800", h)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append("pcap", "é".repeat(513), h)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append("pcap", "a", new byte[31])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> log.append(null, "a", h)).isInstanceOf(IllegalArgumentException.class);
            assertThat(log.size()).isZero();
            assertThat(Files.size(dir.resolve("entries.ndjson"))).isZero();
        }
    }

    @Test
    void leafInput_layout_lengthPrefixedFields() throws Exception {
        byte[] h = new byte[32];
        h[31] = 0x7f;
        assertThat(HexFormat.of().formatHex(EvidenceLog.leafInput("pcap", "é", h))).isEqualTo(
                "00" + "0004" + "70636170" + "0002" + "c3a9" + "00".repeat(31) + "7f");
        // Moving a byte between kind and name changes the encoding.
        assertThat(EvidenceLog.leafInput("ab", "c", h)).isNotEqualTo(EvidenceLog.leafInput("a", "bc", h));
    }

    @Test
    void entry_lineEditedWhileOpen_refused() throws Exception {
        try (EvidenceLog log = filled(3)) {
            Path entries = dir.resolve("entries.ndjson");
            String edited = Files.readString(entries).replace("capture-1.pcap", "capture-7.pcap");
            Files.writeString(entries, edited, StandardOpenOption.TRUNCATE_EXISTING);
            assertThatThrownBy(() -> log.entry(1)).isInstanceOf(IOException.class)
                    .hasMessageContaining("entries.ndjson: line 2 changed since the log was opened");
            assertThat(log.entry(0).name()).isEqualTo("capture-0.pcap");
        }
    }
}
