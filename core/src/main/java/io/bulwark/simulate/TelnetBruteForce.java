package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * Mirai's scanner guessing the telnet login of one device that answered its SYN
 * (scanner.c). Each try is a new connection from a kernel socket with a credential drawn
 * by weight from {@link Mirai#CREDENTIALS}: options, user name, password. A wrong one gets
 * "Login incorrect" and the device hangs up; the bot connects again at once with a fresh
 * draw, ten tries at most. A right one gets a shell, where the bot types "enable",
 * "system", "shell", "sh" and "/bin/busybox MIRAI", reads "MIRAI: applet not found",
 * closes, and hands the login to {@link Found} (the bot's report to its report server).
 * A device that accepts the connection and never speaks is dropped after the scanner's
 * 30-second timeout.
 */
final class TelnetBruteForce {
    static final int MAX_TRIES = 10;
    private static final long MS = Telnet.MS;
    private static final long TIMEOUT = 30_000 * MS;

    enum Outcome { SILENT, ALL_WRONG, SUCCEEDS }

    /** Called at the traffic time the bot closes the successful session. */
    @FunctionalInterface
    interface Found {
        void found(long now, Sim sim, Mirai.Credential credential);
    }

    /**
     * Who guesses at whom. Exactly one of the two is on the monitored network; the other
     * carries the gateway's MAC. {@code deviceIsLocal} puts the tap next to the device.
     */
    record Plan(Endpoint bot, Endpoint device, int port, boolean deviceIsLocal, long rttNanos, int remoteTtl) {
    }

    private final Plan plan;
    private final Outcome outcome;
    private final SplittableRandom rng;
    private final Telnet.Device device;
    private final Mirai.Credential secret;
    private final Mirai.Credential[] drawn;
    private final Found found;
    private final Telnet.Timing timing;
    private int nextPort;
    private int tries;
    private long firstSynNanos = -1;

    /**
     * {@code successTry} (1 to {@value #MAX_TRIES}) is the try whose draw the device
     * accepts when the outcome is {@link Outcome#SUCCEEDS}; an earlier draw of the same
     * credential succeeds earlier, as it would.
     */
    TelnetBruteForce(Plan plan, Outcome outcome, int successTry, SplittableRandom rng, Found found) {
        this.plan = plan;
        this.outcome = outcome;
        this.rng = rng;
        this.found = found;
        this.device = Telnet.randomDevice(rng);
        this.timing = new Telnet.Timing(plan.rttNanos, plan.deviceIsLocal, rng.split());
        this.nextPort = 32768 + rng.nextInt(28000);
        // Draw the bot's credentials up front so that the device's password can be one of them.
        Mirai.Credential[] draws = new Mirai.Credential[MAX_TRIES];
        for (int i = 0; i < MAX_TRIES; i++) {
            draws[i] = Mirai.drawCredential(rng);
        }
        this.secret = outcome == Outcome.SUCCEEDS ? draws[Math.max(1, Math.min(MAX_TRIES, successTry)) - 1] : null;
        this.drawn = draws;
    }

    /** Starts the first connection at {@code at}. */
    void start(Sim sim, long at) {
        sim.at(at, session(sim));
    }

    /** Traffic time of the first SYN, or -1 before it. */
    long firstSynNanos() {
        return firstSynNanos;
    }

    private Actor session(Sim sim) {
        Mirai.Credential c = drawn[tries];
        tries++;
        Dialog d = new Dialog();
        TcpSession.Close close;
        Dialog.End end = null;
        if (outcome == Outcome.SILENT) {
            d.pause(TIMEOUT + rng.nextLong(1_000 * MS));
            close = TcpSession.Close.CLIENT_FIN;
        } else {
            boolean ok = c.equals(secret);
            Telnet.opening(d, device, timing);
            Telnet.login(d, device, c, ok, timing, timing.think());
            if (ok) {
                for (String cmd : new String[] {"enable", "system", "shell"}) {
                    Telnet.command(d, cmd, Telnet.notFound(cmd), timing);
                }
                Telnet.command(d, "sh", device.shellBanner().substring(2), timing);
                Telnet.command(d, Mirai.SCAN_QUERY, Mirai.SCAN_RESPONSE + "\r\n", timing);
                close = TcpSession.Close.CLIENT_FIN;
                end = (now, s) -> {
                    if (found != null) {
                        found.found(now, s, c);
                    }
                };
            } else {
                close = TcpSession.Close.SERVER_FIN;
                if (tries < MAX_TRIES) {
                    // The device's FIN makes recv() return 0; the bot reconnects in the same pass of its loop.
                    end = (now, s) -> s.at(now + 2 * plan.rttNanos + 500_000 + rng.nextLong(3 * MS), session(s));
                }
            }
        }
        nextPort += 1 + rng.nextInt(4);
        if (nextPort > 60999) {
            nextPort = 32768;
        }
        TcpSession.Plan p = new TcpSession.Plan(plan.bot, nextPort, plan.device, plan.port, plan.rttNanos,
                3 * MS + rng.nextLong(25 * MS), 100_000, 200_000, plan.remoteTtl, true, false, close,
                d.script(sim, end), plan.deviceIsLocal);
        TcpSession session = new TcpSession(p, rng.split());
        return (now, s) -> {
            if (firstSynNanos < 0) {
                firstSynNanos = now;
            }
            return session.step(now, s);
        };
    }

    /**
     * The bot's report of a working login (report_working): a lookup of the report
     * server's name through 8.8.8.8, then a connection to port 48101 carrying a zero byte,
     * then (once that is acknowledged) the victim's address, port, user and password.
     */
    /** Schedules the scan report; returns the traffic time its TCP connection to the report server starts. */
    static long report(Sim sim, long at, Endpoint bot, long gatewayMac, int reportServer, int victim, int port,
                       Mirai.Credential c, SplittableRandom rng) {
        Endpoint resolver = new Endpoint(Mirai.RESOLVER, gatewayMac);
        long dnsRtt = 15 * MS + rng.nextLong(30 * MS);
        sim.at(at, Dns.lookup(bot, resolver, 32768 + rng.nextInt(28000), rng.nextInt(1 << 16),
                Dns.name(Mirai.REPORT_DOMAIN), new int[] {reportServer}, 300, dnsRtt, 50 + rng.nextInt(10)));
        long rtt = 40 * MS + rng.nextLong(120 * MS);
        Dialog d = new Dialog()
                .client(100_000, new Payload.Bytes(new byte[1]), null)
                .client(50_000, new Payload.Bytes(Mirai.report(victim, port, c)), null);
        TcpSession.Plan p = new TcpSession.Plan(bot, 32768 + rng.nextInt(28000), new Endpoint(reportServer, gatewayMac),
                Mirai.REPORT_PORT, rtt, MS, 100_000, 200_000, Internet.remoteTtl(rng), true, false,
                TcpSession.Close.CLIENT_FIN, d.script());
        long start = at + dnsRtt + 300_000 + rng.nextLong(MS);
        sim.at(start, new TcpSession(p, rng.split()));
        return start;
    }
}
