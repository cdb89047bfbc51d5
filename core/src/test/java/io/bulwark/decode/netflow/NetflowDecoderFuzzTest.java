package io.bulwark.decode.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;

import java.nio.ByteBuffer;

/**
 * Fuzzes the NetFlow/IPFIX decoder with a sequence of datagrams, so that templates from one
 * apply to the next. Input: repeated [exporter (low 3 bits)] [length, 2 bytes] [datagram].
 * Each datagram sits at an offset inside a larger buffer whose limit is the datagram's end, so
 * a read past the datagram fails loudly. Limits are small so that every bound is reached.
 */
class NetflowDecoderFuzzTest {
    static final NetflowLimits LIMITS = new NetflowLimits(4, 16, 8, 64, 1800, 2, 4, 4096, 60);

    @FuzzTest(maxDuration = "15s")
    void decode_fuzzedDatagramSequences_neverThrowAndStayBounded(byte[] input) {
        NetflowDecoder decoder = new NetflowDecoder(LIMITS, new AnomalyCounters());
        int pos = 0;
        while (input.length - pos >= 3) {
            int exporter = input[pos] & 0x07;
            int len = Math.min(((input[pos + 1] & 0xff) << 8) | (input[pos + 2] & 0xff), input.length - pos - 3);
            pos += 3;
            ByteBuffer buf = ByteBuffer.allocate(len + 16);
            buf.put(7, input, pos, len);
            buf.limit(7 + len);
            int[] delivered = new int[1];
            int n = decoder.decode(buf, 7, len, 0, 0x0000_ffff_c000_0200L | exporter, 2055, 0, f -> {
                delivered[0]++;
                assertThat(f.ipVersion).isIn(4, 6);
                assertThat(f.packets).isNotNegative();
                assertThat(f.bytes).isNotNegative();
                assertThat(f.reversePackets).isNotNegative();
                assertThat(f.samplingRate).isPositive();
                assertThat(f.srcPort).isBetween(0, 65_535);
                assertThat(f.dstPort).isBetween(0, 65_535);
                assertThat(f.tcpFlags).isBetween(0, 255);
            });
            assertThat(n).isEqualTo(delivered[0]);
            pos += len;
        }
        assertThat(decoder.exporterCount()).isLessThanOrEqualTo(LIMITS.maxExporters());
        assertThat(decoder.templateCount()).isLessThanOrEqualTo(LIMITS.maxTemplates());
        assertThat(decoder.pendingSets()).isLessThanOrEqualTo(LIMITS.maxPendingSets());
        assertThat(decoder.pendingBytes()).isLessThanOrEqualTo(LIMITS.maxPendingBytes());
        assertThat(decoder.stats().size()).isLessThanOrEqualTo(LIMITS.maxExporters() + 3);
    }
}
