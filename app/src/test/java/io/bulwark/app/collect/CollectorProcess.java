package io.bulwark.app.collect;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code bulwark collect} as operators run it: the shaded jar in its own JVM, listening on
 * loopback, stopped with SIGTERM. Its stderr is kept line by line for the test to read.
 */
final class CollectorProcess implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("listening for (.+) on ([0-9.]+):(\\d+)");

    final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    CollectorProcess(Path out, String... extra) throws IOException {
        Path jar = Path.of("target", "bulwark.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: integration tests run after `mvn package`");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-jar", jar.toString(), "collect", "--out", out.toString(), "--stats-every", "0.3",
                "--data", dataDir(out).toString()));
        cmd.addAll(List.of(extra));
        process = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                        lines.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "collector-stderr");
        reader.setDaemon(true);
        reader.start();
    }

    /** The collector's store (embedded H2) for an output directory. */
    static Path dataDir(Path out) {
        return out.resolveSibling(out.getFileName() + "-data");
    }

    /** The port the collector bound for the named listener ("NetFlow" or "sFlow"). */
    int port(String which) throws InterruptedException {
        String l = await(s -> s.contains("listening for " + (which.equals("sFlow") ? "sFlow" : "NetFlow")), 30);
        Matcher m = LISTENING.matcher(l);
        if (!m.find()) {
            throw new IllegalStateException("no port in: " + l);
        }
        return Integer.parseInt(m.group(3));
    }

    /** Waits (at most {@code seconds}) for a stderr line matching, and returns it. */
    String await(Predicate<String> p, int seconds) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        int from = 0;
        synchronized (lines) {
            while (true) {
                for (int i = from; i < lines.size(); i++) {
                    if (p.test(lines.get(i))) {
                        return lines.get(i);
                    }
                }
                from = lines.size();
                long left = until - System.nanoTime();
                if (left <= 0 || !process.isAlive() && from == lines.size() && !reader.isAlive()) {
                    throw new IllegalStateException("collector never printed the awaited line; stderr:\n"
                            + String.join("\n", lines));
                }
                lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 200_000_000L))));
            }
        }
    }

    /** SIGTERM, then the exit code. */
    int terminate() throws InterruptedException {
        // Through the handle: Process.destroy() would also close our end of its stderr, and the
        // collector's last words (its summary) would be lost.
        process.toHandle().destroy();
        if (!process.waitFor(90, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("collector did not stop within 90 s of SIGTERM");
        }
        reader.join(5000);
        return process.exitValue();
    }

    String stderr() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
