package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.List;

/** One kind of generated capture: who is on the network, what they do, and the ground truth. */
interface Scenario {
    /** Frames to write at most; Long.MAX_VALUE when the scenario ends by time. */
    long packetLimit(Simulator.Options opts);

    /** Schedules the actors from {@code start}; returns the traffic time after which nothing is written. */
    long setUp(Sim sim, long start, Simulator.Options opts);

    /** Malicious behaviour that actually appeared in the capture; asked after the run. */
    List<Simulator.Behaviour> malicious();

    /** Hosts on the monitored network that did nothing malicious. */
    List<IpAddr> benignHosts();

    /** Addresses that floods in the capture were aimed at; asked after the run. */
    default List<IpAddr> victims() {
        return List.of();
    }

    /** True when the scenario marks its malicious actors ({@link Sim#malicious}), so per-frame labels mean something. */
    default boolean labelled() {
        return false;
    }
}
