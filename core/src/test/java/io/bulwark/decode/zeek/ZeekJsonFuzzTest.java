package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Zeek JSON log lines: any text is parsed or refused, never more members than the bound and
 * none on refusal. Its own class because Jazzer fuzzes one {@code @FuzzTest} per JVM (with two
 * in ZeekConnReaderFuzzTest, CI's fuzzing run skipped this one). Under a plain {@code mvn test}
 * this replays the seeds in {@code ZeekJsonFuzzTestInputs}; set JAZZER_FUZZ=1 to fuzz.
 */
class ZeekJsonFuzzTest {

    @FuzzTest(maxDuration = "15s")
    void parse_anyText_neverThrows(byte[] input) {
        FlatJson json = new FlatJson();
        boolean ok = json.parse(new String(input, StandardCharsets.UTF_8));

        assertThat(json.size()).isBetween(0, FlatJson.MAX_MEMBERS);
        if (!ok) {
            assertThat(json.size()).isZero();
        }
    }
}
