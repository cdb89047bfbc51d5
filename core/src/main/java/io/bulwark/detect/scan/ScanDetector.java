package io.bulwark.detect.scan;

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
import io.bulwark.sketch.HyperLogLog;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Horizontal scanning by a local device: connection attempts to many distinct destinations
 * that mostly go unanswered. Mirai's scanner (mirai/bot/scanner.c) sends bare TCP SYNs from a
 * raw socket to random IPv4 addresses, 23 nine times in ten and 2323 otherwise, with the
 * sequence number set to the destination address; that fingerprint is reported, and lowers
 * the number of targets needed.
 *
 * <p>Packet mode counts outbound SYNs (without ACK) and inbound SYN-ACKs; flow mode counts
 * TCP flows the device originated, answered when the responder sent SYN-ACK. Distinct
 * targets are held in a HyperLogLog per tumbling window, never in a growing set.
 */
public final class ScanDetector implements Detector<ScanState> {
    private static final int SYN = 0x02;
    private static final int ACK = 0x10;
    private final ScanConfig cfg;

    public ScanDetector(ScanConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "scan";
    }

    @Override
    public ScanState newState() {
        return new ScanState(cfg.hllPrecision());
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public int payloadNeeded(PacketView p) {
        return 0;
    }

    @Override
    public int packetInterest() {
        return TCP_SYN;
    }

    @Override
    public void onPacket(ScanState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        if (p.protocol() != PacketView.PROTO_TCP || p.fragment()) {
            return;
        }
        int flags = p.tcpFlags() & (SYN | ACK);
        if (outbound && flags == SYN) {
            boolean fingerprint = p.ipVersion() == 4 && p.seq() == (p.dstLo() & 0xffff_ffffL);
            EvidenceRef ev = null;
            if (s.windowEvidence.size() < cfg.maxEvidence()) {
                ev = EvidenceRef.of(flow, file, p);
            }
            probe(s, device, p.tsNanos(), p.tsNanos(), HyperLogLog.hash64(p.dstHi(), p.dstLo()), p.dstPort(), fingerprint,
                    ev, out);
        } else if (!outbound && flags == (SYN | ACK)) {
            s.answered++;
            if (s.active) {
                s.episodeAnswered++;
            }
        }
    }

    @Override
    public void onFlow(ScanState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (!outbound || f.fromPackets() || f.protocol() != 6 || (f.tcpFlagsOut() & SYN) == 0) {
            return;
        }
        EvidenceRef ev = s.windowEvidence.size() < cfg.maxEvidence()
                ? EvidenceRef.of(f) : null;
        // A flow record exists only once the flow has ended (or been exported): that is when
        // its evidence can cross a threshold.
        probe(s, device, f.startNanos(), Math.max(f.startNanos(), f.endNanos()),
                HyperLogLog.hash64(f.dst().hi(), f.dst().lo()), f.dstPort(), false, ev, out);
        if ((f.tcpFlagsIn() & (SYN | ACK)) == (SYN | ACK)) {
            s.answered++;
            if (s.active) {
                s.episodeAnswered++;
            }
        }
    }

    private void probe(ScanState s, Device device, long ts, long knownAt, long targetHash, int port, boolean fingerprint,
                       EvidenceRef ev, FindingSink out) {
        if (s.windowStart == Long.MIN_VALUE || ts >= s.windowStart + cfg.windowNanos()) {
            roll(s, device, ts, out);
        }
        s.probes++;
        // Flow records arrive in the order they end, not start.
        s.windowFirst = Math.min(s.windowFirst, ts);
        if (fingerprint) {
            s.fingerprinted++;
        }
        s.windowTargets.add(targetHash);
        s.countPort(port);
        if (ev != null) {
            s.windowEvidence.add(ev);
        }
        if (s.active) {
            s.episodeProbes++;
            if (fingerprint) {
                s.episodeFingerprinted++;
            }
            s.episodeTargets.add(targetHash);
            if (ts > s.episodeLast) {
                s.episodeLast = ts;
            }
        }
        if (!s.reportedThisWindow && crossed(s)) {
            s.reportedThisWindow = true;
            if (!s.active) {
                s.active = true;
                s.episodeFirst = s.windowFirst;
                s.episodeDetected = Math.max(knownAt, s.windowFirst);
                s.episodeLast = Math.max(ts, knownAt);
                s.episodeProbes = s.probes;
                s.episodeAnswered = s.answered;
                s.episodeFingerprinted = s.fingerprinted;
                s.episodeTargets.merge(s.windowTargets);
                s.evidence.addAll(s.windowEvidence);
                out.emit(finding(s, device));
            }
        }
    }

    private boolean crossed(ScanState s) {
        long targets = s.windowTargets.estimate();
        boolean fingerprint = s.fingerprinted >= cfg.fingerprintShare() * s.probes;
        boolean enough = targets >= cfg.minTargets() || (fingerprint && targets >= cfg.fingerprintTargets());
        return enough && s.answered <= cfg.maxAnsweredShare() * s.probes;
    }

    /** Starts a new window; an episode whose last window stayed below the threshold ends. */
    private void roll(ScanState s, Device device, long ts, FindingSink out) {
        if (s.active) {
            out.emit(finding(s, device));
            // The episode goes on only while consecutive windows cross the threshold.
            boolean quietWindowBetween = ts >= s.windowStart + 2 * cfg.windowNanos();
            if (!s.reportedThisWindow || quietWindowBetween) {
                s.endEpisode();
            }
        }
        if (!s.active) {
            java.util.Arrays.fill(s.ports, 0);
            java.util.Arrays.fill(s.portProbes, 0);
            s.otherPortProbes = 0;
        }
        s.resetWindow(ts);
    }

    @Override
    public void onEnd(ScanState s, Device device, long nowNanos, FindingSink out) {
        if (s.active) {
            out.emit(finding(s, device));
        }
    }

    private Finding finding(ScanState s, Device device) {
        long targets = s.episodeTargets.estimate();
        boolean mirai = s.episodeProbes > 0 && s.episodeFingerprinted >= cfg.fingerprintShare() * s.episodeProbes;
        List<Map<String, Object>> ports = portShares(s);
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("direction", "outbound");
        detail.put("protocol", "tcp");
        detail.put("ports", ports);
        detail.put("targets", targets);
        detail.put("probes", s.episodeProbes);
        detail.put("answered_share", s.episodeProbes == 0 ? 0.0 : round3((double) s.episodeAnswered / s.episodeProbes));
        detail.put("mirai_fingerprint", mirai);
        detail.put("fingerprint_share", s.episodeProbes == 0 ? 0.0 : round3((double) s.episodeFingerprinted / s.episodeProbes));
        double seconds = Math.max(0.001, (s.episodeLast - s.episodeFirst) / 1e9);
        detail.put("duration_s", round3(seconds));
        String summary = String.format(Locale.ROOT, "%s is scanning TCP/%s%s: %s targets in %s s",
                device.ip(), portList(ports), mirai ? " with Mirai's fingerprint" : "",
                NumberFormat.getIntegerInstance(Locale.ROOT).format(targets), NumberFormat.getIntegerInstance(Locale.ROOT).format(Math.round(seconds)));
        double confidence = mirai ? 0.95 : Math.min(0.9, 0.6 + targets / 1000.0);
        return new Finding(name(), Kind.scan, device.ip(), "", s.episodeFirst, s.episodeDetected, s.episodeLast,
                mirai ? Severity.high : Severity.medium, confidence, summary, detail, List.copyOf(s.evidence));
    }

    private static List<Map<String, Object>> portShares(ScanState s) {
        long total = s.otherPortProbes;
        for (long c : s.portProbes) {
            total += c;
        }
        List<int[]> order = new ArrayList<>();
        for (int i = 0; i < ScanState.PORT_SLOTS; i++) {
            if (s.portProbes[i] > 0) {
                order.add(new int[] {i});
            }
        }
        order.sort((a, b) -> Long.compare(s.portProbes[b[0]], s.portProbes[a[0]]));
        List<Map<String, Object>> out = new ArrayList<>();
        for (int[] o : order) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("port", s.ports[o[0]]);
            m.put("probes", s.portProbes[o[0]]);
            m.put("share", total == 0 ? 0.0 : round3((double) s.portProbes[o[0]] / total));
            out.add(m);
        }
        return out;
    }

    private static String portList(List<Map<String, Object>> ports) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(3, ports.size());
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append(i == n - 1 ? " and " : ", ");
            }
            sb.append(ports.get(i).get("port"));
        }
        if (ports.size() > 3) {
            sb.append(" and others");
        }
        return sb.toString();
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
