package io.bulwark.decode.netflow;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives Debian's softflowd 1.1.0 as a real exporter: replays a pcap into a loopback UDP
 * socket opened here, and collects every datagram. softflowd with {@code -r} exports at
 * shutdown, and in {@code -d} mode may wait for a control command, so this polls
 * {@code softflowctl statistics} until every packet is processed, then asks it to shut down.
 * {@code -a} makes its clock follow the capture's timestamps, so export and flow times are the
 * pcap's; {@code -m} is above the capture's flow count, so no flow is expired early.
 */
public final class Softflowd {
    static final Path SOFTFLOWD = Path.of("/usr/sbin/softflowd");
    static final Path SOFTFLOWCTL = Path.of("/usr/sbin/softflowctl");
    private static final Pattern PROCESSED = Pattern.compile("Packets processed: (\\d+)");
    private static final Pattern EXPORTED = Pattern.compile(
            "Flows exported: (\\d+) \\((\\d+) records\\) in (\\d+) packets");
    private static final Pattern PROTOCOL = Pattern.compile("^\\s+\\S+ \\(\\d+\\):\\s+(\\d+)\\s+(\\d+)", Pattern.MULTILINE);

    /** What softflowd sent, and what its final statistics say it sent. */
    record Export(List<byte[]> datagrams, int exporterPort, long records, long exportPackets, long octets,
                  long packets, String log) {
    }

    private Softflowd() {
    }

    public static void requireInstalled() {
        if (!Files.isExecutable(SOFTFLOWD) || !Files.isExecutable(SOFTFLOWCTL)) {
            fail("softflowd is not installed (" + SOFTFLOWD + "): run .ci/install-tools");
        }
    }

    /** Replays {@code pcap} as NetFlow/IPFIX {@code version}; {@code options} are added to softflowd's. */
    static Export replay(Path pcap, int version, long pcapPackets, Path dir, String... options) throws Exception {
        requireInstalled();
        Sent sent;
        List<byte[]> datagrams = new ArrayList<>();
        int[] exporterPort = {-1};
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setReceiveBufferSize(32 << 20);
            socket.setSoTimeout(100);
            AtomicBoolean stop = new AtomicBoolean();
            Thread drain = new Thread(() -> {
                byte[] buf = new byte[65_535];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                long quietSince = System.nanoTime();
                while (!stop.get() || System.nanoTime() - quietSince < 500_000_000L) {
                    try {
                        p.setLength(buf.length);
                        socket.receive(p);
                        synchronized (datagrams) {
                            datagrams.add(Arrays.copyOf(buf, p.getLength()));
                            exporterPort[0] = p.getPort();
                        }
                        quietSince = System.nanoTime();
                    } catch (SocketTimeoutException e) {
                        // poll the stop flag
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "softflowd-drain");
            drain.start();
            try {
                sent = send(pcap, version, pcapPackets, socket.getLocalPort(), dir, options);
            } finally {
                stop.set(true);
                drain.join();
            }
        }
        return new Export(datagrams, exporterPort[0], sent.records(), sent.exportPackets(), sent.octets(),
                sent.packets(), sent.log());
    }

    /** What softflowd's final statistics say it sent. */
    public record Sent(long records, long exportPackets, long octets, long packets, String log) {
    }

    /**
     * Runs softflowd over {@code pcap} ({@code pcapPackets} long), exporting to
     * 127.0.0.1:{@code port}, until it has processed every packet and shut down.
     */
    public static Sent send(Path pcap, int version, long pcapPackets, int port, Path dir, String... options)
            throws Exception {
        requireInstalled();
        String name = "softflowd-v" + version + "-" + port + String.join("", options).replace(' ', '_');
        Path ctl = dir.resolve(name + ".ctl");
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(SOFTFLOWD.toString(), "-d", "-a",
                "-r", pcap.toString(),
                "-n", "127.0.0.1:" + port,
                "-v", Integer.toString(version),
                "-c", ctl.toString(),
                "-p", dir.resolve(name + ".pid").toString(),
                "-T", "full",
                "-m", "1000000"));
        command.addAll(List.of(options));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
            Matcher m = PROCESSED.matcher(ctl(ctl, "statistics"));
            if (m.find() && Long.parseLong(m.group(1)) >= pcapPackets) {
                ctl(ctl, "shutdown");
                break;
            }
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("softflowd did not shut down; log: " + Files.readString(log));
        }
        String text = Files.readString(log);
        Matcher e = EXPORTED.matcher(text);
        if (!e.find()) {
            fail("no export statistics in softflowd's log: " + text);
        }
        long octets = 0;
        long packets = 0;
        Matcher proto = PROTOCOL.matcher(text.substring(text.indexOf("Per-protocol statistics")));
        while (proto.find()) {
            octets += Long.parseLong(proto.group(1));
            packets += Long.parseLong(proto.group(2));
        }
        return new Sent(Long.parseLong(e.group(2)), Long.parseLong(e.group(3)), octets, packets, text);
    }

    private static String ctl(Path ctl, String command) throws IOException, InterruptedException {
        if (!Files.exists(ctl)) {
            return "";
        }
        Process c = new ProcessBuilder(SOFTFLOWCTL.toString(), "-c", ctl.toString(), command)
                .redirectErrorStream(true).start();
        String out = new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        c.waitFor(10, TimeUnit.SECONDS);
        return out;
    }
}
