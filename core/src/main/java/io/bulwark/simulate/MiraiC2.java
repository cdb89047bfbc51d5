package io.bulwark.simulate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A bot and its CNC (bot/main.c, bot/resolv.c, cnc/main.go, cnc/bot.go). The bot resolves
 * the CNC's name through 8.8.8.8, hard-coded in resolv.c whatever resolver the network
 * hands out, and connects to the CNC on TCP port 23. It says hello (00 00 00 01), then its
 * id, length-prefixed, in a second segment (Nagle holds it for the first one's ACK). Its
 * main loop waits in select() for 10 s at a time and sends a 2-byte keepalive 00 00 on
 * every sixth idle wakeup, the first one straight away: the first keepalive 10 s after
 * connecting, then one every 60 s plus the round trip; the CNC echoes each. An attack
 * command (see {@link Mirai#attackCommand}) is pushed by the CNC whenever the botmaster
 * issues one. A bot already running when the capture starts is joined midway, its first
 * packet a keepalive. The tap is next to the bot.
 */
final class MiraiC2 {
    /** A command the CNC pushes at traffic time {@code atNanos}. */
    record Command(long atNanos, byte[] bytes) {
    }

    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;

    private final Endpoint bot;
    private final long gatewayMac;
    private final int cnc;
    private final List<Command> commands;
    private final SplittableRandom rng;
    private final long rttNanos;
    private long firstNanos = -1;

    MiraiC2(Endpoint bot, long gatewayMac, int cnc, List<Command> commands, SplittableRandom rng) {
        this.bot = bot;
        this.gatewayMac = gatewayMac;
        this.cnc = cnc;
        this.commands = List.copyOf(commands);
        this.rng = rng;
        this.rttNanos = 30 * MS + rng.nextLong(120 * MS);
    }

    /** Traffic time of the bot's first C2 packet (its lookup, or a joined session's first keepalive), or -1. */
    long firstNanos() {
        return firstNanos;
    }

    /**
     * Starts the bot's C2 at {@code at}: the lookup and the connection, or, when
     * {@code joined}, a connection that was up before the capture began.
     */
    void start(Sim sim, long at, boolean joined) {
        long connectAt = at;
        if (!joined) {
            long dnsRtt = 15 * MS + rng.nextLong(30 * MS);
            Burst lookup = Dns.lookup(bot, new Endpoint(Mirai.RESOLVER, gatewayMac), 32768 + rng.nextInt(28000),
                    rng.nextInt(1 << 16), Dns.name(Mirai.CNC_DOMAIN), new int[] {cnc}, 60, dnsRtt, 50 + rng.nextInt(10));
            sim.at(at, (now, s) -> {
                if (firstNanos < 0) {
                    firstNanos = now;
                }
                return lookup.step(now, s);
            });
            connectAt = at + dnsRtt + 200_000 + rng.nextLong(800_000);
        }
        TcpSession.Plan p = new TcpSession.Plan(bot, 32768 + rng.nextInt(28000), new Endpoint(cnc, gatewayMac),
                Mirai.CNC_PORT, rttNanos, 100_000 + rng.nextLong(900_000), 100_000, 100_000, Internet.remoteTtl(rng),
                true, joined, TcpSession.Close.CLIENT_FIN, script(sim, at, joined));
        sim.at(connectAt, new TcpSession(p, rng.split()));
    }

    private TcpSession.Script script(Sim sim, long at, boolean joined) {
        long[] nextPing = {joined ? at + rng.nextLong(60 * SECOND) : Long.MAX_VALUE};
        int[] nextCommand = {0};
        while (nextCommand[0] < commands.size() && commands.get(nextCommand[0]).atNanos < at) {
            nextCommand[0]++;
        }
        int opening = joined ? 0 : 2;
        return i -> {
            long now = sim.now();
            if (i < opening) {
                if (i == 0) {
                    return new TcpSession.Exchange(200_000, new Payload.Bytes(Mirai.HELLO), null);
                }
                nextPing[0] = now + 10 * SECOND;
                return new TcpSession.Exchange(50_000, new Payload.Bytes(Mirai.botId(Mirai.ID)), null);
            }
            long commandAt = nextCommand[0] < commands.size() ? commands.get(nextCommand[0]).atNanos : Long.MAX_VALUE;
            if (commandAt <= nextPing[0] && commandAt != Long.MAX_VALUE) {
                byte[] bytes = commands.get(nextCommand[0]++).bytes;
                if (firstNanos < 0) {
                    firstNanos = Math.max(now, commandAt);
                }
                return new TcpSession.Exchange(Math.max(0, commandAt - now), null, new Payload.Bytes(bytes));
            }
            long t = Math.max(now, nextPing[0]);
            nextPing[0] = t + 60 * SECOND + rttNanos;
            if (firstNanos < 0) {
                firstNanos = t;
            }
            return new TcpSession.Exchange(t - now, new Payload.Bytes(Mirai.KEEPALIVE), new Payload.Bytes(Mirai.KEEPALIVE));
        };
    }
}
