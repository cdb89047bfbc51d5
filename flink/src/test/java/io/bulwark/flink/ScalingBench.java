package io.bulwark.flink;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import io.bulwark.simulate.Simulator;
import io.bulwark.transport.EdgeTap;
import io.bulwark.transport.EventCodec;
import io.bulwark.transport.TrafficEvent;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The scaling benchmark (bench/flink-scaling.sh; not a test): the simulator's busy "bench"
 * network (200 devices) through the edge, then the job on a local MiniCluster at parallelism
 * 1, 2 and 4, reporting transport records per second in all and per task slot. Also the
 * bytes of keyed state per tracked device, as a checkpoint stores it.
 *
 * <pre>ScalingBench WORKDIR [PACKETS] [PARALLELISM...]</pre>
 */
public final class ScalingBench {
    public static void main(String[] args) throws Exception {
        Path work = Path.of(args.length > 0 ? args[0] : "bench/work");
        long packets = args.length > 1 ? Long.parseLong(args[1]) : 1_000_000;
        int[] levels = args.length > 2 ? java.util.Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {1, 2, 4};
        Files.createDirectories(work);
        Path pcap = work.resolve("bench-" + packets + ".pcap");
        if (!Files.exists(pcap)) {
            Simulator.write("bench", 1, pcap, Simulator.Options.defaults().withTargetPackets(packets));
        }
        AnalyzerConfig cfg = AnalyzerConfig.defaults().keyedOnly();
        List<byte[]> records = new ArrayList<>();
        EdgeTap tap = new EdgeTap(cfg.localNets(), new DeviceDetectors(Analyzer.detectors(cfg)), records::add);
        long t0 = System.nanoTime();
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() {
        }, false, tap);
        a.add(pcap);
        Analyzer.Result local = a.finish();
        double localSecs = (System.nanoTime() - t0) / 1e9;
        Path file = RecordFile.write(work.resolve("bench-" + packets + ".records"), records);
        System.out.printf(Locale.ROOT, "input: %,d packets -> %,d transport records (%,d packet facts, %,d flows, %,.1f MB, "
                        + "%.0f bytes/record); local engine with the edge: %.2f s, %d incidents%n",
                packets, records.size(), tap.packetsPublished(), tap.flowsPublished(), tap.bytesPublished() / 1e6,
                (double) tap.bytesPublished() / records.size(), localSecs, local.incidents().size());
        stateBytes(records, cfg);

        // The JIT warms up on one unmeasured run; then each level runs three times, in turns,
        // and its best run counts (other work on a shared machine only ever slows a run down).
        run(file, records.size(), levels[levels.length - 1]);
        double[] best = new double[levels.length];
        java.util.Arrays.fill(best, Double.MAX_VALUE);
        for (int round = 0; round < 3; round++) {
            for (int k = 0; k < levels.length; k++) {
                best[k] = Math.min(best[k], run(file, records.size(), levels[k]));
            }
        }
        System.out.printf(Locale.ROOT, "%-12s %12s %14s %18s%n", "parallelism", "best run s", "records/s", "records/s/slot");
        for (int k = 0; k < levels.length; k++) {
            double rate = records.size() / best[k];
            System.out.printf(Locale.ROOT, "%-12d %12.2f %14.0f %18.0f%n", levels[k], best[k], rate, rate / levels[k]);
        }
    }

    /** One run of the job at parallelism {@code p}; its net runtime in seconds. */
    private static double run(Path file, int count, int p) throws Exception {
        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.NUM_TASK_SLOTS, p);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(p, conf);
        DetectionJob.incidents(env, RecordFile.source(file, count, RateLimiterStrategy.noOp()), JobSettings.defaults())
                .sinkTo(new DiscardingSink<>()).uid("discard").name("discard");
        JobExecutionResult r = env.execute("scaling p=" + p);
        double secs = r.getNetRuntime() / 1e3;
        System.out.printf(Locale.ROOT, "  run at parallelism %d: %.2f s%n", p, secs);
        return secs;
    }

    /**
     * Runs every device's detectors over the records (as the keyed function does) and reports
     * the serialised size of each device's slot at the end, before its detectors report.
     */
    private static void stateBytes(List<byte[]> records, AnalyzerConfig cfg) {
        DeviceDetectors d = new DeviceDetectors(Analyzer.detectors(cfg));
        LocalNets nets = cfg.localNets();
        AnomalyCounters anomalies = new AnomalyCounters();
        Map<IpAddr, DeviceSlot> slots = new HashMap<>();
        for (byte[] r : records) {
            TrafficEvent e = EventCodec.decode(r, anomalies);
            IpAddr src = e.flow() != null ? e.flow().src() : e.packet().src();
            IpAddr dst = e.flow() != null ? e.flow().dst() : e.packet().dst();
            for (int side = 0; side < 2; side++) {
                IpAddr ip = side == 0 ? src : dst;
                if (!nets.isDevice(ip.hi(), ip.lo())) {
                    continue;
                }
                DeviceSlot s = slots.computeIfAbsent(ip, k -> new DeviceSlot(d.newStates()));
                io.bulwark.detect.Device dev = new io.bulwark.detect.Device() {
                    @Override
                    public IpAddr ip() {
                        return ip;
                    }

                    @Override
                    public long mac() {
                        return -1;
                    }
                };
                if (e.packet() != null) {
                    d.packet(s.detectors, dev, e.packet(), side == 0, e.packet().flowEntry(), e.packet().file(), f -> { });
                } else {
                    d.flow(s.detectors, dev, e.flow(), side == 0, f -> { });
                }
            }
        }
        long[] sizes = slots.values().stream().mapToLong(s -> DeviceSlotSerializer.bytes(s).length).sorted().toArray();
        long sum = 0;
        for (long x : sizes) {
            sum += x;
        }
        System.out.printf(Locale.ROOT, "state: %d devices, serialised bytes per device: mean %,d, median %,d, max %,d%n",
                sizes.length, sum / Math.max(1, sizes.length), sizes.length == 0 ? 0 : sizes[sizes.length / 2],
                sizes.length == 0 ? 0 : sizes[sizes.length - 1]);
    }
}
