package io.bulwark.simulate;

import java.io.IOException;

/**
 * Something on the simulated network that sends frames over time: a TCP connection, a DNS
 * lookup, a device's timer, a scanner. {@link Sim} calls {@link #step} at the traffic time
 * the actor last asked for; the step emits zero or more frames stamped {@code now} (through
 * {@link Sim#frame()} and {@link Sim#send()}) and may schedule other actors, then returns
 * when it wants to act next. Because every frame is stamped with the time of the step that
 * sends it, and steps run in time order, the capture is always in time order.
 */
@FunctionalInterface
interface Actor {
    /** Returned by {@link #step} when the actor is finished. */
    long DONE = -1;

    /** Acts at {@code now} (Unix epoch nanoseconds); returns the next time, not before {@code now}, or {@link #DONE}. */
    long step(long now, Sim sim) throws IOException;
}
