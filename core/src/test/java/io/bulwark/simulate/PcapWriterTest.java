package io.bulwark.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.packet.Packet;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapWriterTest {
    @TempDir
    Path dir;

    @Test
    void header_asTcpdumpWrites_littleEndianMicroseconds() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new PcapWriter(bytes).close();
        assertThat(bytes.toByteArray()).containsExactly(
                0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 4, 0, 1, 0, 0, 0);
    }

    @Test
    void frames_readBack_sameBytesAndMicrosecondTimes() throws Exception {
        Path file = dir.resolve("two.pcap");
        Frame f = new Frame();
        long t0 = 1_768_471_200_123_456_789L;
        try (PcapWriter w = new PcapWriter(file)) {
            for (int i = 0; i < 3; i++) {
                f.ethernet(0x020000000001L, 0x020000000002L, Frame.ETHERTYPE_IPV4)
                        .ipv4(0x0a000001, 0x0a000002, Frame.PROTO_UDP, 64, i, false).udp(1, 2).zeros(100 * i);
                f.finish();
                w.write(t0 + i * 1_000_000_000L, f);
            }
            assertThat(w.packets()).isEqualTo(3);
            assertThat(w.lastNanos() - w.firstNanos()).isEqualTo(2_000_000_000L);
        }
        assertThat(Files.size(file)).isEqualTo(24 + 3 * 16 + 60 + 142 + 242);
        try (CaptureSource src = Captures.open(file, new AnomalyCounters())) {
            Packet p = new Packet();
            int n = 0;
            while (src.next(p)) {
                assertThat(p.tsNanos).isEqualTo(t0 / 1000 * 1000 + n * 1_000_000_000L);
                assertThat(p.caplen).isEqualTo(p.wirelen).isEqualTo(n == 0 ? 60 : 42 + 100 * n);
                assertThat(p.buf.getShort(p.frameOffset + 12)).isEqualTo((short) 0x0800);
                n++;
            }
            assertThat(n).isEqualTo(3);
            assertThat(src.stopReason()).isNull();
        }
    }

    @Test
    void manyFrames_pastBufferSize_allWritten() throws Exception {
        Path file = dir.resolve("many.pcap");
        Frame f = new Frame();
        int count = 3 * PcapWriter.BUFFER / 1530 + 7;
        try (PcapWriter w = new PcapWriter(file)) {
            for (int i = 0; i < count; i++) {
                f.ethernet(1, 2, Frame.ETHERTYPE_IPV4).ipv4(1, 2, Frame.PROTO_UDP, 64, i, false).udp(1, 2).zeros(1472);
                f.finish();
                w.write(1_000_000_000L + i, f);
            }
        }
        assertThat(Files.size(file)).isEqualTo(24 + (long) count * (16 + 1514));
    }
}
