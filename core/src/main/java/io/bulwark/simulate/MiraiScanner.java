package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The telnet scanner of Mirai and its descendants, as a capture sees it. About once a
 * second the bot's loop sends a burst of SYNs (Mirai's SCANNER_RAW_PPS, 160; variants
 * 150 to 300) from a raw socket: random public targets (see {@link Internet}), port 23
 * nine times in ten and 2323 otherwise, the sequence number equal to the target address
 * (the fingerprint), a random IP id, TTL 64, no DF and a bare 20-byte TCP header. Classic
 * Mirai picks the source port (at least 1024) and window once per process; descendants
 * that redraw them per packet are modelled by {@code perPacketPortAndWindow}.
 *
 * <p>A few targets answer. A SYN-ACK is met by the bot's kernel with a RST, since no
 * socket owns the connection; a closed port answers RST-ACK; the rest stay silent. An
 * {@link Open} listener hears of every SYN-ACK, which is where Mirai's scanner starts its
 * telnet brute force ({@link TelnetBruteForce}).
 */
final class MiraiScanner implements Actor {
    /** Scanning spells and quiet spells; null scans without pause. */
    record Duty(long activeMinNanos, long activeMaxNanos, long pauseMinNanos, long pauseMaxNanos) {
    }

    static final double SYN_ACK_SHARE = 0.015;
    static final double RST_SHARE = 0.04;

    /** Told of each open port found, at the traffic time its SYN-ACK reaches the tap. */
    @FunctionalInterface
    interface Open {
        void open(long synAckNanos, Sim sim, int target, int port, long rttNanos, int ttl);
    }

    private final Endpoint bot;
    private final long gatewayMac;
    private final SplittableRandom rng;
    private final int burstSize;
    private final boolean perPacketPortAndWindow;
    private final Duty duty;
    private final int sourcePort;
    private final int window;
    private final double synAckShare;
    private final Open onOpen;
    private long firstSynNanos = -1;
    private long burstStart;
    private int remaining;
    private long spellEnd = Long.MAX_VALUE;

    MiraiScanner(Endpoint bot, long gatewayMac, SplittableRandom rng, boolean perPacketPortAndWindow, Duty duty) {
        this(bot, gatewayMac, rng, perPacketPortAndWindow, duty, SYN_ACK_SHARE, null);
    }

    /** A scanner whose targets answer SYN-ACK with probability {@code synAckShare}, each reported to {@code onOpen}. */
    MiraiScanner(Endpoint bot, long gatewayMac, SplittableRandom rng, boolean perPacketPortAndWindow, Duty duty,
                 double synAckShare, Open onOpen) {
        this.synAckShare = synAckShare;
        this.onOpen = onOpen;
        this.bot = bot;
        this.gatewayMac = gatewayMac;
        this.rng = rng;
        this.burstSize = 150 + rng.nextInt(151);
        this.perPacketPortAndWindow = perPacketPortAndWindow;
        this.duty = duty;
        this.sourcePort = 1024 + rng.nextInt(65536 - 1024);
        this.window = rng.nextInt(1 << 16);
    }

    /** Traffic time of the first SYN, or -1 before it. */
    long firstSynNanos() {
        return firstSynNanos;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        if (remaining == 0) {
            if (firstSynNanos >= 0 && duty != null && now >= spellEnd) {
                long pause = between(duty.pauseMinNanos, duty.pauseMaxNanos);
                spellEnd = now + pause + between(duty.activeMinNanos, duty.activeMaxNanos);
                return now + pause;
            }
            if (firstSynNanos < 0) {
                firstSynNanos = now;
                if (duty != null) {
                    spellEnd = now + between(duty.activeMinNanos, duty.activeMaxNanos);
                }
            }
            burstStart = now;
            remaining = burstSize;
        }
        sendSyn(now, sim);
        remaining--;
        if (remaining > 0) {
            // A small device's raw sendto() loop: tens of microseconds per packet.
            return now + 8_000 + rng.nextInt(30_000);
        }
        // The loop sleeps in select() until the next second ticks over.
        return Math.max(now + 1, burstStart + 950_000_000L + rng.nextLong(100_000_000L));
    }

    private void sendSyn(long now, Sim sim) throws IOException {
        int target = Internet.randomPublic(rng);
        int dport = rng.nextDouble() < 0.9 ? 23 : 2323;
        int sport = perPacketPortAndWindow ? rng.nextInt(1 << 16) : sourcePort;
        int win = perPacketPortAndWindow ? rng.nextInt(1 << 16) : window;
        Endpoint dst = new Endpoint(target, gatewayMac);
        bot.ipv4To(sim.frame(), dst, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), false)
                .tcp(sport, dport, target & 0xffff_ffffL, 0, Frame.SYN, win);
        sim.send();
        double answer = rng.nextDouble();
        if (answer < synAckShare + RST_SHARE) {
            long rtt = 15_000_000L + rng.nextLong(285_000_000L);
            int ttl = Internet.remoteTtl(rng);
            Burst reply = answer < synAckShare
                    ? synAckThenRst(dst, sport, dport, target, ttl)
                    : Burst.one((f, t) -> dst.ipv4To(f, bot, Frame.PROTO_TCP, ttl, 0, true)
                            .tcp(dport, sport, 0, (target + 1L) & 0xffff_ffffL, Frame.RST | Frame.ACK, 0));
            sim.at(now + rtt, reply);
            if (answer < synAckShare && onOpen != null) {
                onOpen.open(now + rtt, sim, target, dport, rtt, ttl);
            }
        }
    }

    /** An open telnet port answers as a Linux box would; the bot's kernel resets it. */
    private Burst synAckThenRst(Endpoint target, int sport, int dport, int targetIp, int ttl) {
        long isn = rng.nextLong(1L << 32);
        int id = rng.nextInt(1 << 16);
        long tsval = rng.nextLong(1L << 32);
        long ack = (targetIp + 1L) & 0xffff_ffffL;
        return Burst.exchange(
                (f, t) -> target.ipv4To(f, bot, Frame.PROTO_TCP, ttl, id, true)
                        .tcp(dport, sport, isn, ack, Frame.SYN | Frame.ACK, 14480)
                        .mss(1460).sackPermitted().timestamps(tsval, 0).nop().windowScale(4),
                20_000 + rng.nextInt(80_000),
                (f, t) -> bot.ipv4To(f, target, Frame.PROTO_TCP, 64, 0, true)
                        .tcp(sport, dport, ack, 0, Frame.RST, 0));
    }

    private long between(long min, long max) {
        return min + rng.nextLong(max - min + 1);
    }
}
