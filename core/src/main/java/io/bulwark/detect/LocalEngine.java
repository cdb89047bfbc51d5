package io.bulwark.detect;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.inventory.DeviceActivity;
import io.bulwark.net.LocalNets;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs detectors in one process: keeps each local device's detector states in a bounded,
 * access-ordered map and feeds them packets and flows. Device lookups happen once per flow
 * (the flow entry keeps its endpoints' states as attachments), never per packet.
 *
 * <p>When {@code maxDevices} is reached, a new address is admitted only when it was seen
 * before, a dropped device coming back or a new one's second sighting (a {@link Doorkeeper},
 * as in TinyLFU caches): a flood of spoofed local sources, each seen once, is refused and
 * counted as {@code device_admission_refused} instead of evicting the real devices one by one. An admitted device takes the place of the least
 * recently active one, which is ended (its detectors report what is pending) and dropped,
 * counted as {@code device_table_full}. A dropped device's state is released at once, although
 * flows may still point at it. Not thread-safe.
 */
public final class LocalEngine {
    /** Receives each device that leaves the table, at eviction or at the end. */
    public interface DeviceListener {
        void deviceDone(IpAddr ip, DeviceActivity activity);
    }

    private final List<Detector<Serializable>> detectors;
    private final List<Detector<Serializable>> packetDetectors;
    private final LocalNets nets;
    private final int maxDevices;
    private final AnomalyCounters anomalies;
    private final FindingSink sink;
    private final DeviceListener deviceListener;
    private final LinkedHashMap<IpAddr, DeviceState> devices;
    private final Doorkeeper doorkeeper = new Doorkeeper(23, 1 << 20);
    private final int[] packetIndex;
    private final int[] interest;
    private final Detector<Serializable> d0, d1, d2, d3, d4, d5, d6, d7;

