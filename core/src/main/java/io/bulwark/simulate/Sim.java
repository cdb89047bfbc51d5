package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * The simulated capture point: a traffic-time clock, an agenda of {@link Actor}s ordered
 * by the time they act next, and the frame and writer they send through. The agenda is a
 * binary heap on (time, order scheduled), so actors due at the same instant run in the
 * order they were scheduled and a run depends only on the seed. Time is traffic time
 * only; nothing here reads the wall clock. Not thread-safe.
 *
 * <p>Ground truth per frame: an actor scheduled while {@link #malicious(boolean)} is on, or by
 * a malicious actor's step, is malicious, and so is every frame it sends (replies it sends on
 * behalf of its victims included): the frames a malicious actor caused.
 */
final class Sim {
    /** Bound on waiting actors; scenarios stay far below it, so reaching it is a bug in one. */
    static final int MAX_ACTORS = 1 << 20;

    final SplittableRandom rng;
    final Noise noise;
    private final Frame frame = new Frame();
    private final PcapWriter out;
    private final long packetLimit;
    private long now;

    private Actor[] actors = new Actor[1024];
    private long[] times = new long[1024];
    private long[] order = new long[1024];
    private int size;
    private long scheduled;
    private boolean[] taint = new boolean[1024];
    private boolean current;
    private final FrameLabels labels;

    /** Receives one label per frame written, in order. */
    interface FrameLabels {
        void label(boolean malicious) throws IOException;
    }

    /** Starts the clock at {@code start}; stops after {@code packetLimit} frames (Long.MAX_VALUE for none). */
    Sim(long seed, PcapWriter out, long packetLimit, long start) {
        this(seed, out, packetLimit, start, null);
    }

    /** As above, telling {@code labels} whether each frame written was caused by a malicious actor. */
    Sim(long seed, PcapWriter out, long packetLimit, long start, FrameLabels labels) {
        this.labels = labels;
        this.now = start;
        this.rng = new SplittableRandom(seed);
        this.noise = new Noise(rng.split());
        this.out = out;
        this.packetLimit = packetLimit;
    }

    /** Traffic time of the step being run, Unix epoch nanoseconds. */
    long now() {
        return now;
    }

    /** The frame to build the next packet in; start it with {@link Frame#ethernet}. */
    Frame frame() {
        return frame;
    }

    /** Finishes the frame and writes it stamped {@link #now()}; ignored once the packet limit is reached. */
    void send() throws IOException {
        if (out.packets() >= packetLimit) {
            return;
        }
        frame.finish();
        out.write(now, frame);
        if (labels != null) {
            labels.label(current);
        }
    }

    /**
     * While on, actors scheduled from a scenario's set-up are malicious (ground truth). During a
     * run, the stepping actor's own label applies instead.
     */
    void malicious(boolean on) {
        current = on;
    }

    long packets() {
        return out.packets();
    }

    /**
     * Schedules {@code a} to step at {@code time}, which is not before {@link #now()}: that
     * keeps the stepping actor at the top of the heap while it schedules others.
     */
    void at(long time, Actor a) {
        if (time < now) {
            throw new IllegalStateException("scheduled in the past: " + time + " < " + now);
        }
        if (size == actors.length) {
            if (size >= MAX_ACTORS) {
                throw new IllegalStateException("more than " + MAX_ACTORS + " actors waiting");
            }
            int n = size * 2;
            actors = java.util.Arrays.copyOf(actors, n);
            times = java.util.Arrays.copyOf(times, n);
            order = java.util.Arrays.copyOf(order, n);
            taint = java.util.Arrays.copyOf(taint, n);
        }
        int i = size++;
        actors[i] = a;
        times[i] = time;
        order[i] = scheduled++;
        taint[i] = current;
        siftUp(i);
    }

    /** Runs actors in time order until none is due at or before {@code end}, or the packet limit is reached. */
    void run(long end) throws IOException {
        while (size > 0 && out.packets() < packetLimit && times[0] <= end) {
            Actor a = actors[0];
            long t = times[0];
            now = t;
            current = taint[0];
            long next = a.step(t, this);
            if (next == Actor.DONE) {
                removeTop();
            } else {
                if (next < t) {
                    throw new IllegalStateException("actor asked to go back in time: " + next + " < " + t);
                }
                // Rescheduling the top in place is one sift instead of a remove and an insert.
                times[0] = next;
                order[0] = scheduled++;
                siftDown(0);
            }
        }
    }

    private void removeTop() {
        size--;
        move(size, 0);
        actors[size] = null;
        if (size > 0) {
            siftDown(0);
        }
    }

    /** True when an entry (t, o) runs before entry j. */
    private boolean before(long t, long o, int j) {
        return t < times[j] || (t == times[j] && o < order[j]);
    }

    // Sifts move a hole instead of swapping: one write per level rather than three.
    private void siftUp(int i) {
        Actor a = actors[i];
        long t = times[i];
        long o = order[i];
        boolean m = taint[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(t, o, parent)) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        actors[i] = a;
        times[i] = t;
        order[i] = o;
        taint[i] = m;
    }

    private void siftDown(int i) {
        Actor a = actors[i];
        long t = times[i];
        long o = order[i];
        boolean m = taint[i];
        while (true) {
            int c = 2 * i + 1;
            if (c >= size) {
                break;
            }
            if (c + 1 < size && (times[c + 1] < times[c] || (times[c + 1] == times[c] && order[c + 1] < order[c]))) {
                c++;
            }
            if (before(t, o, c)) {
                break;
            }
            move(c, i);
            i = c;
        }
        actors[i] = a;
        times[i] = t;
        order[i] = o;
        taint[i] = m;
    }

    private void move(int from, int to) {
        actors[to] = actors[from];
        times[to] = times[from];
        order[to] = order[from];
        taint[to] = taint[from];
    }
}
