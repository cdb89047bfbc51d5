package io.bulwark.detect.ddos;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.detect.Detector;
import io.bulwark.detect.Device;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.detect.FindingSink;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.sketch.HyperLogLog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A local device taking part in a flood (kind {@code ddos}), classified by Mirai's ten
 * vectors. Per window the device's outbound packets are counted per victim (three
 * heavy-hitter slots) and per vector. A window is a flood when the top victim gets at least
 * max(floor, factor x the device's own baseline) packets/s, most of the window's packets, and
 * few replies. Normal windows teach the baseline; flood windows never do, so a bot cannot
 * teach the detector that flooding is normal.
 *
 * <p>Vectors from packets: GRE inner Ethernet (greeth) or IP (greip); UDP to 27015 with
 * "TSource Engine Query" (vse); UDP to 53 (dns water torture at a resolver); other UDP is
 * udp when source ports are random and udpplain when one socket sends it; SYN without ACK
 * (syn); "GET "/"POST" to a web port (http); ACK/PSH with payload after a handshake (stomp);
 * ACK with payload without one (ack). From flows alone (no payload) vse, dns, syn, greip
 * (greeth looks the same), udp versus udpplain (flows per packet), ack and stomp/http (both
 * established TCP to port 80: many short connections is http, few long ones stomp) are
 * still told apart; docs/detectors.md lists the limits.
 */
public final class DdosDetector implements Detector<DdosState> {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;
    private static final int EVIDENCE_AFTER = 32;
    private final DdosConfig cfg;

    public DdosDetector(DdosConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "ddos";
    }

    @Override
    public DdosState newState() {
        return new DdosState();
    }

    @Override
    public int payloadNeeded(PacketView p) {
        return 5;   // the A2S probe's 0xff..'T' and "GET "/"POST": bytes 0 to 4
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public void onPacket(DdosState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        long ts = p.tsNanos();
        if (s.windowStart == Long.MIN_VALUE || ts >= s.windowStart + cfg.windowNanos()) {
            close(s, device, ts, out);
        }
        if (!outbound) {
            int slot = s.slotOf(p.srcHi(), p.srcLo());
            if (slot >= 0) {
                s.vreplies[slot]++;
            }
            return;
        }
        s.packets++;
        s.windowLast = Math.max(s.windowLast, ts);
        int slot = s.victim(p.dstHi(), p.dstLo(), 1);
        Vector v = classify(p, flow);
        if (v == null) {
            return;
        }
        s.vectorPackets[v.ordinal()]++;
        if (v == Vector.http) {
            s.httpRequests++;
        }
        if (v == Vector.udp && flow.isNew()) {
            // A new source port always opens a new flow: counting ports at flow starts is exact.
            s.sourcePorts.add(HyperLogLog.hash64(p.srcPort()));
        }
        if (ts < s.windowFirstAttack) {
            s.windowFirstAttack = ts;
        }
        // Evidence is kept only once a victim is getting a flood's worth of packets, so that
        // ordinary windows never pay for Community IDs.
        if (slot >= 0 && s.vcount[slot] >= EVIDENCE_AFTER && s.windowEvidence.size() < 4) {
            s.windowEvidence.add(EvidenceRef.of(flow, file, p));
        }
    }

    /** The vector a packet would belong to, or null for traffic no Mirai attack sends. */
    static Vector classify(PacketView p, FlowEntry flow) {
        switch (p.protocol()) {
            case PacketView.PROTO_GRE:
                return p.innerEthernet() ? Vector.greeth : Vector.greip;
            case PacketView.PROTO_UDP:
                if (p.dstPort() == 27015 && p.payloadLength() >= 5 && p.payloadByte(0) == 0xff
                        && p.payloadByte(4) == 'T') {
                    return Vector.vse;
                }
                return p.dstPort() == 53 ? Vector.dns : Vector.udp;
            case PacketView.PROTO_TCP: {
                int f = p.tcpFlags();
                if ((f & (SYN | ACK)) == SYN) {
                    return Vector.syn;
                }
                if (p.payloadLength() == 0 || (f & ACK) == 0) {
                    return null;
                }
                if (p.payloadLength() >= 4 && (startsWith(p, "GET ") || startsWith(p, "POST"))) {
                    return Vector.http;
                }
                boolean handshake = (flow.flagsFromOriginator() & SYN) != 0
                        && (flow.flagsFromResponder() & (SYN | ACK)) == (SYN | ACK);
                return handshake ? ((f & PSH) != 0 ? Vector.stomp : null) : Vector.ack;
            }
            default:
                return null;
        }
    }

    private static boolean startsWith(PacketView p, String s) {
        for (int i = 0; i < s.length(); i++) {
            if (p.payloadByte(i) != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void onFlow(DdosState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (f.fromPackets() || !outbound) {
            return;
        }
        long ts = f.startNanos();
        if (s.windowStart == Long.MIN_VALUE || ts >= s.windowStart + cfg.windowNanos()) {
            close(s, device, ts, out);
        }
        long n = inOneWindow(f.packetsOut(), f.durationNanos(), cfg.windowNanos());
        s.packets += n;
        s.windowLast = Math.max(s.windowLast, ts);
        int slot = s.victim(f.dst().hi(), f.dst().lo(), n);
        if (slot >= 0) {
            s.vreplies[slot] += inOneWindow(f.packetsIn(), f.durationNanos(), cfg.windowNanos());
        }
        Vector v = classify(f);
        if (v == null) {
            return;
        }
        s.vectorPackets[v.ordinal()] += n;
        if (v == Vector.http) {
            s.httpRequests += requests(f, cfg.windowNanos());
            s.httpSpanNanos = Math.max(s.httpSpanNanos, f.durationNanos());
        }
        if (v == Vector.udp) {
            s.udpFlows++;
            s.sourcePorts.add(HyperLogLog.hash64(f.srcPort()));
        }
        s.windowFirstAttack = Math.min(s.windowFirstAttack, ts);
        if (slot >= 0 && s.windowEvidence.size() < 4) {
            s.windowEvidence.add(EvidenceRef.of(f));
        }
    }

    /**
     * Bytes of TCP payload per request counted from flows: a request with a Host and a User-Agent
     * line, as browsers and Mirai's GET flood (some 300 bytes: attack_app.c) send them.
     */
    static final int MIN_REQUEST_BYTES = 100;

    /**
     * The HTTP requests a flow record (no payload) can show, in one window: the payload bytes the
     * device sent, counting every packet's headers at their largest (20 bytes of IPv4, 40 of
     * IPv6, 60 of TCP with options: so that SACK blocks on a download's ACKs never add up to
     * requests), over {@link #MIN_REQUEST_BYTES}, and at least one per connection. A download
     * sends only ACKs, so a file fetched at a thousand packets/s is one request, not a flood.
     */
    static long requests(FlowRecord f, long windowNanos) {
        long header = f.src().isV4() ? 80 : 100;
        long payload = Math.max(0, f.bytesOut() - header * f.packetsOut());
        long n = Math.max(1, Math.min(f.packetsOut(), payload / MIN_REQUEST_BYTES));
        return inOneWindow(n, f.durationNanos(), windowNanos);
    }

    /**
     * The packets of a flow that fall in one window, assuming an even rate: a flow record
     * arrives once, but a long flow's packets were spread over its whole duration.
     */
    public static long inOneWindow(long packets, long durationNanos, long windowNanos) {
        if (durationNanos <= windowNanos) {
            return packets;
        }
        return (long) Math.ceil(packets * ((double) windowNanos / durationNanos));
    }

    /** Flow-only classification; see the class comment for what cannot be told apart. */
    static Vector classify(FlowRecord f) {
        switch (f.protocol()) {
            case 47:
                return Vector.greip;
            case 17:
                return f.dstPort() == 27015 ? Vector.vse : f.dstPort() == 53 ? Vector.dns : Vector.udp;
            case 6:
                if ((f.tcpFlagsOut() & (SYN | ACK)) == SYN) {
                    return Vector.syn;
                }
                if ((f.tcpFlagsOut() & SYN) == 0 && (f.tcpFlagsOut() & ACK) != 0) {
                    return Vector.ack;
                }
                if (f.dstPort() == 80 || f.dstPort() == 8080) {
                    return f.packetsOut() > 50 && f.packetsIn() * 5 < f.packetsOut() ? Vector.stomp : Vector.http;
                }
                return null;
            default:
                return null;
        }
    }

    /** Judges the window that ends at {@code now} and starts the next. */
    private void close(DdosState s, Device device, long now, FindingSink out) {
        if (s.windowStart != Long.MIN_VALUE && s.packets > 0) {
            judge(s, device, s.windowStart + cfg.windowNanos(), out);
        }
        s.resetWindow(now);
    }

    /**
     * Judges the current window at {@code at}: its end, or, for the device's last window, its last
     * packet in it (a capture that ends 25 ms into a flood is not reported 2 s later; the device's
     * own time, so that both engines agree whenever they end it). The decision always uses the
     * whole window's rate; the reported peak uses the time the window really covered.
     */
    private void judge(DdosState s, Device device, long at, FindingSink out) {
        double seconds = cfg.windowNanos() / 1e9;
        int top = 0;
        for (int i = 1; i < DdosState.SLOTS; i++) {
            if (s.vcount[i] > s.vcount[top]) {
                top = i;
            }
        }
        double pps = s.vcount[top] / seconds;
        long end = at;
        double threshold = s.baseline.threshold(end, cfg.learnNanos(), cfg.floorPps(), cfg.youngFloorPps(), cfg.factor());
        int best = -1;
        for (int i = 0; i < Vector.COUNT; i++) {
            if (s.vectorPackets[i] > 0 && (best < 0 || s.vectorPackets[i] > s.vectorPackets[best])) {
                best = i;
            }
        }
        // The victim of an HTTP GET flood answers every request, a water-torture resolver every
        // query (NXDOMAIN), and a web server under a SYN flood every SYN (a SYN-ACK, with SYN
        // cookies for ever): for those vectors replies prove nothing. (A SYN flood at an open
        // port 80 was missed for its SYN-ACKs: issue 18, item 3.)
        boolean answeredVector = best == Vector.http.ordinal() || best == Vector.dns.ordinal()
                || best == Vector.syn.ordinal();
        // HTTP is judged by requests below, never by packets: a download's packets to one server
        // are its ACKs, and receiving data is not flooding.
        boolean flood = best != Vector.http.ordinal() && pps >= threshold && s.vcount[top] >= cfg.victimShare() * s.packets
                && (answeredVector || s.vreplies[top] <= cfg.maxReplyShare() * s.vcount[top])
                && best >= 0 && s.vectorPackets[best] >= cfg.victimShare() * s.vcount[top];
        // An HTTP flood's packets are mostly handshakes and ACKs around its requests, so its
        // requests never dominate a window: count the requests instead. A page load sends a
        // burst of requests for a second or two; a flood keeps a quarter of the floor rate
        // of requests per second up for two windows in a row.
        double requestRate = s.httpRequests / seconds;
        boolean requesting = requestRate >= cfg.floorPps() / 4;
        s.httpStreak = requesting ? s.httpStreak + 1 : 0;
        // From flows, one record carries the whole rate at once: its duration says how long the
        // rate was kept up (a record arrives once, in one window).
        boolean sustained = s.httpStreak >= 2 || (requesting && s.httpSpanNanos >= 2 * cfg.windowNanos());
        if (!flood && sustained && s.vcount[top] >= cfg.victimShare() * s.packets) {
            flood = true;
            best = Vector.http.ordinal();
        }
        if (!flood) {
            // The baseline is the device's normal rate towards its busiest peer, not its total:
            // a scanner sends a lot in total but one packet per target.
            s.baseline.learn(pps, s.windowStart);
            return;
        }
        Vector v = Vector.values()[best];
        if (v == Vector.udp) {
            // One socket (udpplain) keeps its source port; Mirai's raw udp randomises it per
            // packet. From flows: one flow carrying the packets is one socket.
            boolean oneSocket = s.udpFlows > 0 ? s.udpFlows * 20 < s.vectorPackets[best] : s.sourcePorts.estimate() < 8;
            v = oneSocket ? Vector.udpplain : Vector.udp;
        }
        int k = v.ordinal();
        String victim = new IpAddr(s.vhi[top], s.vlo[top]).toString();
        boolean fresh = s.detected[k] == 0 || s.windowFirstAttack - s.last[k] > 10 * cfg.windowNanos();
        if (fresh) {
            s.first[k] = s.windowFirstAttack;
            s.detected[k] = end;
            s.total[k] = 0;
            s.peakPps[k] = 0;
            s.evidence.get(k).clear();
            s.evidence.get(k).addAll(s.windowEvidence);
        }
        s.victim[k] = victim;
        s.last[k] = end;
        s.total[k] += s.vcount[top];
        // The last window may cover less than its nominal length: its rate is over the time it
        // covered (at least a twentieth of a window, so that one packet is not a rate).
        double covered = Math.max((end - s.windowStart) / 1e9, seconds / 20);
        s.peakPps[k] = Math.max(s.peakPps[k], s.vcount[top] / Math.min(covered, seconds));
        if (fresh) {
            out.emit(finding(s, device, v, threshold));
        }
    }

    @Override
    public void onEnd(DdosState s, Device device, long nowNanos, FindingSink out) {
        if (s.windowStart != Long.MIN_VALUE && s.packets > 0) {
            long windowEnd = s.windowStart + cfg.windowNanos();
            judge(s, device, s.windowLast >= s.windowStart && s.windowLast < windowEnd ? s.windowLast : windowEnd, out);
        }
        for (Vector v : Vector.values()) {
            if (s.detected[v.ordinal()] != 0) {
                out.emit(finding(s, device, v, -1));
            }
        }
    }

    private Finding finding(DdosState s, Device device, Vector v, double threshold) {
        int k = v.ordinal();
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("vector", v.name());
        d.put("direction", "outbound");
        d.put("victim", s.victim[k]);
        d.put("packets", s.total[k]);
        d.put("peak_pps", Math.round(s.peakPps[k]));
        d.put("baseline_pps", Math.round(s.baseline.mean() * 10) / 10.0);
        if (threshold >= 0) {
            d.put("threshold_pps", Math.round(threshold));
        }
        String summary = String.format(Locale.ROOT, "%s is flooding %s (Mirai %s vector): %,d packets/s, %.0fx its normal rate",
                device.ip(), s.victim[k], v.name(), Math.round(s.peakPps[k]),
                s.peakPps[k] / Math.max(1.0, s.baseline.mean()));
        return new Finding(name(), Kind.ddos, device.ip(), v.name(), s.first[k], s.detected[k], s.last[k],
                Severity.critical, 0.85, summary, d, List.copyOf(s.evidence.get(k)));
    }
}
