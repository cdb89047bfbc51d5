package io.bulwark.bench;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.netflow.NetflowDecoder;
import io.bulwark.decode.netflow.NetflowLimits;
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
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * NetFlow v9 and IPFIX decoding into {@link ExportedFlow}: datagrams as softflowd 1.1.0 sends
 * them (its 16-field IPv4 template, 42-byte records, 30 records per datagram, templates
 * resent every 16th datagram), laid out back to back in one buffer. Sequence numbers are
 * advanced per datagram as an exporter would. Reports records/s (ops = records).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ExportDecodeBenchmark {
    static final int DATAGRAMS = 256;
    static final int RECORDS = 30;
    static final int TEMPLATE_EVERY = 16;
    static final long SECS = 1_768_471_200L;
    /** softflowd's IPv4 template: {IE, length} pairs. */
    static final int[] FIELDS = {8, 4, 12, 4, 22, 4, 21, 4, 1, 4, 2, 4, 10, 4, 14, 4, 61, 1, 136, 1, 7, 2, 11, 2,
        4, 1, 6, 1, 60, 1, 5, 1};
    static final int RECORD = 42;

    private final AnomalyCounters anomalies = new AnomalyCounters();
    /**
     * The default bounds, but no record budget: the budget is per second of arrival time, which
     * a benchmark that decodes the same datagrams again and again does not advance.
     */
    private final NetflowDecoder decoder = new NetflowDecoder(NetflowLimits.defaults(),
            new ExportBounds(100e9, 7 * 86_400 * 1_000_000_000L, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY),
            anomalies);
    private final Sum sink = new Sum();
    private ByteBuffer v9;
    private ByteBuffer ipfix;
    private final int[] v9Offsets = new int[DATAGRAMS];
    private final int[] v9Lengths = new int[DATAGRAMS];
    private final int[] ipfixOffsets = new int[DATAGRAMS];
    private final int[] ipfixLengths = new int[DATAGRAMS];
    private long v9Seq;
    private long ipfixSeq;

    static final class Sum implements ExportSink {
        long bytes;

        @Override
        public void flow(ExportedFlow f) {
            bytes += f.bytes + f.srcPort + f.startNanos;
        }
    }

    @Setup
    public void setup() {
        SplittableRandom rnd = new SplittableRandom(42);
        v9 = ByteBuffer.allocate(DATAGRAMS * 1600);
        ipfix = ByteBuffer.allocate(DATAGRAMS * 1600);
        for (int i = 0; i < DATAGRAMS; i++) {
            boolean templates = i % TEMPLATE_EVERY == 0;
            v9Offsets[i] = v9.position();
            v9.putShort((short) 9).putShort((short) (RECORDS + (templates ? 1 : 0))).putInt(600_000)
                    .putInt((int) SECS).putInt(i + 1).putInt(0);
            if (templates) {
                template(v9, 0, 1024);
            }
            data(v9, rnd);
            v9Lengths[i] = v9.position() - v9Offsets[i];

            ipfixOffsets[i] = ipfix.position();
            ipfix.putShort((short) 10).putShort((short) 0).putInt((int) SECS).putInt(i * RECORDS).putInt(0);
            if (templates) {
                template(ipfix, 2, 1024);
                // options template 256: scope meteringProcessId, systemInitTimeMilliseconds; and its record
                ipfix.putShort((short) 3).putShort((short) 18).putShort((short) 256).putShort((short) 2)
                        .putShort((short) 1).putShort((short) 143).putShort((short) 4).putShort((short) 160)
                        .putShort((short) 8);
                ipfix.putShort((short) 256).putShort((short) 16).putInt(0).putLong((SECS - 600) * 1000);
            }
            data(ipfix, rnd);
            ipfixLengths[i] = ipfix.position() - ipfixOffsets[i];
            ipfix.putShort(ipfixOffsets[i] + 2, (short) ipfixLengths[i]);
        }
        // Templates are in place before measuring, as in a collector that has run a while.
        long before = sink.bytes;
        v9();
        ipfix();
        if (anomalies.total() != 0 || sink.bytes == before) {
            throw new IllegalStateException("benchmark datagrams do not decode cleanly: " + anomalies.nonZero());
        }
    }

    private static void template(ByteBuffer b, int setId, int id) {
        b.putShort((short) setId).putShort((short) (8 + FIELDS.length * 2)).putShort((short) id)
                .putShort((short) (FIELDS.length / 2));
        for (int f : FIELDS) {
            b.putShort((short) f);
        }
    }

    private static void data(ByteBuffer b, SplittableRandom rnd) {
        b.putShort((short) 1024).putShort((short) (4 + RECORDS * RECORD));
        for (int r = 0; r < RECORDS; r++) {
            int first = 590_000 + rnd.nextInt(9_000);
            int packets = 1 + rnd.nextInt(10);
            b.putInt(0xc0a8_0100 | rnd.nextInt(256)).putInt(0x0a00_0000 | rnd.nextInt(1 << 24))
                    .putInt(first).putInt(first + rnd.nextInt(1000))
                    .putInt(packets * (40 + rnd.nextInt(1460))).putInt(packets)
                    .putInt(0).putInt(0).put((byte) 0).put((byte) 2)
                    .putShort((short) (1024 + rnd.nextInt(60_000))).putShort((short) 23)
                    .put((byte) 6).put((byte) 0x02).put((byte) 4).put((byte) 0);
        }
    }

    @Benchmark
    @OperationsPerInvocation(DATAGRAMS * RECORDS)
    public long v9() {
        for (int i = 0; i < DATAGRAMS; i++) {
            v9.putInt(v9Offsets[i] + 12, (int) ++v9Seq);
            decoder.decode(v9, v9Offsets[i], v9Lengths[i], 0, 0x0000_ffff_7f00_0001L, 2055, 0, sink);
        }
        return sink.bytes;
    }

    @Benchmark
    @OperationsPerInvocation(DATAGRAMS * RECORDS)
    public long ipfix() {
        for (int i = 0; i < DATAGRAMS; i++) {
            ipfix.putInt(ipfixOffsets[i] + 8, (int) ipfixSeq);
            ipfixSeq += RECORDS + (i % TEMPLATE_EVERY == 0 ? 1 : 0);
            decoder.decode(ipfix, ipfixOffsets[i], ipfixLengths[i], 0, 0x0000_ffff_7f00_0001L, 4739, 0, sink);
        }
        return sink.bytes;
    }
}