    @SuppressWarnings("unchecked")
    public LocalEngine(List<? extends Detector<?>> detectors, LocalNets nets, int maxDevices,
                       AnomalyCounters anomalies, FindingSink sink, DeviceListener deviceListener) {
        this.detectors = new ArrayList<>();
        for (Detector<?> d : detectors) {
            this.detectors.add((Detector<Serializable>) d);
        }
        this.packetDetectors = new ArrayList<>();
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < this.detectors.size(); i++) {
            if (this.detectors.get(i).wantsPackets()) {
                packetDetectors.add(this.detectors.get(i));
                idx.add(i);
            }
        }
        this.packetIndex = idx.stream().mapToInt(Integer::intValue).toArray();
        this.interest = packetDetectors.stream().mapToInt(Detector::packetInterest).toArray();
        this.d0 = detectorAt(0);
        this.d1 = detectorAt(1);
        this.d2 = detectorAt(2);
        this.d3 = detectorAt(3);
        this.d4 = detectorAt(4);
        this.d5 = detectorAt(5);
        this.d6 = detectorAt(6);
        this.d7 = detectorAt(7);
        this.nets = nets;
        this.maxDevices = maxDevices;
        this.anomalies = anomalies;
        this.sink = sink;
        this.deviceListener = deviceListener;
        this.devices = new LinkedHashMap<>(1024, 0.75f, true);
    }

    private Detector<Serializable> detectorAt(int i) {
        return i < detectors.size() ? detectors.get(i) : null;
    }

    public int deviceCount() {
        return devices.size();
    }

    private DeviceState device(long hi, long lo) {
        return nets.isDevice(hi, lo) ? device(new IpAddr(hi, lo)) : null;
    }

    private DeviceState device(IpAddr ip) {
        if (!nets.isDevice(ip.hi(), ip.lo())) {
            return null;
        }
        DeviceState d = devices.get(ip);
        if (d == null) {
            // Every new address is remembered, so that a dropped device that comes back is
            // admitted at once; on a full table, only one seen before is.
            boolean seen = doorkeeper.seenBefore(ip.hi(), ip.lo());
            if (devices.size() >= maxDevices) {
                if (!seen) {
                    anomalies.count(Anomaly.device_admission_refused, -1);
                    return null;
                }
                evictOne();
            }
            d = new DeviceState(ip, detectors.size());
            for (int i = 0; i < detectors.size(); i++) {
                d.states[i] = detectors.get(i).newState();
            }
            devices.put(ip, d);
        }
        return d;
    }

    /** Whether a flow's attachment is a device the engine has dropped since. */
    private static boolean retired(Object attachment) {
        return attachment != null && ((DeviceState) attachment).retired;
    }

    /** {@code d}, or null when the engine dropped it meanwhile. */
    private static DeviceState live(DeviceState d) {
        return d == null || d.retired ? null : d;
    }

    private void evictOne() {
        Iterator<Map.Entry<IpAddr, DeviceState>> it = devices.entrySet().iterator();
        DeviceState victim = it.next().getValue();
        it.remove();
        anomalies.count(Anomaly.device_table_full, -1);
        end(victim, victim.activity.lastSeen);
        victim.retire();
    }

    /** A decoded packet and the flow the table put it in. Allocates only for a new flow. */
    public void onPacket(Packet p, FlowEntry flow, String file) {
        if (flow.isNew() || retired(flow.attachA)) {
            flow.attachA = device(flow.originatorHi(), flow.originatorLo());
        }
        if (flow.isNew() || retired(flow.attachB)) {
            flow.attachB = device(flow.responderHi(), flow.responderLo());
        }
        // Admitting the responder can evict the originator (when it was the least recently
        // active): take it back, which cannot evict the responder unless the table holds one.
        if (retired(flow.attachA)) {
            flow.attachA = device(flow.originatorHi(), flow.originatorLo());
        }
        flow.attachB = live((DeviceState) flow.attachB);
        boolean fromA = flow.fromOriginator();
        DeviceState src = (DeviceState) (fromA ? flow.attachA : flow.attachB);
        DeviceState dst = (DeviceState) (fromA ? flow.attachB : flow.attachA);
        if (src != null) {
            src.activity.sent(p.tsNanos, p.ipLength);
            if (p.hasMac) {
                src.activity.mac = p.srcMac;
            }
            if (!fromA && flow.packetsFromResponder() == 1 && answersService(p)) {
                src.activity.offers(p.protocol, p.srcPort);
            }
        }
        if (dst != null) {
            dst.activity.received(p.tsNanos, p.ipLength);
        }
        // One classification for both engines: the Flink job's DeviceDetectors uses it too.
        int cls = DeviceDetectors.packetClass(p.protocol, p.tcpFlags, p.payloadLength);
        for (int i = 0; i < packetIndex.length; i++) {
            if (!DeviceDetectors.interested(interest[i], cls)) {
                continue;
            }
            int k = packetIndex[i];
            if (src != null) {
                hook(k, src.states[k], src, p, true, flow, file);
            }
            if (dst != null) {
                hook(k, dst.states[k], dst, p, false, flow, file);
            }
        }
    }

    /**
     * Calls detector {@code i}'s packet hook. One call site per detector position instead of one
     * shared site: each site then only ever sees one detector class, so the JIT inlines the
     * hook instead of dispatching through an interface table for every packet. Measured on
     * the 3M-packet bench capture with six detectors: see docs/performance.md.
     */
    private void hook(int i, Serializable state, DeviceState dev, Packet p, boolean out, FlowEntry flow, String file) {
        switch (i) {
            case 0 -> d0.onPacket(state, dev, p, out, flow, file, sink);
            case 1 -> d1.onPacket(state, dev, p, out, flow, file, sink);
            case 2 -> d2.onPacket(state, dev, p, out, flow, file, sink);
            case 3 -> d3.onPacket(state, dev, p, out, flow, file, sink);
            case 4 -> d4.onPacket(state, dev, p, out, flow, file, sink);
            case 5 -> d5.onPacket(state, dev, p, out, flow, file, sink);
            case 6 -> d6.onPacket(state, dev, p, out, flow, file, sink);
            case 7 -> d7.onPacket(state, dev, p, out, flow, file, sink);
            default -> detectors.get(i).onPacket(state, dev, p, out, flow, file, sink);
        }
    }

    /** Calls detector {@code i}'s flow hook, one call site per position (see {@link #hook}). */
    private void flowHook(int i, Serializable state, DeviceState dev, FlowRecord f, boolean out) {
        switch (i) {
            case 0 -> d0.onFlow(state, dev, f, out, sink);
            case 1 -> d1.onFlow(state, dev, f, out, sink);
            case 2 -> d2.onFlow(state, dev, f, out, sink);
            case 3 -> d3.onFlow(state, dev, f, out, sink);
            case 4 -> d4.onFlow(state, dev, f, out, sink);
            case 5 -> d5.onFlow(state, dev, f, out, sink);
            case 6 -> d6.onFlow(state, dev, f, out, sink);
            case 7 -> d7.onFlow(state, dev, f, out, sink);
            default -> detectors.get(i).onFlow(state, dev, f, out, sink);
        }
    }

    private static boolean answersService(Packet p) {
        if (p.protocol == 6) {
            return (p.tcpFlags & 0x12) == 0x12;
        }
        return p.protocol == 17;
    }

    /**
     * A flow that ended. {@code entry} is the table entry for packet-built flows (its
     * attachments name the devices) and null for flow-only sources.
     */
    public void onFlow(FlowRecord f, FlowEntry entry) {
        DeviceState a = entry == null || retired(entry.attachA) ? device(f.src()) : (DeviceState) entry.attachA;
        DeviceState b = entry == null || retired(entry.attachB) ? device(f.dst()) : (DeviceState) entry.attachB;
        if (retired(a)) {
            a = device(f.src());   // admitting b evicted a
        }
        b = live(b);
        if (entry == null) {
            if (a != null) {
                a.activity.flow(f, true);
            }
            if (b != null) {
                b.activity.flow(f, false);
                if (f.packetsIn() > 0 && (f.protocol() != 6 || (f.tcpFlagsIn() & 0x12) == 0x12)) {
                    b.activity.offers(f.protocol(), f.dstPort());
                }
            }
        }
        if (a != null) {
            a.activity.flowsOriginated++;
            for (int i = 0; i < detectors.size(); i++) {
                flowHook(i, a.states[i], a, f, true);
            }
        }
        if (b != null) {
            if (f.packetsIn() > 0) {
                b.activity.flowsAnswered++;
            }
            for (int i = 0; i < detectors.size(); i++) {
                flowHook(i, b.states[i], b, f, false);
            }
        }
    }

    /** Ends every device: detectors report what is pending, then the listener gets each device. */
    public void finish(long nowNanos) {
        for (DeviceState d : devices.values()) {
            end(d, nowNanos);
            d.retire();
        }
        devices.clear();
    }

    private void end(DeviceState d, long now) {
        for (int i = 0; i < detectors.size(); i++) {
            detectors.get(i).onEnd(d.states[i], d, now, sink);
        }
        deviceListener.deviceDone(d.ip, d.activity);
    }
}
