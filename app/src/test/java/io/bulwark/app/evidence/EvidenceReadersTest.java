package io.bulwark.app.evidence;

import io.bulwark.app.Sha256;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every zip reader an examiner might use sees the same files with the same bytes in a genuine
 * bundle as Bulwark's verify: Python's zipfile, Info-ZIP's unzip and libarchive's bsdtar (which
 * read the central directory), and the JDK's ZipFile (central directory) and ZipInputStream
 * (local headers in order, as verify once did). The tools come from Debian; .ci/install-tools
 * installs them, and a test whose tool is missing is skipped saying so.
 */
class EvidenceReadersTest {
    @TempDir
    static Path shared;

    static EvidenceFixture fx;
    /** Name to SHA-256 of the bytes, in archive order, as Bulwark's reader gives them. */
    static Map<String, String> bulwark;

    @BeforeAll
    static void genuineBundle() throws IOException {
        fx = new EvidenceFixture(shared);
        bulwark = new LinkedHashMap<>();
        BundleZip.read(fx.bundle).forEach((n, b) -> bulwark.put(n, Sha256.hexOf(b)));
        assertThat(Bundle.verify(fx.bundle).ok()).isTrue();
    }

    @Test
    void pythonZipfile_listsTheSameEntriesWithTheSameBytesAndTheExportDate() throws Exception {
        assumeTrue(onPath("python3"), "python3 not installed (Debian python3; .ci/install-tools installs it)");
        String script = String.join("\n",
                "import hashlib, sys, zipfile",
                "with zipfile.ZipFile(sys.argv[1]) as z:",
                "    assert z.testzip() is None",
                "    for i in z.infolist():",
                "        print(i.filename, hashlib.sha256(z.read(i)).hexdigest(), '%04d-%02d-%02dT%02d:%02d:%02d' % i.date_time)");
        Run r = run("python3", "-c", script, fx.bundle.toString());
        assertThat(r.exit).as(r.err).isZero();
        Map<String, String> seen = new LinkedHashMap<>();
        for (String l : r.out.lines().toList()) {
            String[] f = l.split(" ");
            seen.put(f[0], f[1]);
            assertThat(f[2]).as("date of " + f[0]).isEqualTo("2026-02-01T12:00:00");
        }
        assertThat(seen).containsExactlyEntriesOf(bulwark);
    }

    @Test
    void unzip_listsTheSameEntriesWithTheSameBytes_andTestsClean() throws Exception {
        assumeTrue(onPath("unzip"), "unzip not installed (Debian unzip; .ci/install-tools installs it)");
        Run list = run("unzip", "-Z1", fx.bundle.toString());
        assertThat(list.exit).as(list.err).isZero();
        assertThat(list.out.lines().toList()).containsExactlyElementsOf(bulwark.keySet());
        for (String name : bulwark.keySet()) {
            Run p = run("unzip", "-p", fx.bundle.toString(), name);
            assertThat(p.exit).as(p.err).isZero();
            assertThat(Sha256.hexOf(p.bytes)).as(name).isEqualTo(bulwark.get(name));
        }
        Run test = run("unzip", "-t", fx.bundle.toString());
        assertThat(test.exit).as(test.out + test.err).isZero();
        assertThat(test.out).contains("No errors detected").doesNotContain("warning");
        assertThat(test.err).isEmpty();
    }

    @Test
    void bsdtar_listsTheSameEntriesWithTheSameBytes() throws Exception {
        assumeTrue(onPath("bsdtar"), "bsdtar not installed (Debian libarchive-tools; .ci/install-tools installs it)");
        Run list = run("bsdtar", "-tf", fx.bundle.toString());
        assertThat(list.exit).as(list.err).isZero();
        assertThat(list.out.lines().toList()).containsExactlyElementsOf(bulwark.keySet());
        for (String name : bulwark.keySet()) {
            Run p = run("bsdtar", "-xOf", fx.bundle.toString(), name);
            assertThat(p.exit).as(p.err).isZero();
            assertThat(Sha256.hexOf(p.bytes)).as(name).isEqualTo(bulwark.get(name));
        }
    }

    @Test
    void jdkCentralDirectoryAndStreamingReaders_seeTheSameEntriesWithTheSameBytesAndDate() throws IOException {
        Map<String, String> central = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(fx.bundle.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                try (InputStream in = z.getInputStream(e)) {
                    central.put(e.getName(), Sha256.hexOf(in.readAllBytes()));
                }
                assertThat(e.getTimeLocal()).isEqualTo(LocalDateTime.of(2026, 2, 1, 12, 0));
            }
        }
        Map<String, String> streamed = new LinkedHashMap<>();
        try (ZipInputStream z = new ZipInputStream(Files.newInputStream(fx.bundle))) {
            ZipEntry e;
            while ((e = z.getNextEntry()) != null) {
                streamed.put(e.getName(), Sha256.hexOf(z.readAllBytes()));
            }
        }
        assertThat(central).containsExactlyEntriesOf(bulwark);
        assertThat(streamed).containsExactlyEntriesOf(bulwark);
    }

    private record Run(int exit, byte[] bytes, String out, String err) {
    }

    private static Run run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread t = new Thread(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the process ended: what was read is what it said
            }
        });
        t.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(cmd));
        }
        t.join();
        return new Run(p.exitValue(), out, new String(out, StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.add("/usr/bin");
        return dirs.stream().anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
