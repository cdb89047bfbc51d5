package io.bulwark.app.capture;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wireshark's capture engine as a child process: {@code dumpcap -q -n -w - -i IFACE...} writes
 * pcapng to its standard output, which {@code bulwark capture} reads as a stream. dumpcap
 * opens the interfaces (as root, or unprivileged with its file capabilities), applies the BPF
 * filter in the kernel and, when told to stop (SIGTERM), writes an Interface Statistics Block
 * per interface, closes the pipe, and prints per-interface drop counters on stderr split into
 * the kernel's ("pcap") and its own ("dumpcap", "flushed"), which the ISB only gives summed.
 *
 * <p>Standard error is read on its own thread: lines are kept (the last few, to name the
 * cause when dumpcap fails), the statistics lines are parsed, and only "Capturing on" echoed.
 */
public final class Dumpcap {
    /** dumpcap 4.0: {@code Packets received/dropped on interface 'veth0': 10/2 (pcap:1/dumpcap:1/flushed:0/ps_ifdrop:0) (83.3%)}. */
    private static final Pattern STATS = Pattern.compile(
            "Packets received/dropped on interface '(.*)': (\\d+)/(\\d+) \\(pcap:(\\d+)/dumpcap:(\\d+)/flushed:(\\d+)/ps_ifdrop:(\\d+)\\)");
    private static final int KEEP_LINES = 20;

    /** The counters dumpcap printed for one interface when it stopped. */
    public record ExitStats(String name, long received, long dropped, long kernelDropped, long engineDropped,
                            long flushed, long interfaceDropped) {
    }

    private final Process process;
    private final Thread stderrReader;
    private final Deque<String> lastLines = new ArrayDeque<>();
    private final Map<String, ExitStats> exitStats = new ConcurrentHashMap<>();
    private volatile boolean stopRequested;

    private Dumpcap(Process process, PrintStream echo) {
        this.process = process;
        this.stderrReader = new Thread(() -> readStderr(process.getErrorStream(), echo), "bulwark-dumpcap-stderr");
        stderrReader.setDaemon(true);
        stderrReader.start();
    }

    /** The command line, without starting it: for tests and for the message when it fails. */
    public static List<String> command(String dumpcap, List<String> interfaces, String filter, int snaplen, int bufferMiB) {
        List<String> cmd = new ArrayList<>(List.of(dumpcap, "-q", "-n", "-w", "-"));
        // Options before the first -i are dumpcap's defaults for every interface after them.
        if (filter != null) {
            cmd.addAll(List.of("-f", filter));
        }
        if (snaplen > 0) {
            cmd.addAll(List.of("-s", Integer.toString(snaplen)));
        }
        if (bufferMiB > 0) {
            cmd.addAll(List.of("-B", Integer.toString(bufferMiB)));
        }
        for (String i : interfaces) {
            cmd.addAll(List.of("-i", i));
        }
        return cmd;
    }

    /**
     * Starts dumpcap. Throws IOException when it cannot be run at all (not installed, not
     * executable); failures dumpcap itself reports (no such interface, no permission, a bad
     * filter) show as an early end of its output and {@link #failure()}.
     *
     * @param echo where dumpcap's "Capturing on" lines go, prefixed "dumpcap: " (null: nowhere)
     */
    public static Dumpcap start(List<String> command, PrintStream echo) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return new Dumpcap(pb.start(), echo);
    }

    /** The pcapng stream. */
    public InputStream output() {
        return process.getInputStream();
    }

    /** Asks dumpcap to stop (SIGTERM): it then writes its statistics and closes the stream. */
    public void stop() {
        stopRequested = true;
        // Process.destroy() would also close our ends of its pipes, losing the statistics
        // dumpcap writes as it stops (and killing it with SIGPIPE); the handle only signals.
        process.toHandle().destroy();
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    /**
     * Waits for dumpcap to exit and for its last stderr line; kills it after {@code seconds}.
     * Returns its exit status.
     */
    public int await(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        stderrReader.join(TimeUnit.SECONDS.toMillis(5));
        return process.isAlive() ? -1 : process.exitValue();
    }

    /**
     * A one-line cause from dumpcap's last stderr lines (its own error message), or null when
     * it said nothing that looks like one.
     */
    public String failure() {
        synchronized (lastLines) {
            List<String> lines = new ArrayList<>(lastLines);
            // dumpcap starts its error messages with "dumpcap: " and follows them with advice.
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("dumpcap: ")) {
                    return lines.get(i).substring("dumpcap: ".length()).strip();
                }
            }
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty() && !STATS.matcher(l).find() && !l.startsWith("Packets captured:")
                        && !l.startsWith("Capturing on") && !l.startsWith("File:")) {
                    return l;
                }
            }
            return null;
        }
    }

    private void readStderr(InputStream err, PrintStream echo) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(err, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > KEEP_LINES) {
                        lastLines.removeFirst();
                    }
                }
                Matcher m = STATS.matcher(line);
                if (m.find()) {
                    ExitStats s = new ExitStats(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)),
                            Long.parseLong(m.group(4)), Long.parseLong(m.group(5)), Long.parseLong(m.group(6)),
                            Long.parseLong(m.group(7)));
                    exitStats.put(s.name(), s);
                } else if (echo != null && line.startsWith("Capturing on ")) {
                    // Only the news that capture began: errors are told once, as one line, by the caller.
                    echo.println("dumpcap: " + line.strip());
                }
            }
        } catch (IOException ignored) {
            // dumpcap is gone; its exit status says the rest
        }
    }

    /** The stats dumpcap printed for {@code iface}: it names lo "Loopback: lo", others by name. */
    public ExitStats exitStats(String iface) {
        ExitStats s = exitStats.get(iface);
        if (s != null) {
            return s;
        }
        for (ExitStats e : exitStats.values()) {
            if (e.name().endsWith(": " + iface)) {
                return e;
            }
        }
        return null;
    }
}
