package io.bulwark.app.cli;

import io.bulwark.app.capture.Dumpcap;
import io.bulwark.app.output.Schemas;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code bulwark capture} fails, with a stand-in for dumpcap (a shell script): each
 * failure is one line naming the cause and a non-zero exit, and a capture engine that dies
 * mid-run still leaves complete, valid outputs of what came before.
 */
class CaptureCommandTest extends StdStreams {
    @TempDir
    Path tmp;

    private Path script(String body) throws Exception {
        Path s = tmp.resolve("fake-dumpcap");
        Files.writeString(s, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rwx------"));
        return s;
    }

    private String errText() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aMissingDumpcapIsOneLineAndExitOne() {
        int rc = Main.run("capture", "-i", "eth0", "--dumpcap", tmp.resolve("nowhere/dumpcap").toString(),
                "--out", tmp.resolve("o").toString(), "--data", tmp.resolve("d").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(errText().strip().lines()).hasSize(1).first().asString()
                .startsWith("bulwark capture: cannot run").contains("wireshark-common");
    }

    @Test
    void dumpcapsOwnErrorIsTheOneLineGiven() throws Exception {
        Path fake = script("""
                echo "Capturing on 'nosuch0'" >&2
                echo 'dumpcap: There is no device named "nosuch0".' >&2
                echo '(No such device exists)' >&2
                exit 1""");
        int rc = Main.run("capture", "-i", "nosuch0", "--dumpcap", fake.toString(),
                "--out", tmp.resolve("o").toString(), "--data", tmp.resolve("d").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(errText()).contains("bulwark capture: dumpcap exited with status 1: There is no device named \"nosuch0\".")
                .doesNotContain("(No such device exists)");
    }

    @Test
    void aDumpcapDyingMidRunIsSaidAndWhatCameBeforeIsWritten() throws Exception {
        Path stream = tmp.resolve("one.pcapng");
        Files.write(stream, onePacketPcapng());
        Path fake = script("cat '" + stream + "'\n"
                + "echo 'dumpcap: The network adapter on which the capture was being done is no longer running; the capture has stopped.' >&2\n"
                + "exit 2");
        Path out = tmp.resolve("o");
        int rc = Main.run("capture", "-i", "eth9", "--dumpcap", fake.toString(),
                "--out", out.toString(), "--data", tmp.resolve("d").toString());
        assertThat(rc).isEqualTo(1);
        assertThat(errText()).contains("bulwark capture: dumpcap stopped on its own (exit status 2): The network adapter")
                .contains("bulwark capture: 1 packets")
                .contains("capture eth9: WARNING: dumpcap reported no drop counters; losses unknown");
        assertThat(Files.readString(out.resolve("events.ndjson"))).contains("\"type\":\"input\"").contains("\"packets\":1");
        assertThat(Schemas.violationsIn(out)).isEmpty();
    }

    @Test
    void optionsBeforeTheInterfacesAreDumpcapsDefaultsForAllOfThem() {
        assertThat(Dumpcap.command("dumpcap", List.of("eth0", "eth1"), "tcp port 23", 128, 32)).containsExactly(
                "dumpcap", "-q", "-n", "-w", "-", "-f", "tcp port 23", "-s", "128", "-B", "32", "-i", "eth0", "-i", "eth1");
    }

    /** SHB, an Ethernet IDB and one EPB carrying a minimal IPv4/UDP frame, little-endian. */
    private static byte[] onePacketPcapng() {
        ByteBuffer b = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x0a0d0d0a).putInt(28).putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1).putInt(28);
        b.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(0).putInt(20);
        byte[] frame = new byte[42];
        frame[12] = 0x08;                                  // EtherType IPv4
        frame[14] = 0x45;                                  // version 4, IHL 5
        frame[17] = 28;                                    // total length
        frame[22] = 64;                                    // TTL
        frame[23] = 17;                                    // UDP
        frame[26] = (byte) 192; frame[27] = (byte) 168; frame[28] = 1; frame[29] = 10;
        frame[30] = (byte) 192; frame[31] = (byte) 168; frame[32] = 1; frame[33] = 1;
        frame[35] = 53; frame[37] = 53; frame[39] = 8;     // ports 53 -> 53, UDP length 8
        int len = 28 + 44 + 4;                             // header and fixed fields, padded frame, trailer
        long units = 1_700_000_000_000_000L;
        b.putInt(6).putInt(len).putInt(0).putInt((int) (units >>> 32)).putInt((int) units).putInt(frame.length).putInt(frame.length);
        b.put(frame).put(new byte[2]).putInt(len);
        return java.util.Arrays.copyOf(b.array(), b.position());
    }
}
