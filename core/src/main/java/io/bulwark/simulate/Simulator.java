package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Writes seeded, deterministic pcap captures of simulated networks, for the bundled demo
 * sample, tests and benchmarks. The same scenario, seed and options always give the same
 * bytes: every random draw comes from a {@link java.util.SplittableRandom} seeded here and
 * every timestamp is traffic time counted from {@link Options#start()}, never the wall
 * clock. Output streams to the file through a fixed buffer, so memory does not grow with
 * the capture. Nothing is ever sent on a network.
 *
 * <ul>
 *   <li>{@code iot-lan-scan}: ten minutes of a home IoT LAN in which a DVR, after three
 *       benign minutes, starts Mirai-style telnet scanning (about 45,000 frames, 17 MB).</li>
 *   <li>{@code bench}: a busy /16 of 200 devices with scanners and UDP floods among them,
 *       exactly {@link Options#targetPackets()} frames at about 50,000 frames per second of
 *       traffic time; frames average about 890 bytes, so 12 million frames make about 10.7 GB.</li>
 *   <li>{@code syn-flood}: a spoofed SYN flood at a local web server, every packet a new flow
 *       from a random public source: the flow table's worst case.</li>
 * </ul>
 */
public final class Simulator {
    /** Ground-truth kind of a Mirai-style telnet scanner. */
    public static final String SCAN = "scan";
    /** Ground-truth kind of a UDP flood source. */
    public static final String UDP_FLOOD = "udp_flood";

    /**
     * @param start         traffic time of the first frame's scenario clock
     * @param targetPackets frames the {@code bench} scenario writes; ignored by {@code iot-lan-scan}
     */
    public record Options(Instant start, long targetPackets) {
        public static final Instant DEFAULT_START = Instant.parse("2026-01-15T10:00:00Z");
        public static final long DEFAULT_TARGET_PACKETS = 2_000_000;

        public Options {
            Objects.requireNonNull(start, "start");
            if (start.isBefore(Instant.EPOCH) || start.getEpochSecond() > 0xffff_ffffL - 86_400L * 365) {
                throw new IllegalArgumentException("start must fit a pcap timestamp: " + start);
            }
            if (targetPackets <= 0) {
                throw new IllegalArgumentException("targetPackets must be positive: " + targetPackets);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_START, DEFAULT_TARGET_PACKETS);
        }

        public Options withStart(Instant s) {
            return new Options(s, targetPackets);
        }

        public Options withTargetPackets(long n) {
            return new Options(start, n);
        }
    }

    /** A host that behaved maliciously, how ({@link #SCAN}, {@link #UDP_FLOOD}), and from when. */
    public record Behaviour(IpAddr host, String kind, long startNanos) {
    }

    /**
     * What was written: frame count and bytes (frame bytes, without pcap headers), the
     * traffic-time span of the frames, and the ground truth.
     */
    public record Summary(String scenario, long seed, long packets, long bytes, long firstNanos, long lastNanos,
                          List<Behaviour> malicious, List<IpAddr> benignHosts) {
        public Summary {
            malicious = List.copyOf(malicious);
            benignHosts = List.copyOf(benignHosts);
        }

        public Duration span() {
            return packets == 0 ? Duration.ZERO : Duration.ofNanos(lastNanos - firstNanos);
        }
    }

    private Simulator() {
    }

    public static List<String> scenarios() {
        return List.of("iot-lan-scan", "bench", "syn-flood");
    }

    /**
     * Writes {@code scenario} with {@code seed} to {@code out} (created or truncated).
     * Throws IllegalArgumentException for an unknown scenario.
     */
    public static Summary write(String scenario, long seed, Path out, Options opts) throws IOException {
        Objects.requireNonNull(opts, "opts");
        Scenario s = switch (scenario) {
            case "iot-lan-scan" -> new IotLanScan();
            case "bench" -> new Bench();
            case "syn-flood" -> new SpoofedSynFlood();
            default -> throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + scenarios());
        };
        long start = opts.start().getEpochSecond() * 1_000_000_000L + opts.start().getNano();
        try (PcapWriter w = new PcapWriter(out)) {
            Sim sim = new Sim(seed, w, s.packetLimit(opts), start);
            long end = s.setUp(sim, start, opts);
            sim.run(end);
            return new Summary(scenario, seed, w.packets(), w.bytes(), w.firstNanos(), w.lastNanos(),
                    s.malicious(), s.benignHosts());
        }
    }
}
