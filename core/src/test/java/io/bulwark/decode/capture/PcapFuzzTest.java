package io.bulwark.decode.capture;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/**
 * The pcap half of {@link CaptureFuzzTest}, in its own class because Jazzer fuzzes only one
 * {@code @FuzzTest} per JVM; the mode byte is the one documented there.
 */
class PcapFuzzTest {
    @TempDir
    static Path dir;

    @FuzzTest(maxDuration = "15s")
    void pcap_fuzzedRecords_neverThrow(byte[] input) throws IOException {
        CaptureFuzzTest.readEverything(dir, input, true);
    }
}
