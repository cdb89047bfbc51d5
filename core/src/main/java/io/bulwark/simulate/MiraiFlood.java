package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Mirai's raw-socket floods (bot/attack_udp.c, attack_tcp.c, attack_gre.c) and its plain
 * UDP flood, with the CNC's default options, one packet per step at a steady rate:
 *
 * <ul>
 *   <li>udp: 512 random bytes, random source and destination ports and IP id, no DF.</li>
 *   <li>vse: to UDP 27015, {@code ff ff ff ff "TSource Engine Query" 00}, random source port.</li>
 *   <li>dns: water torture through the device's own resolver: A queries, RD set, random
 *       transaction id and source port, for a 12-character rand_alphastr label under the
 *       victim's domain. The resolver answers most with NXDOMAIN or SERVFAIL.</li>
 *   <li>syn: DF, random ports and sequence number, window 0 (never set), options MSS
 *       1400-1415, SACK-permitted, timestamps (random value, echo 0), NOP, window scale 6.</li>
 *   <li>ack: ACK only, random ports, sequence and acknowledgement numbers, one random window
 *       for the whole attack, 512 random bytes, no DF.</li>
 *   <li>greip: GRE (0x0800) carrying IPv4/UDP with 512 random bytes to random ports; DF
 *       outside and in; the inner source is one random address, the inner id is
 *       ~(outer id - 1000), and the inner destination is the victim (the CNC's
 *       {@code gcip=1}, which the scenarios send).</li>
 *   <li>greeth: the same inside GRE 0x6558 and an Ethernet header with random MACs.</li>
 *   <li>udpplain: an ordinary connected UDP socket: one source and destination port for the
 *       attack, DF, IP ids counting up from the kernel's start, 512 random bytes.</li>
 * </ul>
 *
 * Stomp and HTTP need connections; see {@link StompFlood} and {@link HttpFlood}.
 */
final class MiraiFlood implements Actor {
    static final int PAYLOAD = 512;
    static final int VSE_PORT = 27015;
    static final int LABEL = 12;

    private final String vector;
    private final Endpoint bot;
    private final Endpoint victim;
    private final Endpoint resolver;
    private final byte[] domain;
    private final long until;
    private final long meanGapNanos;
    private final SplittableRandom rng;
    private final int ackWindow;
    private final int greSource;
    private final int plainSourcePort;
    private final int plainDestinationPort;
    private int plainId;
    private long firstNanos = -1;

    /**
     * {@code resolver} and {@code domain} are used by the dns vector only; {@code victim}
     * is beyond the gateway (it carries the gateway's MAC).
     */
    MiraiFlood(String vector, Endpoint bot, Endpoint victim, Endpoint resolver, String domain, long until,
               int packetsPerSecond, SplittableRandom rng) {
        this.vector = vector;
        this.bot = bot;
        this.victim = victim;
        this.resolver = resolver;
        this.domain = domain == null ? null : Dns.name(domain);
        this.until = until;
        this.meanGapNanos = 1_000_000_000L / packetsPerSecond;
        this.rng = rng;
        this.ackWindow = rng.nextInt(1 << 16);
        this.greSource = rng.nextInt();
        this.plainSourcePort = 1024 + rng.nextInt(64512);
        this.plainDestinationPort = 1 + rng.nextInt(65535);
        this.plainId = rng.nextInt(1 << 16);
    }

    /**
     * Schedules one attack of {@code vector} from {@code at} for {@code durationNanos};
     * returns the traffic time of its first packet once sent (-1 before).
     */
    static LongSupplier launch(Sim sim, String vector, long at, Endpoint bot, Endpoint victim, Endpoint resolver,
                               String domain, long durationNanos, int packetsPerSecond, Noise noise, SplittableRandom rng) {
        long until = at + durationNanos;
        switch (vector) {
            case "stomp" -> {
                StompFlood f = new StompFlood(bot, victim, 80, until, packetsPerSecond, rng);
                sim.at(at, f);
                return f::firstNanos;
            }
            case "http" -> {
                HttpFlood f = new HttpFlood(bot, victim, domain, until, noise, rng);
                f.start(sim, at);
                return f::firstNanos;
            }
            case "udp", "vse", "dns", "syn", "ack", "greip", "greeth", "udpplain" -> {
                MiraiFlood f = new MiraiFlood(vector, bot, victim, resolver, domain, until, packetsPerSecond, rng);
                sim.at(at, f);
                return f::firstNanos;
            }
            default -> throw new IllegalArgumentException("unknown vector " + vector);
        }
    }

