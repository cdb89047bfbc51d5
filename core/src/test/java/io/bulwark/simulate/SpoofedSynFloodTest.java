package io.bulwark.simulate;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SpoofedSynFloodTest {
    @TempDir
    Path dir;

    @Test
    void synFlood_everySynFromAFreshSourceWithOptions_exactPacketCount() throws Exception {
        Path f = dir.resolve("flood.pcap");
        Simulator.Summary s = Simulator.write("syn-flood", 3, f, Simulator.Options.defaults().withTargetPackets(20_000));
        assertThat(s.packets()).isEqualTo(20_000);
        AnomalyCounters an = new AnomalyCounters();
        PacketDecoder d = new PacketDecoder(an);
        Set<Long> sources = new HashSet<>();
        long syns = 0;
        long synAcks = 0;
        try (CaptureSource src = Captures.open(f, an)) {
            Packet p = new Packet();
            while (src.next(p)) {
                assertThat(d.decode(p)).isTrue();
                if (p.tcpFlags == 0x02) {
                    syns++;
                    sources.add(p.srcLo);
                    assertThat(p.dstPort).isEqualTo(80);
                    assertThat(p.tcpOptionsLength).isPositive();
                } else if (p.tcpFlags == 0x12) {
                    synAcks++;
                }
            }
        }
        assertThat(an.total()).isZero();
        assertThat(syns + synAcks).isEqualTo(20_000);
        assertThat(synAcks).isBetween(1L, 20L);
        assertThat(sources.size()).isGreaterThan((int) (syns * 0.99));
    }
}
