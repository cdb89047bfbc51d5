package io.bulwark.app.collect;

import io.bulwark.analyze.Analyzer;
import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.flow.IpAddr;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live collector's core: UDP listener threads {@link #offer} datagrams into one bounded
 * queue; one thread ({@link #run}) takes them out and feeds the analyzer (decoders, pairing,
 * detectors), which is single-threaded by design. The queue is bounded in datagrams and in
 * bytes, so a flood of exports (or of 64 KiB junk datagrams) costs counted drops, not memory.
 * Datagrams from senders not on the {@link ExporterAllowList} are refused before the queue
 * (counted per sender, and as {@link Anomaly#export_exporter_not_allowed}), so they cannot
 * crowd out the exporters that are. Reporting uses the wall clock for its cadence only;
 * detection runs on traffic time.
 */
public final class Collector {
    /** Exporters the periodic report names one by one; the others share one line. */
    public static final int TOP_EXPORTERS = 10;
    private final Analyzer analyzer;
    private final BlockingQueue<Datagram> queue;
    private final long maxQueuedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final PrintStream report;
    private final long reportEveryNanos;
    private volatile boolean stopping;
    private volatile String failure;
    private final Map<String, Long> recordsAtLastReport = new HashMap<>();
    private final Runnable tick;
    private final ExporterAllowList allow;
    /** Refusals already counted in the analyzer's anomalies (detector thread only). */
    private long refusedCounted;

    /**
     * @param maxQueued      datagrams waiting for the detector thread, at most
     * @param maxQueuedBytes their bytes, at most
     * @param report         where counters are printed every {@code reportEveryNanos} (null: never)
     * @param tick           called on the detector thread at least every 100 ms (the store's commits)
     * @param allow          the senders whose datagrams are taken
     */
    public Collector(Analyzer analyzer, int maxQueued, long maxQueuedBytes, PrintStream report, long reportEveryNanos,
                     Runnable tick, ExporterAllowList allow) {
        this.analyzer = analyzer;
        this.tick = tick;
        this.allow = allow;
        this.queue = new ArrayBlockingQueue<>(maxQueued);
        this.maxQueuedBytes = maxQueuedBytes;
        this.report = report;
        this.reportEveryNanos = reportEveryNanos;
    }

    /** From a listener thread; never blocks. */
    void offer(Datagram d) {
        received.incrementAndGet();
        if (!allow.admit(d.exporterHi(), d.exporterLo())) {
            return;
        }
        if (queuedBytes.addAndGet(d.data().length) > maxQueuedBytes || !queue.offer(d)) {
            queuedBytes.addAndGet(-d.data().length);
            dropped.incrementAndGet();
        }
    }

    void listenerFailed(String name, Exception e) {
        failure = name + ": " + e.getMessage();
        stopping = true;
    }

    /** Asks {@link #run} to finish: it drains what is queued, then returns. */
    public void stop() {
        stopping = true;
    }

    public String failure() {
        return failure;
    }

    public long received() {
        return received.get();
    }

    public long dropped() {
        return dropped.get();
    }

    public ExporterAllowList allowList() {
        return allow;
    }

    /** The detector loop: runs on the calling thread until {@link #stop()} and the queue is empty. */
    public void run() throws InterruptedException {
        long nextReport = System.nanoTime() + reportEveryNanos;
        while (!stopping || !queue.isEmpty()) {
            Datagram d = queue.poll(100, TimeUnit.MILLISECONDS);
            if (d != null) {
                queuedBytes.addAndGet(-d.data().length);
                analyzer.exportDatagram(ByteBuffer.wrap(d.data()), 0, d.data().length, d.exporterHi(), d.exporterLo(),
                        d.exporterPort(), d.receivedNanos());
            }
            countRefused();
            tick.run();
            if (report != null && System.nanoTime() >= nextReport) {
                report(report, reportEveryNanos / 1e9);
                nextReport = System.nanoTime() + reportEveryNanos;
            }
        }
        countRefused();
    }

    /** Moves the listener threads' refusals into the analyzer's anomaly counts (detector thread). */
    private void countRefused() {
        long r = allow.refused();
        if (r > refusedCounted) {
            analyzer.count(Anomaly.export_exporter_not_allowed, r - refusedCounted);
            refusedCounted = r;
        }
    }

    /**
     * Prints the {@link #TOP_EXPORTERS} exporters that sent the most records since the last report
     * (then the most records in all), one line for all the others, and one for the collector's
     * own counters: a flood of forged exporters must not flood the report too. Call from the
     * detector thread.
     */
    public void report(PrintStream report, double secondsSinceLast) {
        List<ExporterStats> all = analyzer.exporterStats();
        long[] recent = new long[all.size()];
        for (int i = 0; i < recent.length; i++) {
            ExporterStats s = all.get(i);
            String key = s.exporter + " " + s.source;
            recent[i] = s.records - recordsAtLastReport.getOrDefault(key, 0L);
            recordsAtLastReport.put(key, s.records);
        }
        Integer[] order = new Integer[recent.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.<Integer>comparingLong(i -> -recent[i])
                .thenComparingLong(i -> -all.get(i).records).thenComparingLong(i -> -all.get(i).packets)
                .thenComparing(i -> all.get(i).exporter + " " + all.get(i).source));
        ExporterStats rest = new ExporterStats("", null);
        long restRecent = 0;
        for (int k = 0; k < order.length; k++) {
            ExporterStats s = all.get(order[k]);
            if (k < TOP_EXPORTERS) {
                report.printf(Locale.ROOT, "exporter %s %s: %s%n", s.exporter, s.source,
                        counters(s, recent[order[k]], secondsSinceLast));
                continue;
            }
            rest.packets += s.packets;
            rest.records += s.records;
            rest.templateMisses += s.templateMisses;
            rest.malformed += s.malformed;
            rest.sequenceGaps += s.sequenceGaps;
            rest.counterSamples += s.counterSamples;
            rest.implausible += s.implausible;
            rest.overBudget += s.overBudget;
            restRecent += recent[order[k]];
        }
        if (order.length > TOP_EXPORTERS) {
            report.printf(Locale.ROOT, "exporters: %,d more: %s%n", order.length - TOP_EXPORTERS,
                    counters(rest, restRecent, secondsSinceLast));
        }
        report.printf(Locale.ROOT, "collector: datagrams received %,d, dropped %,d (queue full), queued %,d%s%n",
                received.get(), dropped.get(), queue.size(), refusedText());
        report.flush();
    }

    private static String counters(ExporterStats s, long recent, double secondsSinceLast) {
        return String.format(Locale.ROOT, "packets %,d, records %,d, template misses %,d, malformed %,d, "
                        + "sequence gaps %,d, counter samples %,d, implausible %,d, over budget %,d, %,.0f records/s",
                s.packets, s.records, s.templateMisses, s.malformed, s.sequenceGaps, s.counterSamples, s.implausible,
                s.overBudget, secondsSinceLast > 0 ? recent / secondsSinceLast : 0.0);
    }

    /**
     * ", not allowed N from K senders: A (n), B (m), C (o)" (the three refused most) once a sender
     * was refused; else "".
     */
    String refusedText() {
        long r = allow.refused();
        if (r == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, ", not allowed %,d from %s%,d senders:",
                r, allow.refusedSources() >= ExporterAllowList.MAX_SOURCES ? "at least " : "", allow.refusedSources()));
        String sep = " ";
        for (Map.Entry<IpAddr, Long> e : allow.topRefused(3)) {
            b.append(String.format(Locale.ROOT, "%s%s (%,d)", sep, e.getKey(), e.getValue()));
            sep = ", ";
        }
        return b.toString();
    }
}
