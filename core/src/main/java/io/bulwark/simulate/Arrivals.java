package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/** A Poisson process: something starts at exponentially distributed gaps, at a mean rate per second. */
final class Arrivals implements Actor {
    @FunctionalInterface
    interface Start {
        void start(long now, Sim sim, SplittableRandom rng) throws IOException;
    }

    private final double meanGapNanos;
    private final SplittableRandom rng;
    private final Start start;

    Arrivals(double perSecond, SplittableRandom rng, Start start) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.meanGapNanos = 1e9 / perSecond;
        this.rng = rng;
        this.start = start;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        start.start(now, sim, rng);
        return now + 1 + (long) (-Math.log(1 - rng.nextDouble()) * meanGapNanos);
    }
}