    long firstNanos() {
        return firstNanos;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        if (now > until) {
            return DONE;
        }
        if (firstNanos < 0) {
            firstNanos = now;
        }
        Frame f = sim.frame();
        int id = rng.nextInt(1 << 16);
        switch (vector) {
            case "udp" -> {
                bot.ipv4To(f, victim, Frame.PROTO_UDP, 64, id, false).udp(rng.nextInt(1 << 16), rng.nextInt(1 << 16));
                sim.noise.random(f, rng.nextLong(), PAYLOAD);
            }
            case "vse" -> bot.ipv4To(f, victim, Frame.PROTO_UDP, 64, id, false)
                    .udp(rng.nextInt(1 << 16), VSE_PORT).bytes(Mirai.VSE_PAYLOAD);
            case "dns" -> dns(f, now, sim, id);
            case "syn" -> bot.ipv4To(f, victim, Frame.PROTO_TCP, 64, id, true)
                    .tcp(rng.nextInt(1 << 16), rng.nextInt(1 << 16), rng.nextLong(1L << 32), 0, Frame.SYN, 0)
                    .mss(1400 + rng.nextInt(16)).sackPermitted().timestamps(rng.nextLong(1L << 32), 0).nop().windowScale(6);
            case "ack" -> {
                bot.ipv4To(f, victim, Frame.PROTO_TCP, 64, id, false).tcp(rng.nextInt(1 << 16), rng.nextInt(1 << 16),
                        rng.nextLong(1L << 32), rng.nextLong(1L << 32), Frame.ACK, ackWindow);
                sim.noise.random(f, rng.nextLong(), PAYLOAD);
            }
            case "greip", "greeth" -> {
                bot.ipv4To(f, victim, Frame.PROTO_GRE, 64, id, true);
                if (vector.equals("greip")) {
                    f.gre(Frame.ETHERTYPE_IPV4);
                } else {
                    f.gre(0x6558).innerEthernet(rng.nextLong() >>> 16, rng.nextLong() >>> 16, Frame.ETHERTYPE_IPV4);
                }
                f.ipv4(greSource, victim.ip(), Frame.PROTO_UDP, 64, ~(id - 1000) & 0xffff, true)
                        .udp(rng.nextInt(1 << 16), rng.nextInt(1 << 16));
                sim.noise.random(f, rng.nextLong(), PAYLOAD);
            }
            case "udpplain" -> {
                bot.udpTo(f, victim, plainSourcePort, plainDestinationPort, 64, plainId++ & 0xffff);
                sim.noise.random(f, rng.nextLong(), PAYLOAD);
            }
            default -> throw new IllegalStateException("not a raw vector: " + vector);
        }
        sim.send();
        return now + meanGapNanos / 2 + rng.nextLong(meanGapNanos);
    }

    /** Builds the query in {@code f} (the caller sends it) and schedules the resolver's answer. */
    private void dns(Frame f, long now, Sim sim, int id) {
        byte[] label = new byte[LABEL];
        for (int i = 0; i < LABEL; i++) {
            label[i] = (byte) Mirai.ALPHASET.charAt(rng.nextInt(Mirai.ALPHASET.length()));
        }
        int sport = rng.nextInt(1 << 16);
        int txid = rng.nextInt(1 << 16);
        bot.ipv4To(f, resolver, Frame.PROTO_UDP, 64, id, false).udp(sport, Dns.PORT);
        question(f.u16(txid).u16(0x0100), label);
        int fate = rng.nextInt(10);
        if (fate < 7) {
            // The victim's name servers, drowning, answer some names late and fail others.
            int flags = fate < 4 ? 0x8183 : 0x8182;
            long delay = fate < 4 ? 20_000_000L + rng.nextLong(200_000_000L) : 1_000_000_000L + rng.nextLong(2_000_000_000L);
            int replyId = rng.nextInt(1 << 16);
            sim.at(now + delay, Burst.one((fr, t) ->
                    question(resolver.udpTo(fr, bot, Dns.PORT, sport, 64, replyId).u16(txid).u16(flags), label)));
        }
    }

    /** Counts (one question) and the question: the random label, the victim's domain, type A, class IN. */
    private Frame question(Frame f, byte[] label) {
        return f.u16(1).u16(0).u16(0).u16(0).u8(LABEL).bytes(label).bytes(domain).u16(Dns.TYPE_A).u16(1);
    }
}
