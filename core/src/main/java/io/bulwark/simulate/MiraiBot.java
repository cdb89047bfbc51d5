package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * One infected device on the monitored network and everything its Mirai bot does, with
 * the ground truth of when each behaviour began: attacks ordered by its CNC (each command
 * pushed over the C2 connection a few milliseconds before the flood starts), the C2
 * connection itself, and the scanner with the telnet brute force it starts on every host
 * that answers. Call {@link #attack} for every attack before {@link #c2}, which needs the
 * commands. Not thread-safe.
 */
final class MiraiBot {
    private static final long MS = 1_000_000L;
    private static final long SECOND = 1_000_000_000L;

    /** A flood the botmaster orders: vector, start, length, rate, victim (beyond the gateway), domain for dns and http. */
    record Attack(String vector, long atNanos, long durationNanos, int packetsPerSecond, int victim, String domain) {
    }

    private final Endpoint device;
    private final Endpoint gateway;
    private final int cnc;
    private final int reportServer;
    private final SplittableRandom rng;
    private final List<MiraiC2.Command> commands = new ArrayList<>();
    private final List<LongSupplier> attackStarts = new ArrayList<>();
    private final List<Attack> attacks = new ArrayList<>();
    private final List<TelnetBruteForce> bruteForces = new ArrayList<>();
    private MiraiC2 c2;
    private MiraiScanner scanner;
    private int opened;
    /** When the first scan report's connection to the report server started (MAX_VALUE: none yet). */
    private long firstReport = Long.MAX_VALUE;

    /** {@code gateway} is the LAN's router and resolver; {@code cnc} and {@code reportServer} are public addresses. */
    MiraiBot(Endpoint device, Endpoint gateway, int cnc, int reportServer, SplittableRandom rng) {
        this.device = device;
        this.gateway = gateway;
        this.cnc = cnc;
        this.reportServer = reportServer;
        this.rng = rng;
    }

    Endpoint device() {
        return device;
    }

    /** Schedules one flood and, for {@link #c2}, the CNC command that orders it. */
    void attack(Sim sim, Attack a, Noise noise) {
        long commandAt = a.atNanos - 2 * MS - rng.nextLong(4 * MS);
        int seconds = (int) ((a.durationNanos + SECOND - 1) / SECOND);
        byte[] command = switch (a.vector) {
            case "dns" -> Mirai.attackCommand("dns", a.victim, seconds, Mirai.OPT_DOMAIN, a.domain);
            case "stomp" -> Mirai.attackCommand("stomp", a.victim, seconds, Mirai.OPT_DPORT, 80);
            case "greip", "greeth" -> Mirai.attackCommand(a.vector, a.victim, seconds, Mirai.OPT_GRE_CONSTIP, 1);
            case "http" -> Mirai.attackCommand("http", a.victim, seconds, Mirai.OPT_DOMAIN, a.domain,
                    Mirai.OPT_CONNS, HttpFlood.CONNECTIONS);
            default -> Mirai.attackCommand(a.vector, a.victim, seconds);
        };
        commands.add(new MiraiC2.Command(commandAt, command));
        attacks.add(a);
        attackStarts.add(MiraiFlood.launch(sim, a.vector, a.atNanos, device, new Endpoint(a.victim, gateway.mac()),
                gateway, a.domain, a.durationNanos, a.packetsPerSecond, noise, rng.split()));
    }

    /** Starts the C2 at {@code at}: a fresh lookup and connection, or one already up ({@code joined}). */
    void c2(Sim sim, long at, boolean joined) {
        commands.sort((x, y) -> Long.compare(x.atNanos(), y.atNanos()));
        c2 = new MiraiC2(device, gateway.mac(), cnc, commands, rng.split());
        c2.start(sim, at, joined);
    }

    /**
     * Starts the scanner at {@code at}. Of the hosts that answer ({@code synAckShare} of the
     * SYNs), the bot brute-forces every one: about half accept and never speak, most of the
     * rest refuse ten guesses, one in {@code 1 / successShare} lets a guess in and is
     * reported. With {@code firstSucceeds} the first host found does, at its second to
     * fifth try.
     */
    void scan(Sim sim, long at, MiraiScanner.Duty duty, double synAckShare, double successShare, boolean firstSucceeds) {
        SplittableRandom r = rng.split();
        scanner = new MiraiScanner(device, gateway.mac(), rng.split(), false, duty, synAckShare,
                (synAck, s, target, port, rtt, ttl) -> {
                    TelnetBruteForce.Outcome outcome;
                    double draw = r.nextDouble();
                    if (opened++ == 0 && firstSucceeds || draw < successShare) {
                        outcome = TelnetBruteForce.Outcome.SUCCEEDS;
                    } else {
                        outcome = draw < successShare + 0.45 ? TelnetBruteForce.Outcome.ALL_WRONG
                                : TelnetBruteForce.Outcome.SILENT;
                    }
                    Endpoint remote = new Endpoint(target, gateway.mac());
                    TelnetBruteForce.Plan plan = new TelnetBruteForce.Plan(device, remote, port, false, rtt, ttl);
                    TelnetBruteForce bf = new TelnetBruteForce(plan, outcome, 2 + r.nextInt(4), r.split(),
                            (now, s2, c) -> firstReport = Math.min(firstReport, TelnetBruteForce.report(s2,
                                    now + 2 * MS + r.nextLong(5 * MS), device, gateway.mac(), reportServer, target, port, c,
                                    r.split())));
                    bruteForces.add(bf);
                    // The raw socket is read when select() next returns: within a second.
                    bf.start(s, synAck + 1 * MS + r.nextLong(SECOND));
                });
        sim.at(at, scanner);
    }

    /** The bot's part of the ground truth: c2, scan, outbound bruteforce, and a ddos per attack. */
    List<Simulator.Behaviour> truth() {
        List<Simulator.Behaviour> out = new ArrayList<>();
        IpAddr host = device.addr();
        // Contact with the C2 infrastructure starts with the CNC session or with the first scan
        // report to the report server (Mirai's loader side), whichever comes first.
        long cncFirst = c2 != null && c2.firstNanos() >= 0 ? c2.firstNanos() : Long.MAX_VALUE;
        long c2First = Math.min(cncFirst, firstReport);
        if (c2First != Long.MAX_VALUE) {
            out.add(new Simulator.Behaviour(host, Simulator.C2, c2First));
        }
        if (scanner != null && scanner.firstSynNanos() >= 0) {
            out.add(new Simulator.Behaviour(host, Simulator.SCAN, scanner.firstSynNanos()));
        }
        long firstGuess = bruteForces.stream().mapToLong(TelnetBruteForce::firstSynNanos).filter(t -> t >= 0).min().orElse(-1);
        if (firstGuess >= 0) {
            out.add(new Simulator.Behaviour(host, Simulator.BRUTEFORCE, firstGuess));
        }
        for (int i = 0; i < attacks.size(); i++) {
            long first = attackStarts.get(i).getAsLong();
            if (first >= 0) {
                out.add(new Simulator.Behaviour(host, Simulator.DDOS, first, attacks.get(i).vector));
            }
        }
        return out;
    }

    /** Victims of the attacks that started, in the order they were planned. */
    List<IpAddr> victims() {
        List<IpAddr> out = new ArrayList<>();
        for (int i = 0; i < attacks.size(); i++) {
            if (attackStarts.get(i).getAsLong() >= 0) {
                out.add(IpAddr.ofV4(attacks.get(i).victim));
            }
        }
        return out;
    }

    /** The victim of this bot's attack with {@code vector}. */
    IpAddr victimOf(String vector) {
        return attacks.stream().filter(a -> a.vector.equals(vector)).map(a -> IpAddr.ofV4(a.victim)).findFirst().orElseThrow();
    }
}
