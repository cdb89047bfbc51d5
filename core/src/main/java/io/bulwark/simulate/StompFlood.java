package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Mirai's "stomp" flood (attack_tcp_stomp): a real connection first, from a kernel
 * socket, so that stateful middleboxes have seen a handshake; the bot reads the SYN-ACK
 * from a raw socket to learn the sequence numbers and then floods ACK|PSH segments with
 * 768 random bytes on that connection's addresses and ports: DF, TTL 64, random IP id, one
 * random window for the whole attack.
 *
 * <p>Two things are as Mirai's code has them, not as a stack would: the data offset says
 * 8 words although the header has no options, so a decoder reads the first 12 of the 768
 * random bytes as TCP options (the IP packet is 20 + 20 + 768 bytes); and the sequence
 * number moves on by one per packet ({@code stomp_data.seq++}), starting at the
 * connection's next sequence number, with the acknowledgement fixed at the victim's next
 * one. (The C code also pushes both numbers through htons(), truncating them; this model
 * sends the values it meant.) The victim, flooded, sends nothing after its SYN-ACK.
 */
final class StompFlood implements Actor {
    static final int PAYLOAD = 768;
    private static final long MS = 1_000_000L;

    private final Endpoint bot;
    private final Endpoint victim;
    private final int port;
    private final long until;
    private final long meanGapNanos;
    private final SplittableRandom rng;
    private final int sourcePort;
    private final long clientIsn;
    private final long serverIsn;
    private final long rttNanos;
    private final int victimTtl;
    private final int window;
    private final long tsBase;
    private int kernelId;
    private int phase;
    private long sent;
    private long firstNanos = -1;

    StompFlood(Endpoint bot, Endpoint victim, int port, long until, int packetsPerSecond, SplittableRandom rng) {
        this.bot = bot;
        this.victim = victim;
        this.port = port;
        this.until = until;
        this.meanGapNanos = 1_000_000_000L / packetsPerSecond;
        this.rng = rng;
        this.sourcePort = 32768 + rng.nextInt(28000);
        this.clientIsn = rng.nextLong(1L << 32);
        this.serverIsn = rng.nextLong(1L << 32);
        this.rttNanos = 20 * MS + rng.nextLong(100 * MS);
        this.victimTtl = Internet.remoteTtl(rng);
        this.window = rng.nextInt(1 << 16);
        this.tsBase = rng.nextLong(1L << 32);
        this.kernelId = rng.nextInt(1 << 16);
    }

    /** Traffic time of the handshake's SYN, or -1 before it. */
    long firstNanos() {
        return firstNanos;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        Frame f = sim.frame();
        long ts = (tsBase + now / MS) & 0xffff_ffffL;
        switch (phase) {
            case 0 -> {
                firstNanos = now;
                bot.ipv4To(f, victim, Frame.PROTO_TCP, 64, kernelId++ & 0xffff, true)
                        .tcp(sourcePort, port, clientIsn, 0, Frame.SYN, 14600)
                        .mss(1460).sackPermitted().timestamps(ts, 0).nop().windowScale(4);
                sim.send();
                phase = 1;
                return now + rttNanos;
            }
            case 1 -> {
                victim.ipv4To(f, bot, Frame.PROTO_TCP, victimTtl, 0, true)
                        .tcp(port, sourcePort, serverIsn, (clientIsn + 1) & 0xffff_ffffL, Frame.SYN | Frame.ACK, 28960)
                        .mss(1460).sackPermitted().timestamps(rng.nextLong(1L << 32), ts).nop().windowScale(7);
                sim.send();
                phase = 2;
                return now + 60_000 + rng.nextLong(200_000);
            }
            case 2 -> {
                bot.ipv4To(f, victim, Frame.PROTO_TCP, 64, kernelId++ & 0xffff, true)
                        .tcp(sourcePort, port, (clientIsn + 1) & 0xffff_ffffL, (serverIsn + 1) & 0xffff_ffffL, Frame.ACK, 913)
                        .nop().nop().timestamps(ts, rng.nextLong(1L << 32));
                sim.send();
                phase = 3;
                return now + 300_000 + rng.nextLong(MS);
            }
            default -> {
                if (now > until) {
                    return DONE;
                }
                bot.ipv4To(f, victim, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                        .tcp(sourcePort, port, (clientIsn + 1 + sent) & 0xffff_ffffL, (serverIsn + 1) & 0xffff_ffffL,
                                Frame.ACK | Frame.PSH, window);
                // Twelve NOPs close the header at data offset 8; the random payload then overwrites them.
                int junk = f.position();
                for (int i = 0; i < 12; i++) {
                    f.nop();
                }
                for (int i = 0; i < 12; i++) {
                    f.set8(junk + i, rng.nextInt(256));
                }
                sim.noise.random(f, rng.nextLong(), PAYLOAD - 12);
                sim.send();
                sent++;
                return now + meanGapNanos / 2 + rng.nextLong(meanGapNanos);
            }
        }
    }
}
