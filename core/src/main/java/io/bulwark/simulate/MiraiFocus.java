package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Small scenarios that each show one stage of Mirai's life cycle, for focused detector
 * tests: the LAN of {@link MiraiOutbreak} with a few of its benign devices (.1 the gateway
 * and resolver, .21 the smart plug, .22 the streaming hub and .30 the laptop, .41 the
 * 30-second HTTPS sensor, .42 the media stick on 8.8.8.8) and one Hikvision camera, .101,
 * that the stage is about.
 *
 * <ul>
 *   <li>{@code telnet-bruteforce} (3 min): the camera, already a bot, scans without pause
 *       from 10 s and brute-forces the telnet hosts that answer; the first lets it in at
 *       its second to fifth guess and is reported to port 48101. Truth: scan, bruteforce.</li>
 *   <li>{@code loader-wget}, {@code loader-tftp}, {@code loader-echo} (150 s): at 30 s the
 *       loader logs into the camera with root/xc3511 and installs the bot by that method.
 *       Truth: infection. The bot's own traffic is left out.</li>
 *   <li>{@code c2-keepalive} (5 min): at 20 s the bot resolves its CNC through 8.8.8.8,
 *       connects, says hello, and keeps the session alive (keepalives at 10 s, then every
 *       60 s). Truth: c2.</li>
 *   <li>{@code flood-<vector>} for each of Mirai's ten vectors (2 min): the camera floods
 *       one external victim for 40 s from 40 s, at the outbreak's rate. Truth: ddos with
 *       the vector; the victim is in {@link Simulator.Summary#victims()}.</li>
 * </ul>
 */
final class MiraiFocus implements Scenario {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    static final List<String> NAMES = names();

    private final String name;
    private final FocusLan lan = new FocusLan();
    private final Endpoint gateway = lan.gateway;
    private final Endpoint camera = lan.camera;
    private MiraiBot bot;
    private Loader loader;

    MiraiFocus(String name) {
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("not a focused Mirai scenario: " + name);
        }
        this.name = name;
    }

    private static List<String> names() {
        List<String> out = new ArrayList<>(List.of("telnet-bruteforce", "loader-wget", "loader-tftp", "loader-echo",
                "c2-keepalive"));
        for (String v : Simulator.VECTORS) {
            out.add("flood-" + v);
        }
        return List.copyOf(out);
    }

    /** The victim domain of the vectors that attack a name (dns water torture, http), else null. */
    static String domain(String vector) {
        return switch (vector) {
            case "dns" -> "shop.victim-retail.example";
            case "http" -> "www.victim-news.example";
            default -> null;
        };
    }

    /** Packets per second of each vector, as in the outbreak; http's rate is set by its connections. */
    static int rate(String vector) {
        return switch (vector) {
            case "vse", "syn" -> 1_000;
            case "dns" -> 300;
            case "greip", "greeth" -> 160;
            case "stomp" -> 120;
            default -> 200;
        };
    }

    @Override
    public long packetLimit(Simulator.Options opts) {
        return Long.MAX_VALUE;
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng;
        long end = start + switch (name) {
            case "telnet-bruteforce" -> 180 * SECOND;
            case "c2-keepalive" -> 300 * SECOND;
            case "loader-wget", "loader-tftp", "loader-echo" -> 150 * SECOND;
            default -> 120 * SECOND;
        };
        lan.benign(sim, start, end, rng);
        bot = new MiraiBot(camera, gateway, Internet.randomPublic(rng), Internet.randomPublic(rng), rng.split());
        switch (name) {
            case "telnet-bruteforce" -> bot.scan(sim, start + 10 * SECOND + rng.nextLong(SECOND), null, 0.0008, 0.1, true);
            case "c2-keepalive" -> bot.c2(sim, start + 20 * SECOND + rng.nextLong(SECOND), false);
            case "loader-wget", "loader-tftp", "loader-echo" -> {
                Loader.Method method = Loader.Method.valueOf(name.substring("loader-".length()).toUpperCase(java.util.Locale.ROOT));
                Endpoint host = new Endpoint(Internet.randomPublic(rng), gateway.mac());
                loader = new Loader(new Loader.Plan(host, camera, Mirai.CREDENTIALS.get(0), method,
                        30 * MS + rng.nextLong(90 * MS), Internet.remoteTtl(rng), 56_000 + rng.nextInt(8_000),
                        1_200 + rng.nextInt(1_400)), rng.split());
                loader.start(sim, start + 30 * SECOND + rng.nextLong(SECOND));
            }
            default -> {
                String vector = name.substring("flood-".length());
                bot.attack(sim, new MiraiBot.Attack(vector, start + 40 * SECOND + rng.nextLong(SECOND), 40 * SECOND,
                        rate(vector), Internet.randomPublic(rng), domain(vector)), sim.noise);
            }
        }
        return end;
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        List<Simulator.Behaviour> out = new ArrayList<>(bot.truth());
        if (loader != null && loader.firstNanos() >= 0) {
            out.add(new Simulator.Behaviour(camera.addr(), Simulator.INFECTION, loader.firstNanos()));
        }
        out.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return out;
    }

    @Override
    public List<IpAddr> benignHosts() {
        return lan.benignHosts();
    }

    @Override
    public List<IpAddr> victims() {
        return bot.victims();
    }
}
