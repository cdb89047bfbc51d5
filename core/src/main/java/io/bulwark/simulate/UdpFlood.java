package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * Mirai's generic UDP flood as its defaults send it: 512 random payload bytes per packet,
 * random source and destination ports and IP id, TTL 64, no DF, at a steady high rate
 * towards one victim until the attack's duration is over.
 */
final class UdpFlood implements Actor {
    static final int PAYLOAD = 512;

    private final Endpoint bot;
    private final Endpoint victim;
    private final long until;
    private final long meanGapNanos;
    private final SplittableRandom rng;
    private long firstNanos = -1;

    UdpFlood(Endpoint bot, Endpoint victim, long until, int packetsPerSecond, SplittableRandom rng) {
        this.bot = bot;
        this.victim = victim;
        this.until = until;
        this.meanGapNanos = 1_000_000_000L / packetsPerSecond;
        this.rng = rng;
    }

    /** Traffic time of the first flood packet, or -1 before it. */
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
        bot.ipv4To(sim.frame(), victim, Frame.PROTO_UDP, 64, rng.nextInt(1 << 16), false)
                .udp(rng.nextInt(1 << 16), rng.nextInt(1 << 16));
        sim.noise.random(sim.frame(), rng.nextLong(), PAYLOAD);
        sim.send();
        return now + meanGapNanos / 2 + rng.nextLong(meanGapNanos);
    }
}
