package io.bulwark.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP load generator for bench/api-load.sh (there is no wrk here): CLIENTS threads,
 * each with its own HttpClient and keep-alive connection, send GET /api/incidents with a rotating set of filters
 * back to back for SECONDS (after a warm-up of a fifth of that, not counted), then it prints
 * requests/s and the p50/p95/p99/max latency of the counted requests. Non-200 answers are
 * counted as errors. Refuses any host but 127.0.0.1 or localhost.
 *
 * <pre>java -cp bench/target/bulwark-bench.jar io.bulwark.bench.ApiLoad http://127.0.0.1:PORT TOKEN CLIENTS SECONDS</pre>
 */
public final class ApiLoad {
    /** Latencies kept per client; beyond this a client keeps counting but stops sampling. */
    static final int MAX_SAMPLES = 4_000_000;

    /** The dashboard's typical queries: newest first, per kind, per host, per state, a time window, a deep page. */
    static final List<String> QUERIES = List.of(
            "/api/incidents?limit=50",
            "/api/incidents?kind=scan&limit=50",
            "/api/incidents?kind=ddos&sort=-severity&limit=100",
            "/api/incidents?state=new&limit=50",
            "/api/incidents?host=10.0.3.7&limit=50",
            "/api/incidents?from=2026-01-10T00:00:00Z&to=2026-01-11T00:00:00Z&limit=50",
            "/api/incidents?kind=c2&from=2026-01-01T00:00:00Z&sort=detected_at&limit=50",
            "/api/incidents?offset=10000&limit=50");

    private ApiLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: ApiLoad http://127.0.0.1:PORT TOKEN CLIENTS SECONDS");
            System.exit(2);
        }
        URI base = URI.create(args[0]);
        if (!"127.0.0.1".equals(base.getHost()) && !"localhost".equals(base.getHost())) {
            throw new IllegalArgumentException("loopback only: " + base);
        }
        String token = args[1];
        int clients = Integer.parseInt(args[2]);
        double seconds = Double.parseDouble(args[3]);

        long warmupEnd = System.nanoTime() + (long) (seconds * 0.2e9);
        long end = warmupEnd + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        long[][] samples = new long[clients][];
        int[] counts = new int[clients];
        long[] done = new long[clients];
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int id = c;
            threads[c] = new Thread(() -> {
                // A client per thread: one shared HttpClient funnels every connection through a
                // single selector thread, which then limits the rate instead of the server.
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                long[] lat = new long[1024];
                int n = 0;
                long total = 0;
                for (int q = id; ; q++) {
                    HttpRequest req = HttpRequest.newBuilder(base.resolve(QUERIES.get(q % QUERIES.size())))
                            .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30)).build();
                    long t0 = System.nanoTime();
                    if (t0 >= end) {
                        break;
                    }
                    try {
                        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (IOException e) {
                        errors.incrementAndGet();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                    long t1 = System.nanoTime();
                    if (t0 < warmupEnd || t1 > end) {
                        continue;
                    }
                    total++;
                    if (n < MAX_SAMPLES) {
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, Math.min(lat.length * 2, MAX_SAMPLES));
                        }
                        lat[n++] = t1 - t0;
                    }
                }
                samples[id] = lat;
                counts[id] = n;
                done[id] = total;
            }, "api-load-" + c);
            threads[c].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long requests = Arrays.stream(done).sum();
        long[] all = new long[Arrays.stream(counts).sum()];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(samples[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        Arrays.sort(all);
        System.out.printf(Locale.ROOT, "clients %d, %.0f s: %,d requests, %,.0f requests/s, %d errors; latency ms p50 %.2f p95 %.2f p99 %.2f max %.2f%n",
                clients, seconds, requests, requests / seconds, errors.get(),
                pct(all, 0.50), pct(all, 0.95), pct(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
