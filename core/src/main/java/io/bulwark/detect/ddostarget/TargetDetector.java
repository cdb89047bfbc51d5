package io.bulwark.detect.ddostarget;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.detect.Detector;
import io.bulwark.detect.Device;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.detect.FindingSink;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.detect.ddos.DdosDetector;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.net.LocalNets;
import io.bulwark.sketch.HyperLogLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Inbound attacks on a protected host (kind {@code ddos_target}; the host is the victim), the
 * way FastNetMon judges them: per-host packets/s and megabits/s against absolute limits, and
 * against the host's own baseline. A spoofed or distributed flood (many distinct sources, one
 * packet type dominating, e.g. SYNs from tens of thousands of random addresses) counts from
 * the first window, before any baseline exists. The attack type is the dominant class:
 * syn_flood, ack_flood, tcp_flood, udp_flood, icmp_flood, amplification (UDP from a
 * reflector port: DNS, NTP, SSDP, memcached, CLDAP, SNMP, chargen, WS-Discovery) or gre_flood.
 */
public final class TargetDetector implements Detector<TargetState> {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private final TargetConfig cfg;
    private final LocalNets protectedNets;

    public TargetDetector(TargetConfig cfg) {
        this.cfg = cfg;
        this.protectedNets = cfg.protectedNets().isEmpty() ? null : LocalNets.of(cfg.protectedNets());
    }

    @Override
    public String name() {
        return "ddos_target";
    }

    @Override
    public TargetState newState() {
        return new TargetState();
    }

