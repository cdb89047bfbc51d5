package io.bulwark.decode.sflow;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pmacctd (pmacct 1.7) as a real sFlow v5 exporter: its {@code sfprobe} plugin samples
 * the packets of a pcap ({@code pcap_savefile}) and sends sFlow datagrams to a UDP socket this
 * helper opens on 127.0.0.1. pmacctd reads the file at full speed and exits when done.
 *
 * <p>Observed with pmacct 1.7.7: every datagram has one or more flow samples with an extended
 * switch record and a raw Ethernet header of at most 128 bytes (frame_length = wire length + 4,
 * stripped = 4: the FCS), sub-agent id as configured, and a counter sample now and then. When
 * the file ends the agent's last, partly filled datagram is not flushed before exit, so the
 * final few packets (fewer than one datagram's worth) are never exported. Keeping pmacctd alive
 * with {@code pcap_savefile_wait: true} flushes them, but its plugin then re-sends about 50
 * already exported samples under new sequence numbers, which is worse for an exact comparison.
 */
public final class Pmacctd {
    static final Path BINARY = Path.of("/usr/sbin/pmacctd");
    private static final long TIMEOUT_SECONDS = 120;
    /** After pmacctd exits, a datagram still in flight on loopback arrives well within this. */
    private static final int QUIET_MILLIS = 1000;

    private Pmacctd() {
    }

    /** The pmacctd configuration that replays {@code pcap} as sFlow to 127.0.0.1:{@code port}. */
    static String config(Path pcap, int port, int samplingRate, String agentIp, int subAgent) {
        return String.join("\n",
                "daemonize: false",
                "pcap_savefile: " + pcap.toAbsolutePath(),
                "pcap_savefile_wait: false",    // exit when the file is done
                "plugins: sfprobe",
                "sfprobe_receiver: 127.0.0.1:" + port,
                "sfprobe_agentip: " + agentIp,
                "sfprobe_agentsubid: " + subAgent,
                "sampling_rate: " + samplingRate,
                "");
    }

    /**
     * Runs pmacctd over {@code pcap} and returns every datagram it sent, in arrival order.
     * Fails the test when pmacctd is not installed, does not exit in time or exits non-zero.
     */
    static List<byte[]> export(Path dir, Path pcap, int samplingRate, String agentIp, int subAgent)
            throws IOException, InterruptedException {
        List<byte[]> datagrams = Collections.synchronizedList(new ArrayList<>());
        try (DatagramSocket socket = new DatagramSocket(null)) {
            socket.setReceiveBufferSize(16 << 20);
            socket.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
            socket.setSoTimeout(50);
            Drain drain = new Drain(socket, datagrams);
            Thread t = new Thread(drain, "sflow-drain");
            t.start();
            try {
                replay(dir, pcap, socket.getLocalPort(), samplingRate, agentIp, subAgent);
            } finally {
                drain.stopAfterQuiet(QUIET_MILLIS);
                t.join();
            }
        }
        return datagrams;
    }

    /**
     * Runs pmacctd over {@code pcap}, sending sFlow to 127.0.0.1:{@code port}, and waits for it
     * to exit. Fails the test when pmacctd is missing, does not exit in time or exits non-zero.
     */
    public static void replay(Path dir, Path pcap, int port, int samplingRate, String agentIp, int subAgent)
            throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            fail(BINARY + " is missing: run .ci/install-tools (installs Debian's pmacct)");
        }
        Path conf = dir.resolve("pmacctd-" + samplingRate + "-" + port + ".conf");
        Files.writeString(conf, config(pcap, port, samplingRate, agentIp, subAgent));
        Path log = dir.resolve("pmacctd-" + samplingRate + "-" + port + ".log");
        Process p = new ProcessBuilder(BINARY.toString(), "-f", conf.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean exited = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        if (!exited) {
            // Only the processes this test started: pmacctd and its plugin children.
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        // pmacctd's core and its sfprobe plugin race to exit at the end of the file: when the
        // plugin goes first the core logs "no more plugins active" and exits 1. That is a
        // normal end; anything logged as an ERROR is not.
        String text = exited ? Files.readString(log) : "";
        boolean normalEnd = exited && (p.exitValue() == 0
                || text.contains("no more plugins active. Shutting down.") && !text.contains("ERROR"));
        if (!normalEnd) {
            fail("pmacctd " + (exited ? "exited " + p.exitValue() : "timed out") + "; log:\n" + Files.readString(log));
        }
    }

    /** Receives datagrams until told to stop and then nothing has arrived for a while. */
    private static final class Drain implements Runnable {
        private final DatagramSocket socket;
        private final List<byte[]> out;
        private volatile long stopAfterQuiet = -1;
        private volatile long lastArrival = System.nanoTime();

        Drain(DatagramSocket socket, List<byte[]> out) {
            this.socket = socket;
            this.out = out;
        }

        void stopAfterQuiet(int millis) {
            lastArrival = System.nanoTime();
            stopAfterQuiet = TimeUnit.MILLISECONDS.toNanos(millis);
        }

        @Override
        public void run() {
            byte[] buf = new byte[65_536];
            DatagramPacket packet = new DatagramPacket(buf, buf.length);
            while (true) {
                try {
                    packet.setLength(buf.length);
                    socket.receive(packet);
                    out.add(Arrays.copyOf(buf, packet.getLength()));
                    lastArrival = System.nanoTime();
                } catch (SocketTimeoutException e) {
                    long quiet = stopAfterQuiet;
                    if (quiet >= 0 && System.nanoTime() - lastArrival > quiet) {
                        return;
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("receiving sFlow from pmacctd", e);
                }
            }
        }
    }
}
