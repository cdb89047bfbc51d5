package io.bulwark.bench;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * Packet decoding alone: Ethernet + IPv4 + TCP/UDP frames laid out back to back in one
 * buffer, as a memory-mapped capture presents them. Reports packets/s (ops = packets).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecodeBenchmark {
    static final int FRAMES = 4096;
    private final Packet packet = new Packet();
    private final PacketDecoder decoder = new PacketDecoder(new AnomalyCounters());
    private ByteBuffer buf;
    private int[] offsets;
    private int[] lengths;

    @Setup
    public void setup() {
        SyntheticTraffic t = SyntheticTraffic.frames(FRAMES, 42);
        buf = t.buffer();
        offsets = t.offsets();
        lengths = t.lengths();
        packet.buf = buf;
        packet.linkType = LinkType.ETHERNET;
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int decode() {
        int sum = 0;
        Packet p = packet;
        for (int i = 0; i < FRAMES; i++) {
            p.frameOffset = offsets[i];
            p.caplen = lengths[i];
            p.wirelen = lengths[i];
            if (decoder.decode(p)) {
                sum += p.dstPort;
            }
        }
        return sum;
    }
}
