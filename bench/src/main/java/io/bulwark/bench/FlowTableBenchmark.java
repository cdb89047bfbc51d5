package io.bulwark.bench;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowTable;
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

import java.util.concurrent.TimeUnit;

/**
 * Flow-table updates for pre-decoded packets: lookup, counters, LRU move and expiry, with
 * about 4,000 live flows. Reports packets/s.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowTableBenchmark {
    static final int FRAMES = DecodeBenchmark.FRAMES;
    private Packet[] packets;
    private FlowTable table;
    private long clock;
    private final FlowTable.Sink sink = (r, e) -> { };

    @Setup
    public void setup() {
        SyntheticTraffic t = SyntheticTraffic.frames(FRAMES, 42);
        PacketDecoder d = new PacketDecoder(new AnomalyCounters());
        packets = new Packet[FRAMES];
        for (int i = 0; i < FRAMES; i++) {
            Packet p = new Packet();
            p.buf = t.buffer();
            p.frameOffset = t.offsets()[i];
            p.caplen = p.wirelen = t.lengths()[i];
            p.linkType = LinkType.ETHERNET;
            d.decode(p);
            packets[i] = p;
        }
        table = new FlowTable(FlowConfig.defaults(), new AnomalyCounters(), "bench");
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int add() {
        for (int i = 0; i < FRAMES; i++) {
            Packet p = packets[i];
            clock += 20_000;
            p.tsNanos = clock;
            table.add(p, sink);
        }
        table.expire(clock, sink);
        return table.size();
    }
}
