package io.bulwark.app.collect;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Debian's softflowd, a real NetFlow v5/v9 and IPFIX exporter, replaying a pcap to a loopback
 * collector. Its own statistics give the number of records it exported.
 */
final class Softflowd {
    private static final Pattern PROCESSED = Pattern.compile("Packets processed: (\\d+)");
    private static final Pattern EXPORTED = Pattern.compile("Flows exported: (\\d+) \\((\\d+) records\\) in (\\d+) packets");

    /** What softflowd said it sent. */
    record Export(long flows, long records, long packets, String log) {
    }

    static void requireInstalled() {
        if (!Files.isExecutable(Path.of("/usr/sbin/softflowd"))) {
            throw new IllegalStateException("softflowd is not installed: run .ci/install-tools");
        }
    }

    /**
     * Replays {@code pcap} ({@code packets} long) to 127.0.0.1:{@code port}. softflowd 1.1.0 with
     * {@code -r} exports at shutdown and in {@code -d} mode does not exit by itself: poll
     * {@code softflowctl statistics} until every packet is processed, then shut it down.
     * {@code -a} makes its clock the capture's, so record times are the traffic's; {@code -m}
     * keeps every flow of the capture (its default of 8,192 would expire flows early).
     *
     * @param version 5, 9 or 10 (IPFIX)
     */
    static Export replay(Path pcap, long packets, int port, int version, Path work) throws IOException, InterruptedException {
        requireInstalled();
        String tag = "v" + version + "-" + port;
        Path ctl = work.resolve("softflowd-" + tag + ".ctl");
        Path log = work.resolve("softflowd-" + tag + ".log");
        Process p = new ProcessBuilder(List.of("/usr/sbin/softflowd", "-d", "-a", "-r", pcap.toString(),
                "-n", "127.0.0.1:" + port, "-v", String.valueOf(version), "-c", ctl.toString(),
                "-p", work.resolve("softflowd-" + tag + ".pid").toString(), "-T", "full", "-m", "1000000"))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            Matcher m = PROCESSED.matcher(ctl(ctl, "statistics"));
            if (m.find() && Long.parseLong(m.group(1)) >= packets) {
                ctl(ctl, "shutdown");
                break;
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("softflowd did not shut down; log:\n" + Files.readString(log));
        }
        String text = Files.readString(log, StandardCharsets.UTF_8);
        Matcher m = EXPORTED.matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("softflowd gave no export statistics:\n" + text);
        }
        return new Export(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), text);
    }

    private static String ctl(Path ctl, String command) throws IOException, InterruptedException {
        if (!Files.exists(ctl)) {
            return "";
        }
        Process c = new ProcessBuilder("/usr/sbin/softflowctl", "-c", ctl.toString(), command)
                .redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        c.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private Softflowd() {
    }
}
