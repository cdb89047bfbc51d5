package io.bulwark.app.evidence;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.Sha256;
import io.bulwark.app.output.Json;
import io.bulwark.evidence.EvidenceLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attacks an opposing expert would try on a bundle (issue 19), each of which must give NOT
 * VERIFIED with the reason, on a genuine bundle of the bundled sample. The zip-level attacks are
 * those that made unzip and Python's zipfile extract forged content from a bundle verify passed:
 * two readings of one file.
 */
class EvidenceAttacksTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static EvidenceFixture fx;
    static byte[] genuine;
    static Map<String, byte[]> files;
    static byte[] forgedIncident;
    /** A bundle of the same incident cut down to a few KiB, for changing each of its bytes in turn. */
    static Map<String, byte[]> small;

    @BeforeAll
    static void genuineBundle() throws IOException {
        fx = new EvidenceFixture(shared);
        small = BundleZip.read(new EvidenceFixture(Files.createDirectories(shared.resolve("small")), true).bundle);
        genuine = Files.readAllBytes(fx.bundle);
        files = BundleZip.read(fx.bundle);
        ObjectNode i = (ObjectNode) Json.MAPPER.readTree(files.get("incident.json"));
        i.put("summary", "forged: the device only answered scans");
        forgedIncident = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(i);
    }

    @Test
    void verify_untouchedBundle_verifiesWithTheKeyNotPinned() {
        Bundle.Verdict v = Bundle.verify(fx.bundle);
        assertThat(v.ok()).as(v.toString()).isTrue();
        assertThat(v.files().keySet()).containsExactly("excerpt.pcapng", "incident.json", "analysis.json", "proof.json",
                "log-key.pub", "custody.json", "manifest.json", "manifest.sig");
        assertThat(v.line(fx.bundle)).startsWith("VERIFIED, KEY NOT PINNED: ").contains(v.keySha256())
                .contains("compare this fingerprint");
    }

    @Test
    void write_isWhatTheForgersWriterWritesUnchanged_andReadsBackAsWritten() throws IOException {
        assertThat(RawZip.write(RawZip.entries(files))).isEqualTo(genuine);
        assertThat(EvidenceFixture.zip(files)).isEqualTo(genuine);
    }

    @Test
    void appendedArchive_isRefused() throws IOException {
        Map<String, byte[]> forged = new LinkedHashMap<>(files);
        forged.put("incident.json", forgedIncident);
        assertRefused(concat(genuine, EvidenceFixture.zip(forged)),
                genuine.length + " bytes before the archive the end record describes", "two archives joined in one file");
    }

    @Test
    void prependedArchive_isRefused() throws IOException {
        Map<String, byte[]> forged = new LinkedHashMap<>(files);
        forged.put("incident.json", forgedIncident);
        byte[] front = EvidenceFixture.zip(forged);
        assertRefused(concat(front, genuine), front.length + " bytes before the archive", "two archives joined in one file");
        assertRefused(concat(new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0}, genuine), "7 bytes before the archive", "data prepended");
    }

    @Test
    void prependedEntry_withTheOffsetsAdjusted_isAnUnlistedEntry() {
        List<RawZip.Entry> e = RawZip.entries(files);
        RawZip.Entry front = new RawZip.Entry("incident.json", forgedIncident);
        front.listed = false;
        e.add(0, front);
        assertRefused(RawZip.write(e), "an entry the central directory does not list, at offset 0 before excerpt.pcapng: "
                + "its local header names 'incident.json'");
    }

    @Test
    void unlistedEntry_betweenTwoListed_isRefused() {
        List<RawZip.Entry> e = RawZip.entries(files);
        RawZip.Entry hidden = new RawZip.Entry("incident.json", forgedIncident);
        hidden.listed = false;
        e.add(2, hidden);
        assertRefused(RawZip.write(e), "an entry the central directory does not list, at offset",
                "between incident.json and analysis.json: its local header names 'incident.json'");
    }

    @Test
    void duplicateEntry_isRefused() {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.add(new RawZip.Entry("incident.json", forgedIncident));
        assertRefused(RawZip.write(e), "incident.json: listed twice in the central directory");
        List<RawZip.Entry> c = RawZip.entries(files);
        c.add(new RawZip.Entry("Incident.JSON", forgedIncident));
        assertRefused(RawZip.write(c), "Incident.JSON: listed twice", "one file where case is ignored");
    }

    /** Each field a local header shares with the central directory, changed in the local header only. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "name,           11, 1, 'incident.json: its local header names ''incident.jsoN'', the central directory incident.json'",
        "flags,           6, 2, 'incident.json: its local header''s general-purpose flags 8 differs from the central directory''s 0'",
        "method,          8, 2, 'incident.json: its local header''s compression method 8 differs from the central directory''s 0'",
        "time,           10, 2, 'incident.json: its local header''s modification time'",
        "CRC-32,         14, 4, 'incident.json: its local header''s CRC-32 0x00000000 differs from the central directory''s'",
        "compressed size,18, 4, 'incident.json: its local header''s compressed size 5 differs from the central directory''s'",
        "size,           22, 4, 'incident.json: its local header''s size 5 differs from the central directory''s'",
    })
    void localHeaderDifferingFromTheCentralDirectory_isRefused(String field, int at, int width, String reason) {
        int local = RawZip.offsets(genuine).local().get("incident.json");
        byte[] bad = switch (field) {
            case "name" -> RawZip.patch(genuine, local + 30 + 12, 1, 'N');
            case "flags" -> RawZip.patch(genuine, local + at, width, 8);
            case "method" -> RawZip.patch(genuine, local + at, width, 8);
            case "CRC-32" -> RawZip.patch(genuine, local + at, width, 0);
            case "time" -> RawZip.patch(genuine, local + at, width, 0x1234);
            default -> RawZip.patch(genuine, local + at, width, 5);
        };
        assertRefused(bad, reason);
    }

    @Test
    void centralDirectoryOffsetMovedOrIntoAnotherEntry_isRefused() {
        RawZip.Offsets o = RawZip.offsets(genuine);
        int cd = o.central().get("analysis.json");
        int at = o.local().get("analysis.json");
        assertRefused(RawZip.patch(genuine, cd + 42, 4, at + 1), "1 byte that belongs to no entry, at offset " + at
                + " between incident.json and analysis.json");
        assertRefused(RawZip.patch(genuine, cd + 42, 4, at - 1), "analysis.json: its local header at " + (at - 1)
                + " overlaps incident.json, which ends at " + at);
        assertRefused(RawZip.patch(genuine, cd + 42, 4, o.local().get("incident.json")),
                "analysis.json: listed after incident.json but its data is at offset", "the same as incident.json's");
    }

    @Test
    void overlappingEntries_withConsistentHeaders_areRefused() {
        // The first entry's bytes hold a whole second entry, which the central directory lists
        // at its place inside the first: every header agrees, only the layout betrays it.
        byte[] inner = RawZip.write(List.of(new RawZip.Entry("incident.json", forgedIncident)));
        int innerLength = inner.length - 22 - 46 - "incident.json".length();
        byte[] innerEntry = Arrays.copyOf(inner, innerLength);
        List<RawZip.Entry> e = new ArrayList<>();
        e.add(new RawZip.Entry("excerpt.pcapng", innerEntry));
        byte[] z = RawZip.write(e);
        int innerAt = 30 + "excerpt.pcapng".length();
        byte[] withInner = appendCentral(z, inner, innerLength, innerAt);
        assertRefused(withInner, "incident.json: its local header at " + innerAt + " overlaps excerpt.pcapng, which ends at "
                + (innerAt + innerLength));
    }

    @Test
    void unsupportedCompressionMethod_isRefused() {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.get(1).deflated();
        assertRefused(RawZip.write(e), "incident.json: compression method 8 (deflate) in its central directory entry: "
                + "Bulwark writes stored entries (method 0) only");
    }

    @ParameterizedTest
    @ValueSource(longs = {0x7fff_ffffL, 67_108_865L, 0xffff_fffeL})
    void hugeDeclaredSize_isRefusedBeforeAnythingIsAllocated(long declared) {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.get(0).declaredSize = declared;
        assertRefused(RawZip.write(e), "excerpt.pcapng: declared size " + declared + " bytes, more than the 64 MiB");
    }

    @Test
    void declaredSizeWithinBoundsButPastTheFile_isRefused() {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.get(0).declaredSize = 60L << 20;
        assertRefused(RawZip.write(e), "excerpt.pcapng: its 62914560 bytes at offset 44 run past the central directory");
    }

    @Test
    void zip64Records_areRefused() {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.get(0).declaredSize = 0xffff_ffffL;
        assertRefused(RawZip.write(e), "excerpt.pcapng: ZIP64 sizes or offset: Bulwark writes no ZIP64");
        byte[] z = RawZip.patch(genuine, genuine.length - 22 + 16, 4, 0xffff_ffffL);
        assertRefused(z, "ZIP64 end records: Bulwark writes no ZIP64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../incident.json", "/incident.json", "C:incident.json", "sub\\incident.json",
        "sub/incident.json", "..", "incident.json\n", "-x", ".hidden"})
    void pathsAndOddNames_areRefused(String name) {
        List<RawZip.Entry> e = RawZip.entries(files);
        e.add(new RawZip.Entry(name, forgedIncident));
        Bundle.Verdict v = Bundle.verify(RawZip.write(e), null);
        assertThat(v.ok()).isFalse();
        assertThat(v.checks().get(0).detail()).as(v.toString()).startsWith(BundleZip.printable(name.getBytes()) + ": ")
                .containsAnyOf("absolute path", "backslash", "climbs out", "a directory", "not a plain file name");
    }

    @Test
    void trailingBytesCommentOrTruncation_areRefused() {
        assertRefused(concat(genuine, new byte[] {0, 1, 2}), "3 bytes follow the end-of-central-directory record at offset "
                + (genuine.length - 22) + ": data appended to the archive");
        byte[] comment = concat(RawZip.patch(genuine, genuine.length - 2, 2, 4), "hi!!".getBytes());
        assertRefused(comment, "a zip comment of 4 bytes follows the end-of-central-directory record: Bulwark writes none");
        assertRefused(Arrays.copyOf(genuine, genuine.length - 1), "no end-of-central-directory record");
        assertRefused(new byte[0], "0 bytes: too short for a zip archive");
    }

    @Test
    void fileLargerThanAnyBundle_isRefusedUnread() throws IOException {
        Path big = tmp.resolve("big.zip");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(200L << 20);
        }
        Bundle.Verdict v = Bundle.verify(big);
        assertThat(v.checks().get(0).detail()).startsWith((200L << 20) + " bytes: larger than the");
    }

    @Test
    void everySingleByteOfTheArchiveChanged_isRefusedByTheReader() {
        for (int at = 0; at < genuine.length; at++) {
            byte[] bad = genuine.clone();
            bad[at] ^= 0x01;
            Bundle.Verdict v = Bundle.verify(bad, null);
            assertThat(v.ok()).as("byte " + at).isFalse();
            assertThat(v.checks().get(0).what()).as("byte " + at).isEqualTo("bundle readable");
        }
    }

    /**
     * Every one-byte change to every file, written back into a well-formed zip: the zip is then
     * fine and only the signatures, hashes and proofs can tell. The failing check names the file
     * or the signature that covers it. On the small bundle (about 4,100 bytes, a verification
     * each), spread over the cores: a few seconds.
     */
    @Test
    void everySingleByteOfEveryFileChanged_failsNamingIt() {
        assertThat(Bundle.verify(zip(small), null).ok()).isTrue();
        List<String> names = List.copyOf(small.keySet());
        List<int[]> cases = new ArrayList<>();
        for (int n = 0; n < names.size(); n++) {
            for (int at = 0; at < small.get(names.get(n)).length; at++) {
                cases.add(new int[] {n, at});
            }
        }
        List<String> missed = cases.parallelStream().map(c -> {
            String name = names.get(c[0]);
            Map<String, byte[]> changed = new LinkedHashMap<>(small);
            byte[] b = small.get(name).clone();
            b[c[1]] ^= 0x01;
            changed.put(name, b);
            Bundle.Verdict v = Bundle.verify(zip(changed), null);
            boolean named = failed(v).stream().anyMatch(w -> w.equals(name)
                    || name.startsWith("manifest") && w.equals("manifest signature")
                    || name.equals("log-key.pub") && w.equals("log public key"));
            return v.ok() || !named ? name + " byte " + c[1] + ": " + v.checks() : null;
        }).filter(java.util.Objects::nonNull).toList();
        assertThat(cases).hasSizeGreaterThan(3_000);
        assertThat(missed).isEmpty();
    }

    @Test
    void resignedForgeryUnderAFreshKey_failsWithTheKeyPinned_andTheGenuineBundlePasses() throws IOException {
        Path forged = forgeUnderFreshKey();
        KeyPin pin = KeyPin.parse(fx.keySha256());
        Bundle.Verdict unpinned = Bundle.verify(forged);
        assertThat(unpinned.ok()).as("a complete forgery is consistent: " + unpinned).isTrue();
        assertThat(unpinned.keySha256()).isNotEqualTo(fx.keySha256());
        assertThat(unpinned.line(forged)).startsWith("VERIFIED, KEY NOT PINNED").contains(unpinned.keySha256());

        Bundle.Verdict pinned = Bundle.verify(forged, pin);
        assertThat(pinned.ok()).isFalse();
        assertThat(failed(pinned)).containsExactly("log public key");
        assertThat(pinned.checks()).filteredOn(c -> !c.ok()).extracting(Bundle.Check::detail).singleElement().asString()
                .contains(unpinned.keySha256() + " is not the pinned key " + fx.keySha256())
                .contains("signed by another key");
        assertThat(pinned.line(forged)).isEqualTo("NOT VERIFIED: " + forged + " fails 1 check marked FAIL above (log public key).");

        Bundle.Verdict genuineVerdict = Bundle.verify(fx.bundle, pin);
        assertThat(genuineVerdict.ok()).as(genuineVerdict.toString()).isTrue();
        assertThat(genuineVerdict.line(fx.bundle)).startsWith("VERIFIED: ").contains("pinned log key (SHA-256 " + fx.keySha256());
        assertThat(Bundle.verify(fx.bundle, KeyPin.parse(fx.evidence.resolve("log/log-key.pub").toString())).ok()).isTrue();
    }

    @Test
    void failReasons_nameTheFileThatIsWrong() throws IOException {
        Map<String, byte[]> cut = new LinkedHashMap<>(files);
        cut.put("custody.json", Arrays.copyOf(files.get("custody.json"), 20));
        Bundle.Verdict v = Bundle.verify(EvidenceFixture.zip(cut), null);
        assertThat(v.checks()).filteredOn(c -> !c.ok()).extracting(Bundle.Check::what)
                .contains("custody.json").doesNotContain("incident.json", "proof.json");
        assertThat(v.checks()).anyMatch(c -> c.what().equals("custody.json") && c.detail().startsWith("not JSON"));
    }

    @Test
    void checkTexts_quotingABundle_cannotReachTheTerminalAsControlCharacters() {
        Bundle.Check c = new Bundle.Check("excerpt\u001b[2J", false, "header: a\nVERIFIED: " + "x".repeat(2000));
        assertThat(c.what()).isEqualTo("excerpt?[2J");
        assertThat(c.detail()).startsWith("header: a?VERIFIED: ").hasSize(1003).endsWith("...");
    }

    /** A new evidence directory with its own fresh key, the incident altered, everything logged and exported again. */
    private Path forgeUnderFreshKey() throws IOException {
        Path dir = tmp.resolve("forger");
        Path excerpt = dir.resolve("excerpts").resolve(fx.incident + ".pcapng");
        Path incident = dir.resolve("incidents").resolve(fx.incident + ".json");
        Path analysis = dir.resolve("analyses").resolve("analysis-1.json");
        Files.createDirectories(excerpt.getParent());
        Files.createDirectories(incident.getParent());
        Files.createDirectories(analysis.getParent());
        Files.write(excerpt, files.get("excerpt.pcapng"));
        Files.write(incident, forgedIncident);
        Files.write(analysis, files.get("analysis.json"));
        try (EvidenceLog log = EvidenceLog.open(dir.resolve("log"), EvidenceFixture.CLOCK)) {
            log.append("excerpt", excerpt.getFileName().toString(), Sha256.of(Files.readAllBytes(excerpt)));
            log.append("incident", incident.getFileName().toString(), Sha256.of(forgedIncident));
            log.append("analysis", analysis.getFileName().toString(), Sha256.of(Files.readAllBytes(analysis)));
            log.signTreeHead();
        }
        Path zip = tmp.resolve("forged.zip");
        Bundle.export(dir, fx.incident, zip, "Investigator A", null, EvidenceFixture.CLOCK, false);
        return zip;
    }

    /** {@code z} with a second central-directory entry for the archive {@code inner}'s entry, at {@code innerAt}. */
    private static byte[] appendCentral(byte[] z, byte[] inner, int innerLength, int innerAt) {
        int end = z.length - 22;
        int cdAt = java.nio.ByteBuffer.wrap(z).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt(end + 16);
        byte[] innerCentral = Arrays.copyOfRange(inner, innerLength, inner.length - 22);
        innerCentral = RawZip.patch(innerCentral, 42, 4, innerAt);
        byte[] head = Arrays.copyOf(z, end);
        byte[] eocd = Arrays.copyOfRange(z, end, z.length);
        eocd = RawZip.patch(eocd, 8, 2, 2);
        eocd = RawZip.patch(eocd, 10, 2, 2);
        eocd = RawZip.patch(eocd, 12, 4, end - cdAt + innerCentral.length);
        return concat(concat(head, innerCentral), eocd);
    }

    private void assertRefused(byte[] zip, String... reason) {
        Bundle.Verdict v = Bundle.verify(zip, null);
        assertThat(v.ok()).isFalse();
        assertThat(v.checks()).as(v.toString()).hasSize(1);
        assertThat(v.checks().get(0).what()).isEqualTo("bundle readable");
        assertThat(v.checks().get(0).detail()).contains(reason);
        assertThat(v.line(Path.of("x.zip"))).startsWith("NOT VERIFIED: x.zip fails 1 check");
    }

    private static byte[] zip(Map<String, byte[]> files) {
        try {
            return EvidenceFixture.zip(files);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static List<String> failed(Bundle.Verdict v) {
        return v.checks().stream().filter(c -> !c.ok()).map(Bundle.Check::what).toList();
    }
}
