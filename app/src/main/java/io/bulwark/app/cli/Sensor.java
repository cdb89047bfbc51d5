package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.detect.Finding;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

/**
 * What the two long-running sensors, {@code collect} and {@code capture}, share: the listener
 * that writes each finding at once (events file and store), and the shutdown hook that stops
 * the input and keeps the JVM alive until the outputs are written.
 */
final class Sensor {
    private Sensor() {
    }

    /**
     * Writes each finding to {@code writer} and flushes, hands it to the store feed (when there
     * is a store), and passes progress on to {@code packets} (may be null) and the feed's tick.
     */
    static Analyzer.Listener listener(RecordWriter writer, StoreFeed feed, LongConsumer packets) {
        return new Analyzer.Listener() {
            @Override
            public void finding(Finding f, String incidentId) {
                writer.finding(f, incidentId);
                writer.flush();
                if (feed != null) {
                    feed.found(incidentId);
                }
            }

            @Override
            public void progress(String file, long done, long total, long packetsSoFar) {
                if (packets != null) {
                    packets.accept(packetsSoFar);
                }
                if (feed != null) {
                    feed.tick();
                }
            }
        };
    }

    /**
     * On SIGTERM or SIGINT: runs {@code stop} (closes the input, so the run drains and ends),
     * then waits until {@code done} (the outputs and store are closed) for at most 300 s, so that
     * nothing found is lost when the JVM halts.
     */
    static void onShutdown(String command, Runnable stop, CountDownLatch done) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            try {
                if (!done.await(300, TimeUnit.SECONDS)) {
                    System.err.println("bulwark " + command + ": still writing after 300 s; stopping anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "bulwark-shutdown"));
    }
}
