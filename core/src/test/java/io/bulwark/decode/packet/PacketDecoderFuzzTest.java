package io.bulwark.decode.packet;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowTable;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzzes the packet decoder and the flow table behind it. The first byte picks the link type;
 * the rest is the frame, placed at a non-zero offset inside a larger buffer so that a read
 * outside the frame would land on guard bytes instead of failing silently.
 */
class PacketDecoderFuzzTest {
    private static final int[] LINKS = {LinkType.ETHERNET, LinkType.RAW, LinkType.IPV4, LinkType.IPV6,
        LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.NULL, LinkType.LOOP};
    private static final AnomalyCounters ANOMALIES = new AnomalyCounters();
    private static final PacketDecoder DECODER = new PacketDecoder(ANOMALIES);
    private static final FlowTable TABLE = new FlowTable(FlowConfig.defaults().withMaxFlows(1024), ANOMALIES, "fuzz");
    private static long clock;

    @FuzzTest(maxDuration = "15s")
    void decode_fuzzedFrames_neverThrowAndStayInsideTheFrame(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int frameLen = input.length - 1;
        ByteBuffer buf = ByteBuffer.allocate(frameLen + 64);
        buf.position(32);
        buf.put(input, 1, frameLen);
        Packet p = new Packet();
        p.buf = buf;
        p.frameOffset = 32;
        p.caplen = frameLen;
        p.wirelen = frameLen;
        p.linkType = LINKS[(input[0] & 0xff) % LINKS.length];
        p.tsNanos = clock += 1_000_000;
        if (DECODER.decode(p)) {
            assertThat(p.payloadLength).isGreaterThanOrEqualTo(0);
            if (p.payloadLength > 0) {
                assertThat(p.payloadOffset).isGreaterThanOrEqualTo(32);
                assertThat(p.payloadOffset + p.payloadLength).isLessThanOrEqualTo(32 + frameLen);
            }
            if (!p.laterFragment) {
                TABLE.add(p, (r, e) -> { });
            }
        }
    }
}
