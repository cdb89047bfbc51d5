package io.bulwark.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimTest {
    private static final long T0 = 1_000_000_000_000L;

    private static Sim sim(long limit) throws Exception {
        return new Sim(1, new PcapWriter(new ByteArrayOutputStream()), limit, T0);
    }

    /** An actor that records when it ran, sends one frame, and comes back {@code every} later, {@code times} times. */
    private static Actor ticker(String name, long every, int times, List<String> log) {
        int[] left = {times};
        return (now, s) -> {
            log.add(name + "@" + (now - T0));
            s.frame().ethernet(1, 2, Frame.ETHERTYPE_IPV4).ipv4(1, 2, Frame.PROTO_UDP, 64, 0, false).udp(1, 2);
            s.send();
            return --left[0] > 0 ? now + every : Actor.DONE;
        };
    }

    @Test
    void run_interleavedActors_timeOrderThenScheduleOrder() throws Exception {
        // c asked for t=20 at t=0, before a asked for t=20 at t=10, so c runs first.
        List<String> log = new ArrayList<>();
        Sim sim = sim(Long.MAX_VALUE);
        sim.at(T0, ticker("a", 10, 3, log));
        sim.at(T0 + 5, ticker("b", 5, 3, log));
        sim.at(T0, ticker("c", 20, 2, log));
        sim.run(Long.MAX_VALUE);
        assertThat(log).containsExactly("a@0", "c@0", "b@5", "a@10", "b@10", "b@15", "c@20", "a@20");
    }

    @Test
    void run_packetLimit_stopsExactly() throws Exception {
        List<String> log = new ArrayList<>();
        Sim sim = sim(4);
        sim.at(T0, ticker("a", 1, 100, log));
        sim.run(Long.MAX_VALUE);
        assertThat(sim.packets()).isEqualTo(4);
    }

    @Test
    void run_endTime_leavesLaterActorsUnrun() throws Exception {
        List<String> log = new ArrayList<>();
        Sim sim = sim(Long.MAX_VALUE);
        sim.at(T0, ticker("a", 10, 100, log));
        sim.run(T0 + 25);
        assertThat(log).containsExactly("a@0", "a@10", "a@20");
    }

    @Test
    void at_beforeNow_throws() throws Exception {
        Sim sim = sim(Long.MAX_VALUE);
        assertThatThrownBy(() -> sim.at(T0 - 1, (now, s) -> Actor.DONE)).isInstanceOf(IllegalStateException.class);
    }
}
