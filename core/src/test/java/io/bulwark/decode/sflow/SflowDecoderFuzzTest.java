package io.bulwark.decode.sflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Feeds fuzzer bytes to {@link SflowDecoder} as datagrams. Any exception is a finding. The
 * decoder lives across inputs with small limits, so that its tables fill up and the bounds
 * are checked too. The first input byte is a mode: bit 0 prepends "version 5, IPv4 agent"
 * so that the fuzzer spends its time past the header; the seeds are real pmacctd datagrams
 * (see {@link Pmacctd}) behind a 0 mode byte.
 *
 * <p>Without JAZZER_FUZZ=1 only the seeds in {@code SflowDecoderFuzzTestInputs/} are replayed;
 * see {@code CaptureFuzzTest} for why there is one {@code @FuzzTest} per class.
 */
class SflowDecoderFuzzTest {
    private static final SflowLimits LIMITS = new SflowLimits(8, 32, 64);
    private static final AnomalyCounters ANOMALIES = new AnomalyCounters();
    private static final SflowDecoder DECODER = new SflowDecoder(LIMITS, ANOMALIES);
    private static final byte[] PREFIX = {0, 0, 0, 5, 0, 0, 0, 1};

    @FuzzTest(maxDuration = "15s")
    void decode_fuzzedDatagrams_neverThrowAndStayBounded(byte[] input) {
        int mode = input.length == 0 ? 0 : input[0];
        byte[] body = input.length == 0 ? input : Arrays.copyOfRange(input, 1, input.length);
        byte[] datagram = body;
        if ((mode & 1) != 0) {
            datagram = Arrays.copyOf(PREFIX, PREFIX.length + body.length);
            System.arraycopy(body, 0, datagram, PREFIX.length, body.length);
        }
        // Surrounded by bytes the decoder must not read: a bad offset shows up as a wrong
        // result or, past the buffer, as an IndexOutOfBoundsException.
        byte[] big = new byte[datagram.length + 6];
        Arrays.fill(big, (byte) 0xee);
        System.arraycopy(datagram, 0, big, 3, datagram.length);
        int[] delivered = {0};
        int n = DECODER.decode(ByteBuffer.wrap(big), 3, datagram.length, 0, 0, 6343, 0, f -> {
            delivered[0]++;
            assertThat(f.samplingRate).isPositive();
            assertThat(f.packets).isEqualTo(f.samplingRate);
            assertThat(f.bytes).isNotNegative();
            assertThat(f.ipVersion).isIn(4, 6);
        });

        assertThat(n).isEqualTo(delivered[0]);
        // A delivered flow sample needs at least 8 + 32 bytes of sample and 8 + 32 of record.
        assertThat(n).isLessThanOrEqualTo(datagram.length / 80);
        assertThat(DECODER.agentCount()).isLessThanOrEqualTo(LIMITS.maxAgents());
        assertThat(DECODER.stats()).hasSizeLessThanOrEqualTo(LIMITS.maxAgents() + 1);
        assertThat(DECODER.sourceCount()).isLessThanOrEqualTo(LIMITS.maxSources());
    }
}
