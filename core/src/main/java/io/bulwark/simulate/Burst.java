package io.bulwark.simulate;

import java.io.IOException;

/**
 * A fixed little sequence of frames with gaps between them: a DNS query and its answer, an
 * echo request and reply, three SSDP announcements, a SYN-ACK and the RST it provokes.
 */
final class Burst implements Actor {
    /** Builds one whole frame (headers and payload) at traffic time {@code now}. */
    @FunctionalInterface
    interface Part {
        void build(Frame f, long now);
    }

    private final Part[] parts;
    private final long[] gapsNanos;
    private int next;

    /** {@code gapsNanos[i]} is the wait after part i; it has one element fewer than parts. */
    Burst(Part[] parts, long[] gapsNanos) {
        if (parts.length == 0 || gapsNanos.length != parts.length - 1) {
            throw new IllegalArgumentException(parts.length + " parts need " + (parts.length - 1) + " gaps");
        }
        this.parts = parts;
        this.gapsNanos = gapsNanos;
    }

    static Burst one(Part p) {
        return new Burst(new Part[] {p}, new long[0]);
    }

    static Burst exchange(Part request, long delayNanos, Part reply) {
        return new Burst(new Part[] {request, reply}, new long[] {delayNanos});
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        parts[next].build(sim.frame(), now);
        sim.send();
        return next < gapsNanos.length ? now + gapsNanos[next++] : DONE;
    }
}