    @Override
    public int payloadNeeded(PacketView p) {
        return 0;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    private boolean protects(Device d) {
        return protectedNets == null || protectedNets.contains(d.ip());
    }

    @Override
    public void onPacket(TargetState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        long ts = p.tsNanos();
        if (s.windowStart == Long.MIN_VALUE || ts >= s.windowStart + cfg.windowNanos()) {
            close(s, device, ts, out);
        }
        if (outbound) {
            return;
        }
        if (!protects(device)) {
            return;
        }
        int type = type(p.protocol(), p.tcpFlags(), p.srcPort(), p.payloadLength());
        s.packets++;
        s.bytes += p.ipLength();
        s.byType[type]++;
        if (ts < s.windowFirst) {
            s.windowFirst = ts;
        }
        if (!flow.isNew()) {
            return;
        }
        // A new source always opens a new flow, so counting sources at flow starts counts
        // them all, at a fraction of the per-packet cost.
        s.sources.add(HyperLogLog.hash64(p.srcHi(), p.srcLo()));
        if (s.windowEvidence.size() < 4) {
            s.windowEvidence.add(EvidenceRef.of(flow, file, p));
        }
    }

    @Override
    public void onFlow(TargetState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (f.fromPackets() || outbound || !protects(device)) {
            return;
        }
        long ts = f.startNanos();
        if (s.windowStart == Long.MIN_VALUE || ts >= s.windowStart + cfg.windowNanos()) {
            close(s, device, ts, out);
        }
        int type = type(f.protocol(), f.tcpFlagsOut(), f.srcPort(), f.packetsIn() == 0 ? 0 : 1);
        long w = cfg.windowNanos();
        count(s, ts, DdosDetector.inOneWindow(f.packetsOut(), f.durationNanos(), w),
                DdosDetector.inOneWindow(f.bytesOut(), f.durationNanos(), w), type,
                HyperLogLog.hash64(f.src().hi(), f.src().lo()));
        if (s.windowEvidence.size() < 4) {
            s.windowEvidence.add(EvidenceRef.of(f));
        }
    }

    private static void count(TargetState s, long ts, long packets, long bytes, int type, long sourceHash) {
        s.packets += packets;
        s.bytes += bytes;
        s.byType[type] += packets;
        s.sources.add(sourceHash);
        s.windowFirst = Math.min(s.windowFirst, ts);
    }

    static int type(int proto, int flags, int srcPort, int payload) {
        switch (proto) {
            case 6:
                if ((flags & (SYN | ACK)) == SYN) {
                    return 0;
                }
                return (flags & ACK) != 0 && payload == 0 ? 1 : 2;
            case 17:
                return switch (srcPort) {
                    case 53, 123, 1900, 11211, 389, 161, 19, 3702, 5353, 111, 137 -> 5;
                    default -> 3;
                };
            case 1:
            case 58:
                return 4;
            case 47:
                return 6;
            default:
                return 7;
        }
    }

    private void close(TargetState s, Device device, long now, FindingSink out) {
        if (s.windowStart != Long.MIN_VALUE && s.packets > 0) {
            judge(s, device, out);
        }
        s.resetWindow(now);
    }

    private void judge(TargetState s, Device device, FindingSink out) {
        double seconds = cfg.windowNanos() / 1e9;
        double pps = s.packets / seconds;
        double mbps = s.bytes * 8 / seconds / 1e6;
        long sources = s.sources.estimate();
        int dominant = 0;
        for (int i = 1; i < s.byType.length; i++) {
            if (s.byType[i] > s.byType[dominant]) {
                dominant = i;
            }
        }
        double share = (double) s.byType[dominant] / s.packets;
        long end = s.windowStart + cfg.windowNanos();
        double relative = s.baseline.threshold(end, cfg.learnNanos(), cfg.floorPps(), cfg.ppsLimit(), cfg.factor());
        boolean absolute = pps >= cfg.ppsLimit() || mbps >= cfg.mbpsLimit();
        // Spoofed floods come from addresses that send one packet or two each; real clients of
        // a busy server (a resolver, a web server) send many each.
        boolean spoofed = sources >= cfg.minSources() && pps >= cfg.floorPps() && share >= 0.8
                && s.packets <= 3 * sources && dominant != 2 && dominant != 7;
        // One source flooding a host is that source's incident (kind ddos); a target needs many.
        boolean aboveOwn = pps >= relative && share >= 0.6 && dominant != 2 && sources >= cfg.minRelativeSources();
        if (!(absolute || spoofed || aboveOwn)) {
            s.baseline.learn(pps, s.windowStart);
            return;
        }
        boolean fresh = !s.active || s.windowFirst - s.last > 10 * cfg.windowNanos();
        if (fresh) {
            s.active = true;
            s.first = s.windowFirst;
            s.detected = end;
            s.total = 0;
            s.peakPps = s.peakMbps = 0;
            s.peakSources = 0;
            s.evidence.clear();
            s.evidence.addAll(s.windowEvidence);
            s.type = TargetState.TYPES[dominant];
        }
        s.last = end;
        s.total += s.packets;
        s.peakPps = Math.max(s.peakPps, pps);
        s.peakMbps = Math.max(s.peakMbps, mbps);
        s.peakSources = Math.max(s.peakSources, sources);
        if (fresh) {
            out.emit(finding(s, device, absolute ? "absolute" : spoofed ? "distributed" : "baseline"));
        }
    }

    @Override
    public void onEnd(TargetState s, Device device, long nowNanos, FindingSink out) {
        if (s.windowStart != Long.MIN_VALUE && s.packets > 0) {
            judge(s, device, out);
        }
        if (s.active) {
            out.emit(finding(s, device, null));
        }
    }

    private Finding finding(TargetState s, Device device, String rule) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("attack_type", s.type);
        d.put("direction", "inbound");
        if (rule != null) {
            d.put("rule", rule);
        }
        d.put("packets", s.total);
        d.put("peak_pps", Math.round(s.peakPps));
        d.put("peak_mbps", Math.round(s.peakMbps * 100) / 100.0);
        d.put("sources", s.peakSources);
        d.put("baseline_pps", Math.round(s.baseline.mean() * 10) / 10.0);
        String summary = String.format(Locale.ROOT, "%s is under a %s: %,d packets/s from about %,d sources",
                device.ip(), s.type.replace('_', ' '), Math.round(s.peakPps), s.peakSources);
        return new Finding(name(), Kind.ddos_target, device.ip(), "", s.first, s.detected, s.last,
                Severity.high, 0.85, summary, d, List.copyOf(s.evidence));
    }
}
