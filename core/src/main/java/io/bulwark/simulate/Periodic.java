package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * A device timer: every period (plus up to {@code jitter}) it starts something, such as an
 * NTP poll, a DNS refresh, an SSDP announcement or a page load, until {@code until}.
 */
final class Periodic implements Actor {
    /** Starts whatever the timer is for, at {@code now}; usually by scheduling other actors. */
    @FunctionalInterface
    interface Tick {
        void fire(long now, Sim sim) throws IOException;
    }

    private final long periodNanos;
    private final long jitterNanos;
    private final long until;
    private final SplittableRandom rng;
    private final Tick tick;

    Periodic(long periodNanos, long jitterNanos, long until, SplittableRandom rng, Tick tick) {
        if (periodNanos <= 0 || jitterNanos < 0) {
            throw new IllegalArgumentException("period " + periodNanos + ", jitter " + jitterNanos);
        }
        this.periodNanos = periodNanos;
        this.jitterNanos = jitterNanos;
        this.until = until;
        this.rng = rng;
        this.tick = tick;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        if (now > until) {
            return DONE;
        }
        tick.fire(now, sim);
        return now + periodNanos + (jitterNanos == 0 ? 0 : rng.nextLong(jitterNanos + 1));
    }
}
