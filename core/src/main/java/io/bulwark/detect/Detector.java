package io.bulwark.detect;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;

/**
 * A per-device state machine (architecture.md rule 4). The engine keeps one state object per
 * device and detector and calls the hooks with it; the detector keeps nothing else: no
 * threads, no I/O, no statics, no wall clock. Time is the traffic's. State must be
 * {@link java.io.Serializable} and bounded in size, because the Flink job keeps it in keyed
 * state; each detector documents its bytes per device.
 *
 * <p>Flow hooks must work on flows from any source (NetFlow, IPFIX, conn.log); packet hooks
 * add what only packets show. A detector that uses both must not count a packet-built flow
 * twice: such flows have {@link FlowRecord#fromPackets()} set.
 *
 * @param <S> the per-device state type
 */
public interface Detector<S extends java.io.Serializable> {
    String name();

    S newState();

    /** Packet classes a detector's {@link #onPacket} looks at (bits of {@link #packetInterest()}). */
    int TCP_SYN = 1;
    int TCP_PAYLOAD = 2;
    int UDP_PAYLOAD = 4;
    int ALL_PACKETS = -1;

    /** True when {@link #onPacket} does anything; lets the engine skip the call. */
    default boolean wantsPackets() {
        return false;
    }

    /**
     * Which packets {@link #onPacket} needs: the engine classifies each packet once and calls
     * only the detectors interested in it, instead of every detector for every packet
     * (measured: ten interface calls per packet cost a third of the engine's time).
     */
    default int packetInterest() {
        return ALL_PACKETS;
    }

    /** {@link #payloadNeeded}: the hook may read the whole payload. */
    int WHOLE_PAYLOAD = Integer.MAX_VALUE;

    /**
     * How many leading payload bytes {@link #onPacket} may read of this packet, for either
     * device at its ends: the packet facts sent to the Flink job carry only that many
     * (the real {@link PacketView#payloadLength()} still travels). Reading past it there is
     * a bug in this declaration and fails loudly. Called outside any device's state; must
     * not depend on state. The default, the whole payload, is always safe.
     */
    default int payloadNeeded(PacketView p) {
        return WHOLE_PAYLOAD;
    }

    /**
     * A packet sent ({@code outbound}) or received by {@code device}. {@code flow} is the live
     * flow it belongs to; valid only during the call.
     */
    default void onPacket(S state, Device device, PacketView p, boolean outbound, FlowEntry flow,
                          String file, FindingSink out) {
    }

    /** A flow that ended, in which {@code device} was the originator ({@code outbound}) or responder. */
    default void onFlow(S state, Device device, FlowRecord f, boolean outbound, FindingSink out) {
    }

    /** End of input or of the device's life in the table: report what is pending. */
    default void onEnd(S state, Device device, long nowNanos, FindingSink out) {
    }
}
