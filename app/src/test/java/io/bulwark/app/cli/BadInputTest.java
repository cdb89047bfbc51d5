package io.bulwark.app.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance list of bad inputs: each gives a one-line error naming the file and the
 * reason, never a stack trace, and a non-zero exit only when nothing could be read.
 */
class BadInputTest extends StdStreams {
    @TempDir
    Path tmp;

    /** Ethernet + IPv4 + TCP SYN 192.168.1.10:40000 -> 8.8.4.4:23, 54 bytes. */
    static byte[] synFrame() {
        ByteBuffer b = ByteBuffer.allocate(54);
        b.put(new byte[] {0, 0x11, 0x22, 0x33, 0x44, 0x55}).put(new byte[] {0, 0x66, 0x77, (byte) 0x88, (byte) 0x99, 0x10});
        b.putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 1).putShort((short) 0)
                .put((byte) 64).put((byte) 6).putShort((short) 0).put(new byte[] {(byte) 192, (byte) 168, 1, 10})
                .put(new byte[] {8, 8, 4, 4});
        b.putShort((short) 40000).putShort((short) 23).putInt(0x08080404).putInt(0)
                .put((byte) 0x50).put((byte) 0x02).putShort((short) 1024).putShort((short) 0).putShort((short) 0);
        return b.array();
    }

    /** A little-endian microsecond pcap with the given records (caplen taken from each frame). */
    static byte[] pcap(int linkType, int snaplen, byte[]... frames) {
        int n = 24;
        for (byte[] f : frames) {
            n += 16 + f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(snaplen).putInt(linkType);
        int t = 1_700_000_000;
        for (byte[] f : frames) {
            b.putInt(t++).putInt(0).putInt(f.length).putInt(f.length).put(f);
        }
        return b.array();
    }

    private int analyze(Path input) {
        return Main.run("analyze", input.toString(), "--out", tmp.resolve("out").toString());
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLineError(Path file, String reason) {
        String e = errText().strip();
        assertThat(e.lines().count()).as(e).isEqualTo(1);
        assertThat(e).contains(file.toString()).contains(reason).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void analyze_emptyFile_failsWithOneLine() throws IOException {
        Path f = Files.write(tmp.resolve("empty.pcap"), new byte[0]);
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "empty file");
    }

    @Test
    void analyze_truncatedHeader_failsWithOneLine() throws IOException {
        Path f = Files.write(tmp.resolve("short.pcap"), Arrays.copyOf(pcap(1, 65535), 10));
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "truncated pcap header");
    }

    @Test
    void analyze_truncatedLastPacket_keepsEarlierPacketsAndSucceeds() throws IOException {
        byte[] whole = pcap(1, 65535, synFrame(), synFrame(), synFrame());
        Path f = Files.write(tmp.resolve("cut.pcap"), Arrays.copyOf(whole, whole.length - 20));
        assertThat(analyze(f)).isZero();
        assertOneLineError(f, "truncated record");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 packets");
    }

    @Test
    void analyze_caplenAboveSnaplen_stopsThereAndKeepsEarlierPackets() throws IOException {
        byte[] big = new byte[2000];
        System.arraycopy(synFrame(), 0, big, 0, 54);
        Path f = Files.write(tmp.resolve("snap.pcap"), pcap(1, 1500, synFrame(), big));
        assertThat(analyze(f)).isZero();
        assertOneLineError(f, "exceeds snaplen 1500");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 packets");
    }

    @Test
    void analyze_caplenAbove256KiB_failsWhenNothingElseWasRead() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(24 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(0).putInt(1);
        b.putInt(1).putInt(0).putInt(300_000).putInt(300_000);
        Path f = Files.write(tmp.resolve("huge.pcap"), b.array());
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "exceeds 262144");
    }

    @Test
    void analyze_unknownLinkType_failsWithOneLine() throws IOException {
        Path f = Files.write(tmp.resolve("lt.pcap"), pcap(147, 65535, synFrame()));
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "unsupported link type 147");
    }

    @Test
    void analyze_randomBytes_failsWithOneLine() throws IOException {
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        junk[0] = 0x13;
        Path f = Files.write(tmp.resolve("junk.bin"), junk);
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "not a pcap, pcapng or Zeek conn.log file");
    }

    @Test
    void analyze_directory_failsWithOneLine() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("adir"));
        assertThat(analyze(d)).isNotZero();
        assertOneLineError(d, "is a directory");
    }

    @Test
    void analyze_missingFile_failsWithOneLine() {
        Path f = tmp.resolve("nope.pcap");
        assertThat(analyze(f)).isNotZero();
        assertOneLineError(f, "no such file");
    }

    @Test
    void analyze_goodAndMissingInputs_keepsWhatWasReadAndWritesOutputs() throws IOException {
        Path good = Files.write(tmp.resolve("good.pcap"), pcap(1, 65535, synFrame()));
        int rc = Main.run("analyze", good.toString(), tmp.resolve("missing.pcap").toString(), "--out", tmp.resolve("out").toString());
        assertThat(rc).isNotZero();
        assertThat(tmp.resolve("out/devices.ndjson")).content().contains("192.168.1.10");
        assertThat(tmp.resolve("out/incidents.ndjson")).exists();
    }

    @Test
    void analyze_configWithOutOfRangeValue_failsWithOneLineBeforeReading() throws IOException {
        Path good = Files.write(tmp.resolve("good.pcap"), pcap(1, 65535, synFrame()));
        Path cfg = Files.writeString(tmp.resolve("bad.json"), "{\"scan\": {\"hll_precision\": 20}}");
        int rc = Main.run("analyze", good.toString(), "--config", cfg.toString(), "--out", tmp.resolve("o").toString());
        assertThat(rc).isNotZero();
        assertOneLineError(cfg, "hll_precision 4..16");
    }

    @Test
    void analyze_configWithUnknownKey_failsNamingTheKey() throws IOException {
        Path good = Files.write(tmp.resolve("good.pcap"), pcap(1, 65535, synFrame()));
        Path cfg = Files.writeString(tmp.resolve("typo.json"), "{\"scan\": {\"min_target\": 5}}");
        assertThat(Main.run("analyze", good.toString(), "--config", cfg.toString(), "--out", tmp.resolve("o").toString())).isNotZero();
        assertOneLineError(cfg, "unknown config key scan.min_target");
    }

    @Test
    void analyze_configWithUnknownDetector_failsWithOneLine() throws IOException {
        Path good = Files.write(tmp.resolve("good.pcap"), pcap(1, 65535, synFrame()));
        Path cfg = Files.writeString(tmp.resolve("det.json"), "{\"detectors\": [\"anomaly\", \"kitsune\"]}");
        assertThat(Main.run("analyze", good.toString(), "--config", cfg.toString(), "--out", tmp.resolve("o").toString())).isNotZero();
        assertOneLineError(cfg, "detectors: unknown name");
    }

    @Test
    void analyze_configWithBadAnomalyValue_failsWithOneLine() throws IOException {
        Path good = Files.write(tmp.resolve("good.pcap"), pcap(1, 65535, synFrame()));
        Path bad = Files.writeString(tmp.resolve("an.json"), "{\"anomaly\": {\"quantile\": 1.5}}");
        assertThat(Main.run("analyze", good.toString(), "--config", bad.toString(), "--out", tmp.resolve("o2").toString())).isNotZero();
        assertOneLineError(bad, "quantile in (0,1)");
    }

    @Test
    void score_labelsWithOneClassOnly_failsWithOneLine() throws IOException {
        Path scores = Files.writeString(tmp.resolve("s.tsv"), "# bulwark anomaly scores v1\np\t1\t0.5\n");
        Path labels = Files.writeString(tmp.resolve("l.txt"), "# bulwark simulate labels v1: x\n0\n");
        assertThat(Main.run("score", "--scores", scores.toString(), "--labels", labels.toString())).isEqualTo(2);
    }

    /** Random bytes (not UTF-8) where score, posture and contain read text: a named one-line error or a skip count. */
    @Test
    void score_posture_contain_randomBytesOrMissingFiles_answerInOneLineNamingTheFile() throws IOException {
        byte[] junk = new byte[3000];
        new java.util.SplittableRandom(3).nextBytes(junk);
        Path j = Files.write(tmp.resolve("junk.bin"), junk);
        assertThat(Main.run("score", "--scores", j.toString(), "--labels", j.toString())).isEqualTo(2);
        assertOneLineError(j, "labels");
        err.reset();
        Path missing = tmp.resolve("no-such-labels");
        assertThat(Main.run("score", "--scores", j.toString(), "--labels", missing.toString())).isEqualTo(2);
        assertOneLineError(missing, "no such file");
        err.reset();
        Path dir = Files.createDirectories(tmp.resolve("junk-out"));
        Files.write(dir.resolve("devices.ndjson"), junk);
        assertThat(Main.run("posture", dir.toString(), "--out", tmp.resolve("r.html").toString())).isEqualTo(2);
        assertOneLineError(dir.resolve("devices.ndjson"), "not JSON");
        err.reset();
        Files.write(dir.resolve("incidents.ndjson"), junk);
        assertThat(Main.run("contain", dir.toString(), "--out", tmp.resolve("c").toString())).isZero();
        assertThat(errText()).contains("were not incident records and were skipped").doesNotContain("Exception");
    }

    /**
     * Issue 26: option files were read to the end, so /dev/zero exhausted the heap with a stack
     * trace. Every user-given option file is read with a bound and refused in one line.
     */
    @Test
    void optionFiles_fromDevZero_areRefusedInOneLine() throws IOException {
        Path zero = Path.of("/dev/zero");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(zero), "/dev/zero absent");
        Path pcap = Path.of("..", "samples", "iot-lan-scan.pcap").toAbsolutePath().normalize();
        for (String option : new String[] {"--config", "--ioc", "--mud"}) {
            err.reset();
            int rc = Main.run("analyze", pcap.toString(), "--out", tmp.resolve("o").toString(), "--no-store", option, zero.toString());
            assertThat(rc).as(option).isEqualTo(2);
            assertOneLineError(zero, "larger than");
        }
        err.reset();
        int rc = Main.run("analyze", pcap.toString(), "--out", tmp.resolve("o").toString(), "--no-store", "--mud-device",
                "192.168.1.195=/dev/zero");
        assertThat(rc).isEqualTo(2);
        assertOneLineError(zero, "larger than");
    }

    /** Issue 26: max_devices 4294967297 ran with 1 device; out of range is one line and exit 2. */
    @Test
    void configIntegers_outOfRange_areRefusedInOneLine() throws IOException {
        Path pcap = Path.of("..", "samples", "iot-lan-scan.pcap").toAbsolutePath().normalize();
        Path[] bad = {
            Files.writeString(tmp.resolve("big.json"), "{\"max_devices\": 4294967297}"),
            Files.writeString(tmp.resolve("nested.json"), "{\"c2\": {\"peer_slots\": 9223372036854775807}}"),
            Files.writeString(tmp.resolve("seconds.json"), "{\"flows\": {\"tcp_idle_s\": 1e300}}"),
        };
        for (Path cfg : bad) {
            err.reset();
            int rc = Main.run("analyze", pcap.toString(), "--out", tmp.resolve("o").toString(), "--no-store", "--config",
                    cfg.toString());
            assertThat(rc).as(cfg.toString()).isEqualTo(2);
            assertOneLineError(cfg, "out");
        }
    }
}
