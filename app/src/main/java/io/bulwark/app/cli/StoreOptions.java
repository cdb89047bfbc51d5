package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.app.store.Store;
import io.bulwark.incident.Incident;
import io.bulwark.decode.Anomaly;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code analyze} and {@code collect} share: where incidents are kept (a picocli mixin),
 * the ingest record a run leaves in the store, and the incidents and anomalies part of the
 * summary they print.
 */
final class StoreOptions {
    @Mixin
    StoreLocation location = new StoreLocation();

    @Option(names = "--no-store", description = "write the output files only, no store")
    boolean noStore;

    /**
     * The store these options name, opened on a background thread so that analysis starts at
     * once (measured: opening the embedded store and checking its migrations took 0.6-1.0 s of
     * a 1.5 s analyze of the bundled sample); null with --no-store. Closing it waits for the
     * opening.
     */
    PendingStore openInBackground() {
        if (noStore) {
            return null;
        }
        java.util.concurrent.CompletableFuture<Store> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(location.open());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "bulwark-store-open");
        t.setDaemon(true);
        t.start();
        return new PendingStore(f);
    }

    /** A store being opened: {@link #get()} waits for it and rethrows a failure to open as it was. */
    static final class PendingStore implements AutoCloseable {
        private final java.util.concurrent.CompletableFuture<Store> future;

        PendingStore(java.util.concurrent.CompletableFuture<Store> future) {
            this.future = future;
        }

        Store get() {
            try {
                return future.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }

        @Override
        public void close() {
            if (!future.isCompletedExceptionally()) {
                get().close();
            }
        }
    }

    /** The store these options name, or null with --no-store. */
    Store open() {
        return noStore ? null : location.open();
    }

    /** The summary's incident lines (count by kind, then one line each) and anomaly line. */
    static void findings(PrintStream o, Analyzer.Result r) {
        Map<String, Integer> byKind = new TreeMap<>();
        for (Incident i : r.incidents()) {
            byKind.merge(i.kind().name(), 1, Integer::sum);
        }
        o.printf(Locale.ROOT, "incidents: %d%s%n", r.incidents().size(), byKind.isEmpty() ? "" : " " + byKind);
        for (Incident i : r.incidents()) {
            o.println("  [" + i.kind() + "] " + i.summary());
        }
        Map<Anomaly, Long> an = r.anomalies().nonZero();
        o.printf(Locale.ROOT, "anomalies: %d%s%n", r.anomalies().total(), an.isEmpty() ? "" : " " + an);
    }
}
