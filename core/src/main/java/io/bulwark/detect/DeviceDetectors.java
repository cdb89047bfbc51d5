package io.bulwark.detect;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs every detector for one device whose states the caller keeps: the Flink job's keyed
 * function keeps them in keyed state. Calls the hooks exactly as {@link LocalEngine} does
 * for one device (the same packet classes reach the same detectors, in list order), so a
 * device fed the same packets and flows in the same order reaches the same findings.
 * Not thread-safe; holds no per-device state itself.
 */
public final class DeviceDetectors {
    private final List<Detector<Serializable>> detectors = new ArrayList<>();
    private final int[] interest;
    private final int interestUnion;

    @SuppressWarnings("unchecked")
    public DeviceDetectors(List<? extends Detector<?>> list) {
        for (Detector<?> d : list) {
            detectors.add((Detector<Serializable>) d);
        }
        interest = new int[detectors.size()];
        int union = 0;
        for (int i = 0; i < interest.length; i++) {
            Detector<Serializable> d = detectors.get(i);
            interest[i] = d.wantsPackets() ? d.packetInterest() : 0;
            union |= interest[i];
        }
        interestUnion = union;
    }

    /** The class bits ({@link Detector#TCP_SYN} ...) of a packet, as the local engine classifies it. */
    public static int packetClass(int protocol, int tcpFlags, int payloadLength) {
        if (protocol == 6) {
            return ((tcpFlags & 0x02) != 0 ? Detector.TCP_SYN : 0) | (payloadLength > 0 ? Detector.TCP_PAYLOAD : 0);
        }
        return protocol == 17 && payloadLength > 0 ? Detector.UDP_PAYLOAD : 0;
    }

    /**
     * Whether a hook with packet interest {@code interest} ({@link Detector#packetInterest}, 0 for
     * none) is called for a packet of class {@code packetClass}: the one rule of both engines.
     */
    public static boolean interested(int interest, int packetClass) {
        return interest == Detector.ALL_PACKETS || (interest & packetClass) != 0;
    }

    /** True when some detector's packet hook would be called for a packet of this class. */
    public boolean wantsPacket(int packetClass) {
        return interested(interestUnion, packetClass);
    }

    /** The most payload any detector's hook may read of this packet ({@link Detector#payloadNeeded}). */
    public int payloadNeeded(PacketView p) {
        int need = 0;
        for (int i = 0; i < interest.length; i++) {
            if (interest[i] != 0) {
                need = Math.max(need, detectors.get(i).payloadNeeded(p));
            }
        }
        return need;
    }

    /** Fresh states for a new device, one per detector in list order. */
    public Serializable[] newStates() {
        Serializable[] s = new Serializable[detectors.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = detectors.get(i).newState();
        }
        return s;
    }

    public void packet(Serializable[] states, Device device, PacketView p, boolean outbound, FlowEntry flow,
                       String file, FindingSink out) {
        int cls = packetClass(p.protocol(), p.tcpFlags(), p.payloadLength());
        for (int i = 0; i < interest.length; i++) {
            if (!interested(interest[i], cls)) {
                continue;
            }
            detectors.get(i).onPacket(states[i], device, p, outbound, flow, file, out);
        }
    }

    public void flow(Serializable[] states, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        for (int i = 0; i < states.length; i++) {
            detectors.get(i).onFlow(states[i], device, f, outbound, out);
        }
    }

    /** The device's life ends (it went quiet, or input ended): detectors report what is pending. */
    public void end(Serializable[] states, Device device, long nowNanos, FindingSink out) {
        for (int i = 0; i < states.length; i++) {
            detectors.get(i).onEnd(states[i], device, nowNanos, out);
        }
    }
}
