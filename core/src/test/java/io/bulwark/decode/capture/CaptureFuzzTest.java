package io.bulwark.decode.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.packet.Packet;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds fuzzer bytes to the pcapng reader ({@link PcapFuzzTest} does pcap). Any exception
 * other than {@link BadInputException} is a finding. The first input byte picks the prefix:
 * bit 0 little-endian, bit 1 nanosecond pcap, bit 2 no prefix at all (the bytes are the
 * whole file, which exercises header checks; either reader may then be reached). Otherwise
 * a valid header is prepended so that the fuzzer spends its time in the record and block
 * logic instead of rediscovering magic numbers.
 *
 * <p>Without JAZZER_FUZZ=1 a fuzz test only replays its seeds from
 * {@code <Class>Inputs/<method>/} in the test resources. With it, Jazzer 0.24 fuzzes one
 * {@code @FuzzTest} per JVM and skips the rest ("Only one fuzz test can be run at a time"),
 * even across classes; hence one method per class, and
 * {@code JAZZER_FUZZ=1 mvn -pl core test -Dtest='*FuzzTest' -DreuseForks=false} to fuzz
 * every class, each in a fresh JVM.
 */
class CaptureFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "15s")
    void pcapng_fuzzedBlocks_neverThrow(byte[] input) throws IOException {
        readEverything(dir, input, false);
    }

    static void readEverything(Path dir, byte[] input, boolean pcap) throws IOException {
        int mode = input.length == 0 ? 0 : input[0];
        ByteOrder order = (mode & 1) != 0 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        CaptureBytes file;
        if ((mode & 4) != 0) {
            file = new CaptureBytes(order);
        } else if (pcap) {
            file = CaptureBytes.pcap(order, (mode & 2) != 0, 65_535, LinkType.ETHERNET);
        } else {
            file = CaptureBytes.pcapng(order);
        }
        if (input.length > 1) {
            file.raw(Arrays.copyOfRange(input, 1, input.length));
        }
        Path path = dir.resolve("fuzz.cap");
        Files.write(path, file.bytes());
        try (CaptureSource src = Captures.open(path, new AnomalyCounters())) {
            Packet p = new Packet();
            while (src.next(p)) {
                // Touch both ends of the frame: an offset or length the reader got wrong
                // shows up here as an IndexOutOfBoundsException.
                if (p.caplen < 0 || p.caplen > PcapSource.MAX_CAPLEN || p.wirelen < p.caplen) {
                    throw new IllegalStateException("bad lengths " + p.caplen + "/" + p.wirelen);
                }
                if (p.caplen > 0) {
                    p.buf.get(p.frameOffset);
                    p.buf.get(p.frameOffset + p.caplen - 1);
                }
            }
            if (src.position() > src.size() && src.stopReason() == null) {
                throw new IllegalStateException("clean end past the end of the file");
            }
        } catch (BadInputException expected) {
            // a whole input that is not a capture: the documented outcome
        }
    }
}
