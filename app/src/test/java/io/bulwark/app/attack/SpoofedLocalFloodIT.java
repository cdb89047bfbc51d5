package io.bulwark.app.attack;

import io.bulwark.simulate.Simulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The attack of issue 26: a capture of small SYN and UDP frames from random 10.0.0.0/8
 * sources with random MACs (every frame a new local "device") once kept one full detector
 * state per flow alive and died with OutOfMemoryError in a 1 GiB heap after about 600k frames,
 * writing nothing. The shaded jar now analyses 600k such frames in -Xmx1g, completes, counts
 * the refused and dropped devices, and writes its outputs; and a real device that talked
 * before the flood is still reported.
 */
class SpoofedLocalFloodIT {
    @TempDir
    Path dir;

    @Test
    void spoofedLocalSources_600kFrames_completeInOneGibibyteWithTheBoundCounted() throws Exception {
        Path flood = dir.resolve("flood.pcap");
        Simulator.write("spoofed-local", 7, flood, Simulator.Options.defaults().withTargetPackets(600_000));
        // A real scanner on the LAN before the flood: its incident must survive the flood.
        Path scan = dir.resolve("scan.pcap");
        Simulator.write("iot-lan-scan", 1, scan, Simulator.Options.defaults());
        Path out = dir.resolve("out");
        Path jar = Path.of("target", "bulwark.jar").toAbsolutePath();
        Path log = dir.resolve("analyze.log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-XX:+UseParallelGC", "-jar", jar.toString(), "analyze", scan.toString(), flood.toString(),
                "--out", out.toString(), "--no-store")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("finished in time").isTrue();
        String text = Files.readString(log);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(text).doesNotContain("OutOfMemoryError").doesNotContain("Exception");
        String events = Files.readString(out.resolve("events.ndjson"));
        assertThat(events).contains("device_admission_refused");
        assertThat(Files.readString(out.resolve("incidents.ndjson"))).contains("\"kind\":\"scan\"");
    }
}
