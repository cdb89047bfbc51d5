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

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bulwark evidence export --force} on a genuine bundle of the sample. */
class EvidenceCommandTest extends StdStreams {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;

    static EvidenceFixture fx;

    @BeforeAll
    static void genuineBundle() throws IOException {
        fx = new EvidenceFixture(shared);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
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
        assertThat(Main.run("evidence", "verify", zip.toString())).isZero();
        assertThat(logSize()).isEqualTo(before + 1);
    }

    private static long logSize() throws IOException {
        try (EvidenceLog log = EvidenceLog.open(fx.evidence.resolve("log"), EvidenceFixture.CLOCK)) {
            return log.size();
        }
    }
}
