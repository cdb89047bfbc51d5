package io.bulwark.bench;

import io.bulwark.app.store.Store;
import io.bulwark.app.store.Stores;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fills a store for bench/api-load.sh through the {@link Store} interface alone: N synthetic
 * incidents (seeded, so every run writes the same rows) over 65,536 devices in 10.0/16 and the
 * 30 days from 2026-01-01, written in transactions of BATCH, then one viewer token whose secret
 * is the last line on stdout. Ids are stable, so running it twice changes nothing.
 *
 * <pre>java -cp app/target/bulwark.jar:bench/target/bulwark-bench.jar io.bulwark.bench.StoreFill (URL|-) DATA_DIR INCIDENTS</pre>
 */
public final class StoreFill {
    static final int BATCH = 5_000;
    static final int DEVICES = 65_536;
    static final long START = 1_767_225_600L * 1_000_000_000L; // 2026-01-01T00:00:00Z
    static final long SPAN = 30L * 86_400 * 1_000_000_000L;
    private static final Kind[] KINDS = {Kind.scan, Kind.scan, Kind.scan, Kind.bruteforce, Kind.bruteforce,
            Kind.infection, Kind.c2, Kind.ddos, Kind.ddos_target, Kind.anomaly};

    private StoreFill() {
    }

    static String host(int d) {
        return "10.0." + (d >> 8) + "." + (d & 0xff);
    }

    public static void main(String[] args) {
        String url = args[0].equals("-") ? null : args[0];
        Path data = Path.of(args[1]);
        long n = Long.parseLong(args[2]);
        SplittableRandom rnd = new SplittableRandom(42);
        long t0 = System.nanoTime();
        try (Store store = Stores.open(url, data)) {
            List<DeviceSummary> devices = new ArrayList<>(BATCH);
            for (int d = 0; d < DEVICES; d++) {
                devices.add(new DeviceSummary(host(d), null, START, START + SPAN, 1000, 64_000, 900, 80_000, 50, 20,
                        List.of("tcp/23"), List.of()));
                if (devices.size() == BATCH) {
                    store.write(List.of(), devices);
                    devices.clear();
                }
            }
            store.write(List.of(), devices);
            List<Incident> batch = new ArrayList<>(BATCH);
            for (long i = 0; i < n; i++) {
                Kind k = KINDS[rnd.nextInt(KINDS.length)];
                int d = rnd.nextInt(DEVICES);
                long detected = START + rnd.nextLong(SPAN);
                Severity sev = Severity.values()[rnd.nextInt(Severity.values().length)];
                batch.add(new Incident(String.format(Locale.ROOT, "bench-%09d", i), k, host(d), null,
                        detected - 5_000_000_000L, detected, detected + rnd.nextLong(3_600_000_000_000L), sev,
                        0.5 + rnd.nextDouble() / 2, k + " by " + host(d) + " (synthetic)", k.name(),
                        Map.of("synthetic", true), List.of()));
                if (batch.size() == BATCH) {
                    store.write(batch, List.of());
                    batch.clear();
                    if ((i + 1) % 100_000 == 0) {
                        System.err.printf(Locale.ROOT, "%,d incidents, %.0f s%n", i + 1, (System.nanoTime() - t0) / 1e9);
                    }
                }
            }
            store.write(batch, List.of());
            System.err.printf(Locale.ROOT, "filled %,d incidents over %,d devices in %.0f s%n", n, DEVICES,
                    (System.nanoTime() - t0) / 1e9);
            System.out.println(store.createToken(Store.Role.viewer, "api-load", Instant.now()).secret());
        }
    }
}
