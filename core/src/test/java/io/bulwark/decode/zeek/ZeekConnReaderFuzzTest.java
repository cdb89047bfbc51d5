package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.flow.FlowRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Any bytes either are refused whole with {@link BadInputException} or read to the end
 * without an exception, yielding only plausible records. Under a plain {@code mvn test}
 * this replays the seeds in {@code ZeekConnReaderFuzzTestInputs}; set JAZZER_FUZZ=1 to fuzz.
 */
class ZeekConnReaderFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void read_anyBytes_neverThrows(byte[] input) throws IOException {
        Path file = Files.createTempFile("fuzz", ".log");
        try {
            Files.write(file, input);
            AnomalyCounters anomalies = new AnomalyCounters();
            long records = 0;
            try (ZeekConnReader r = ZeekConnReader.open(file, anomalies)) {
                for (FlowRecord f; (f = r.next()) != null; records++) {
                    assertThat(f.endNanos()).isGreaterThanOrEqualTo(f.startNanos());
                    assertThat(f.firstOffset()).isBetween(0L, (long) input.length);
                    assertThat(f.srcPort()).isBetween(0, 65535);
                }
                assertThat(r.position()).isLessThanOrEqualTo(input.length);
            } catch (BadInputException e) {
                assertThat(e.getMessage()).doesNotContain("\n");
            }
            assertThat(records).isLessThanOrEqualTo(input.length / 10 + 1);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
