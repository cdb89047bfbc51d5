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
 *   <li>{@code spoofed-local}: SYN and UDP frames from random 10.0.0.0/8 sources with random
 *       MACs, every frame a new local device: the device table's worst case.</li>
 *   <li>{@code mirai-outbreak}: twenty minutes of a home LAN where Mirai brute-forces and
 *       infects three cameras/DVRs (a fourth is a bot already), which then talk to their CNC,
 *       scan and brute-force the Internet and run all ten of Mirai's floods, while a spoofed
 *       SYN flood hits the LAN's NAS (about 250,000 frames, 55 MB); see {@link MiraiOutbreak}.</li>
 *   <li>{@code variant-p2p}: eight minutes of a home LAN where a camera is taken over by a bot
 *       unlike Mirai (DHT command and control, exploit-port scanning, a pulsing ping flood);
 *       see {@link P2pVariant}.</li>
 *   <li>{@code telnet-bruteforce}, {@code loader-wget}, {@code loader-tftp},
 *       {@code loader-echo}, {@code c2-keepalive} and {@code flood-<vector>} for each of
 *       {@link #VECTORS}: one stage of that life cycle each, 2 to 5 minutes, a few thousand
 *       to about 60,000 frames; see {@link MiraiFocus}.</li>
 * </ul>
 *
 * Ground truth ({@link Summary#malicious()}) uses the incident contract's kinds: scan,
 * bruteforce, infection, c2, ddos (with {@link Behaviour#vector()}) and ddos_target.
 */
public final class Simulator {
    /** Ground-truth kind of a Mirai-style telnet scanner. */
    public static final String SCAN = "scan";
    /** Telnet credential guessing; the host is the local device, whether it guesses or is guessed at. */
    public static final String BRUTEFORCE = "bruteforce";
    /** A loader logging in and installing the bot; the host is the infected device. */
    public static final String INFECTION = "infection";
    /** A bot talking to its command-and-control server. */
    public static final String C2 = "c2";
    /** A flood sent by the host; {@link Behaviour#vector()} names Mirai's attack vector. */
    public static final String DDOS = "ddos";
    /** A flood received by the host, which is its victim; {@link Behaviour#vector()} names the vector. */
    public static final String DDOS_TARGET = "ddos_target";
    /** Behaviour no specific detector knows: the anomaly detector's (the {@code variant-p2p} bot). */
    public static final String ANOMALY = "anomaly";
    /** Mirai's ten attack vectors, by the names its CNC uses (the incident contract's {@code vector}). */
    public static final List<String> VECTORS =
            List.of("udp", "vse", "dns", "syn", "ack", "stomp", "greip", "greeth", "udpplain", "http");

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

    /**
     * A host that behaved maliciously (or, for {@link #DDOS_TARGET}, the local victim), how,
     * and from when: the traffic time of the behaviour's first packet, in Unix epoch
     * nanoseconds (the pcap keeps microseconds). {@code vector} is one of {@link #VECTORS}
     * for {@link #DDOS} and {@link #DDOS_TARGET}, and null for every other kind.
     */
    public record Behaviour(IpAddr host, String kind, long startNanos, String vector) {
        public Behaviour {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(kind, "kind");
        }

        /** A behaviour without a vector. */
        public Behaviour(IpAddr host, String kind, long startNanos) {
            this(host, kind, startNanos, null);
        }
    }

    /**
     * What was written: frame count and bytes (frame bytes, without pcap headers), the
     * traffic-time span of the frames, and the ground truth. {@code victims} are the addresses
     * the scenario's floods were aimed at, outside the network and inside it, in the order
     * the floods started.
     */
    public record Summary(String scenario, long seed, long packets, long bytes, long firstNanos, long lastNanos,
                          List<Behaviour> malicious, List<IpAddr> benignHosts, List<IpAddr> victims) {
        public Summary {
            malicious = List.copyOf(malicious);
            benignHosts = List.copyOf(benignHosts);
            victims = List.copyOf(victims);
        }

        public Duration span() {
            return packets == 0 ? Duration.ZERO : Duration.ofNanos(lastNanos - firstNanos);
        }
    }

    private Simulator() {
    }

    public static List<String> scenarios() {
        List<String> out = new java.util.ArrayList<>(List.of("iot-lan-scan", "bench", "syn-flood", "mirai-outbreak", "variant-p2p", "spoofed-local"));
        out.addAll(MiraiFocus.NAMES);
        return List.copyOf(out);
    }

    /**
     * Writes {@code scenario} with {@code seed} to {@code out} (created or truncated).
     * Throws IllegalArgumentException for an unknown scenario.
     */
    public static Summary write(String scenario, long seed, Path out, Options opts) throws IOException {
        return write(scenario, seed, out, opts, null);
    }

    /** True when {@code scenario} can write per-frame labels (its malicious actors are marked). */
    public static boolean labelled(String scenario) {
        return scenario(scenario).labelled();
    }

    /**
     * As {@link #write(String, long, Path, Options)}, and when {@code labels} is not null also the
     * per-frame ground truth there: a header line, then one line per frame in capture order,
     * {@code 1} for a frame a malicious actor caused (its own packets and the replies to them),
     * {@code 0} otherwise. Only for {@link #labelled} scenarios.
     */
    public static Summary write(String scenario, long seed, Path out, Options opts, Path labels) throws IOException {
        Objects.requireNonNull(opts, "opts");
        Scenario s = scenario(scenario);
        if (labels != null && !s.labelled()) {
            throw new IllegalArgumentException("scenario " + scenario + " has no per-frame labels");
        }
        long start = opts.start().getEpochSecond() * 1_000_000_000L + opts.start().getNano();
        try (PcapWriter w = new PcapWriter(out);
             java.io.Writer lw = labels == null ? null : java.nio.file.Files.newBufferedWriter(labels)) {
            if (lw != null) {
                lw.write(LABELS_HEADER + ": " + scenario + " seed " + seed + "; one line per frame, 1 = caused by a malicious actor\n");
            }
            Sim sim = new Sim(seed, w, s.packetLimit(opts), start, lw == null ? null : m -> lw.write(m ? "1\n" : "0\n"));
            long end = s.setUp(sim, start, opts);
            sim.run(end);
            return new Summary(scenario, seed, w.packets(), w.bytes(), w.firstNanos(), w.lastNanos(),
                    s.malicious(), s.benignHosts(), s.victims());
        }
    }

    /** First line of a labels file. */
    public static final String LABELS_HEADER = "# bulwark simulate labels v1";

    private static Scenario scenario(String scenario) {
        return switch (scenario) {
            case "iot-lan-scan" -> new IotLanScan();
            case "bench" -> new Bench();
            case "syn-flood" -> new SpoofedSynFlood();
            case "spoofed-local" -> new SpoofedLocalFlood();
            case "mirai-outbreak" -> new MiraiOutbreak();
            case "variant-p2p" -> new P2pVariant();
            default -> {
                if (!MiraiFocus.NAMES.contains(scenario)) {
                    throw new IllegalArgumentException("unknown scenario " + scenario + "; known: " + scenarios());
                }
                yield new MiraiFocus(scenario);
            }
        };
    }
}
