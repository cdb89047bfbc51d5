package io.bulwark.app.collect;

import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** nfdump's nfcapd as the reference collector: what it stored, per {@code nfdump -I}. */
final class Nfcapd {
    record Totals(long flows, long packets, long bytes) {
    }

    static Totals capture(Path dir, CollectIT.ExporterRun exporter) throws Exception {
        if (!Files.isExecutable(Path.of("/usr/bin/nfcapd"))) {
            throw new IllegalStateException("nfcapd is not installed: run .ci/install-tools");
        }
        Files.createDirectories(dir);
        int port;
        try (DatagramSocket probe = new DatagramSocket(0)) {
            port = probe.getLocalPort();
        }
        // -B: a large socket buffer, since export bursts arrive all at once.
        Process p = new ProcessBuilder("/usr/bin/nfcapd", "-w", dir.toString(), "-b", "127.0.0.1",
                "-p", String.valueOf(port), "-B", "33554432")
                .redirectErrorStream(true).redirectOutput(dir.resolve("nfcapd.log").toFile()).start();
        Path log = dir.resolve("nfcapd.log");
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.readString(log).contains("Startup")) {   // it has bound its socket
            if (System.nanoTime() > until || !p.isAlive()) {
                p.destroyForcibly();
                throw new IllegalStateException("nfcapd did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        exporter.run(port);
        Thread.sleep(1000);   // the last datagrams are on loopback
        p.toHandle().destroy();   // SIGTERM: nfcapd writes and closes its file
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("nfcapd did not stop");
        }
        Path file;
        try (Stream<Path> s = Files.list(dir)) {
            file = s.filter(f -> f.getFileName().toString().matches("nfcapd\\.\\d{12}")).findFirst().orElse(null);
        }
        if (file == null) {
            throw new IllegalStateException("nfcapd wrote no file: " + Files.readString(dir.resolve("nfcapd.log")));
        }
        Process info = new ProcessBuilder(List.of("/usr/bin/nfdump", "-r", file.toString(), "-I"))
                .redirectErrorStream(true).start();
        String text = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor(30, TimeUnit.SECONDS);
        return new Totals(field(text, "Flows"), field(text, "Packets"), field(text, "Bytes"));
    }

    private static long field(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + ": (\\d+)").matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in nfdump -I:\n" + text);
        }
        return Long.parseLong(m.group(1));
    }

    private Nfcapd() {
    }
}
