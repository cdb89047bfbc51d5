package io.bulwark.decode.capture;

import static io.bulwark.decode.capture.CaptureBytes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;

import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CapturesTest {
    @TempDir
    Path dir;

    private static BadInputException openFails(Path p) {
        return catchThrowableOfType(BadInputException.class, () -> Captures.open(p, new AnomalyCounters()).close());
    }

    @Test
    void open_emptyFile_throwsEmptyFile() throws Exception {
        BadInputException e = openFails(write(dir, "empty.pcap", new byte[0]));

        assertThat(e.reason()).isEqualTo("empty file");
        assertThat(e.offset()).isZero();
        assertThat(e.file()).endsWith("empty.pcap");
    }

    @Test
    void open_threeBytes_throwsTooShort() throws Exception {
        BadInputException e = openFails(write(dir, "three.pcap", new byte[] {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2}));

        assertThat(e.reason()).isEqualTo("too short to be a capture (3 bytes)");
    }

    @Test
    void open_truncatedPcapHeader_throwsTruncatedHeader() throws Exception {
        byte[] header = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 65_535, LinkType.ETHERNET).bytes();

        BadInputException e = openFails(write(dir, "short.pcap", Arrays.copyOf(header, 10)));

        assertThat(e.reason()).isEqualTo("truncated pcap header (10 of 24 bytes)");
    }

    @Test
    void open_randomBytes_throwsNotACapture() throws Exception {
        byte[] noise = new byte[4096];
        new Random(42).nextBytes(noise);
        noise[0] = 0x12; // keep the seeded noise from ever starting with a magic number

        BadInputException e = openFails(write(dir, "noise.bin", noise));

        assertThat(e.reason()).startsWith("not a pcap or pcapng file (magic 0x12");
        assertThat(e.getMessage()).contains("noise.bin").contains("offset 0");
    }

    @Test
    void open_directory_throwsIsADirectory() {
        BadInputException e = openFails(dir);

        assertThat(e.reason()).isEqualTo("is a directory");
    }

    @Test
    void open_missingFile_throwsNoSuchFile() {
        Path missing = dir.resolve("missing.pcap");

        BadInputException e = openFails(missing);

        assertThat(Files.exists(missing)).isFalse();
        assertThat(e.reason()).isEqualTo("no such file");
    }

    @Test
    void looksLikeCapture_eachMagicInEitherOrder_true() {
        byte[] pcapLe = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1};
        byte[] pcapNsBe = {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d};
        byte[] pcapng = {0x0a, 0x0d, 0x0d, 0x0a};

        assertThat(Captures.looksLikeCapture(pcapLe, 4)).isTrue();
        assertThat(Captures.looksLikeCapture(pcapNsBe, 4)).isTrue();
        assertThat(Captures.looksLikeCapture(pcapng, 4)).isTrue();
        assertThat(Captures.looksLikeCapture(pcapng, 3)).isFalse();
        assertThat(Captures.looksLikeCapture(new byte[] {1, 2, 3, 4}, 4)).isFalse();
    }
}
