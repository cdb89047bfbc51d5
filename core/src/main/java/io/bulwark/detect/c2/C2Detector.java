package io.bulwark.detect.c2;

import io.bulwark.decode.dns.DnsAnswers;
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
import io.bulwark.net.LocalNets;
import io.bulwark.net.PortSet;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Command-and-control contact by a local device with one outside peer. Five rules, each
 * seen in real bots, none needing payload except the last:
 * <ol>
 *   <li><b>report</b>: an established connection to a scan-report port (Mirai's loader
 *       collects brute-force results on TCP 48101); a lone SYN or a flood's packet is none.</li>
 *   <li><b>persistent</b>: at least {@code minAttempts} connections (not records: a TCP
 *       connection cut into several records is one) to the same peer and port over at least
 *       {@code minSpan}, mostly unanswered or refused, while other outside hosts answer the
 *       device. Bots keep calling a C2 server that is down or sinkholed: Hakai (IoT-23 8-1)
 *       opens a connection to port 50 every ~80 s for a day, Torii retries 443, the IoT-23 42-1
 *       trojan port 4975. An offline or firewalled device retries every cloud it knows and
 *       none answers (the IoT Sentinel WeMo Link's setups): the connectivity condition tells
 *       the two apart. A benign device whose one cloud is down while the rest of its internet
 *       works is what this rule cannot tell from a dead C2.</li>
 *   <li><b>periodic</b>: at least {@code minPeriodicRepeats} connections, answered or not, to
 *       one peer on a port that is not an ordinary cloud-service port, at a regular interval
 *       (coefficient of variation at most {@code maxPeriodCv}). NTP, DNS and TLS/MQTT
 *       keep-alives are periodic too, which is why service ports are excluded.</li>
 *   <li><b>keepalive</b> (packets only): inside one TCP session to a non-service port, the
 *       device sends tiny payloads (at most 8 bytes) at a regular interval. Mirai's bot
 *       holds its CNC connection on TCP 23 with 2-byte keep-alives every 60 s.</li>
 *   <li><b>telnet_session</b> (flows): the same CNC session as an exporter shows it: at least
 *       three answered records of at most ten packets each to one outside telnet port, over at
 *       least {@code minSpan}.</li>
 * </ol>
 * State per device is a fixed table of peer slots ({@link C2State}).
 */
public final class C2Detector implements Detector<C2State> {
    private final C2Config cfg;
    private final LocalNets nets;
    private final PortSet servicePorts;

    public C2Detector(C2Config cfg, LocalNets nets) {
        this.cfg = cfg;
        this.nets = nets;
        this.servicePorts = new PortSet(cfg.servicePorts());
    }

    @Override
    public String name() {
        return "c2";
    }

    @Override
    public C2State newState() {
        return new C2State(cfg.peerSlots());
    }

    @Override
    public int payloadNeeded(PacketView p) {
        // Only DNS answers are read (for the names behind peers); keepalives by length alone.
        return p.protocol() == PacketView.PROTO_UDP && p.srcPort() == 53 ? WHOLE_PAYLOAD : 0;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public int packetInterest() {
        return TCP_PAYLOAD | UDP_PAYLOAD;
    }

    @Override
    public void onFlow(C2State s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (!outbound) {
            // An outside host that started a conversation the device answered also shows that its
            // internet works. Exporters that give both directions the same start time (softflowd
            // on a day-long NTP exchange) leave the originator to a tie-break.
            if (f.packetsIn() > 0 && f.packetsOut() > 0 && !nets.contains(f.src())
                    && LocalNets.isUnicast(f.src().hi(), f.src().lo()) && (f.protocol() == 17 || !f.unanswered())) {
                answeredOutside(s, device, f.startNanos(), Math.max(f.endNanos(), f.startNanos()), null, out);
            }
            return;
        }
        if ((f.protocol() != 6 && f.protocol() != 17) || nets.contains(f.dst())
                || !LocalNets.isUnicast(f.dst().hi(), f.dst().lo())) {
            return;
        }
        long ts = f.startNanos();
        long at = Math.max(f.endNanos(), ts);
        boolean unanswered = f.protocol() == 6
                ? f.unanswered() || "RSTOS0".equals(f.state()) || "SH".equals(f.state())
                : f.packetsIn() == 0;
        C2State.Peer peer = s.peer(f.dst().hi(), f.dst().lo(), f.dstPort(), f.protocol(), ts);
        if (peer.attempts == 0) {
            peer.srcPort = f.srcPort();
        }
        if (f.srcPort() == peer.srcPort) {
            peer.sameConnection++;
        }
        // One TCP connection split into several records (SYN retransmissions past the attempt
        // timeout, active-timeout pieces, a FIN-retransmission tail that Zeek logs as SH) is one
        // attempt: only a new source port is a new connection. It counts as answered if any of
        // its records was.
        int known = f.protocol() == 6 ? peer.connection(f.srcPort()) : -1;
        if (known >= 0) {
            if (!unanswered && !peer.connAnswered[known]) {
                peer.connAnswered[known] = true;
                peer.unanswered--;
            }
        } else {
            if (f.protocol() == 6) {
                peer.addConnection(f.srcPort(), !unanswered);
            }
            if (peer.attempts > 0 && ts >= peer.last) {
                double dt = ts - peer.last;
                peer.intervals++;
                double delta = dt - peer.mean;
                peer.mean += delta / peer.intervals;
                peer.m2 += delta * (dt - peer.mean);
            }
            peer.attempts++;
            if (ts > peer.last) {
                peer.last = ts;
            }
            if (unanswered) {
                peer.unanswered++;
                peer.firstFailure = Math.min(peer.firstFailure, ts);
            }
        }
        peer.lastEnd = Math.max(peer.lastEnd, at);
        peer.lastRecord = Math.max(peer.lastRecord, ts);
        if (peer.evidence.size() < 4) {
            peer.evidence.add(EvidenceRef.of(f));
        }
        if (!unanswered) {
            answeredOutside(s, device, ts, at, peer, out);
        }
        if (peer.reported) {
            return;
        }
        String rule = null;
        if (cfg.reportPorts().contains(f.dstPort()) && f.protocol() == 6 && established(f)) {
            rule = "report";
        } else if (persistent(s, peer)) {
            rule = "persistent";
        } else if (!servicePorts.contains(f.dstPort()) && !telnet(f.dstPort()) && peer.attempts >= cfg.minPeriodicRepeats()
                && regular(peer.intervals, peer.mean, peer.m2)
                && (peer.unanswered < cfg.minUnansweredShare() * peer.attempts || internetWorked(s, peer))) {
            // Telnet is left to the keep-alive and session rules: a brute-forcer reconnecting to
            // one victim for each guess looks periodic too. Mostly unanswered periodic retries
            // are judged like the persistent rule's: an offline device retries on a timer too.
            rule = "periodic";
        } else if (f.protocol() == 6 && telnet(f.dstPort()) && !unanswered && peer.sameConnection >= 3
                && peer.lastRecord - peer.first >= cfg.minSpanNanos() && f.packetsOut() <= 10) {
            // A quiet session with an outside host's telnet port that goes on for minutes: Mirai's
            // CNC link. An exporter cuts it into a record per active timeout, each carrying a
            // keep-alive or two, all with the same source port; a brute-forcer opens a new
            // connection (a new source port) for every guess.
            rule = "telnet_session";
        }
        if (rule != null) {
            report(s, device, peer, rule, at, out);
        }
    }

    /**
     * The persistent rule: enough connections to one peer over enough time, mostly unanswered,
     * while the device's internet worked (an outside host answered it at some time from the
     * first failure to {@code connectivityWindow} after the last attempt). A
     * device that is offline or firewalled retries every cloud it knows and is answered by none:
     * that is an outage, not a dead C2 server.
     */
    private boolean persistent(C2State s, C2State.Peer peer) {
        return peer.proto == 6 && peer.attempts >= cfg.minAttempts() && peer.last - peer.first >= cfg.minSpanNanos()
                && peer.unanswered >= cfg.minUnansweredShare() * peer.attempts && internetWorked(s, peer);
    }

    /**
     * The device's known connectivity overlaps the peer's failures: from its first failure to
     * {@code connectivityWindow} after its last attempt.
     */
    private boolean internetWorked(C2State s, C2State.Peer peer) {
        return s.answeredTo != Long.MIN_VALUE && s.answeredTo >= peer.firstFailure
                && s.answeredFrom <= peer.last + cfg.connectivityWindowNanos();
    }

    /**
     * An outside host answered the device during [{@code from}, {@code to}] (a record's start and
     * end): its internet worked then, so a peer that kept failing meanwhile may now be judged by
     * the persistent rule. The device keeps one interval of known connectivity: the latest, merged
     * with the previous when they touch. A long record (an NTP or cloud session exported once,
     * at its end) proves connectivity over its whole span, not at its start only.
     */
    private void answeredOutside(C2State s, Device device, long from, long to, C2State.Peer answered, FindingSink out) {
        if (s.answeredTo != Long.MIN_VALUE && from <= s.answeredTo + cfg.connectivityWindowNanos()) {
            if (from >= s.answeredFrom && to <= s.answeredTo) {
                return;
            }
            s.answeredFrom = Math.min(s.answeredFrom, from);
            s.answeredTo = Math.max(s.answeredTo, to);
        } else if (to > s.answeredTo) {
            s.answeredFrom = from;
            s.answeredTo = to;
        } else {
            return;
        }
        for (C2State.Peer p : s.peers) {
            if (p != null && p != answered && !p.reported && persistent(s, p)) {
                // Records may arrive out of start order (Zeek logs a connection when it ends):
                // the evidence is complete when both the answer and the peer's last record are in.
                report(s, device, p, "persistent", Math.max(to, p.lastEnd), out);
            }
        }
    }

    private void report(C2State s, Device device, C2State.Peer peer, String rule, long at, FindingSink out) {
        peer.reported = true;
        peer.rule = rule;
        peer.detectedAt = at;
        out.emit(finding(s, device, peer, rule, peer.first, at, at));
    }

    @Override
    public void onPacket(C2State s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        int len = p.payloadLength();
        if (p.protocol() == PacketView.PROTO_UDP) {
            dns(s, p, outbound);
            return;
        }
        if (!outbound || p.protocol() != PacketView.PROTO_TCP || len == 0 || len > cfg.keepaliveMaxPayload()) {
            return;
        }
        keepalive(s, device, p, flow, file, out);
    }

    /**
     * DNS, for naming peers and for the resolver a device uses: Mirai resolves its CNC through
     * a hard-coded 8.8.8.8 even where the LAN's resolver is the gateway. Neither fires on its
     * own (IoT-23's Torii device queries 8.8.8.8 before its labelled C2 starts); they go into
     * the finding's detail.
     */
    private void dns(C2State s, PacketView p, boolean outbound) {
        if (outbound && p.dstPort() == 53) {
            if (nets.contains(p.dstHi(), p.dstLo())) {
                s.localResolverQueries++;
            } else if (s.localResolverQueries > 0 && s.publicResolver == null) {
                s.publicResolver = new IpAddr(p.dstHi(), p.dstLo()).toString();
            }
        } else if (!outbound && p.srcPort() == 53) {
            DnsAnswers.read(p, s::resolved);
        }
    }

    private void keepalive(C2State s, Device device, PacketView p, FlowEntry flow, String file, FindingSink out) {
        if (servicePorts.contains(p.dstPort()) || nets.contains(p.dstHi(), p.dstLo())) {
            return;
        }
        long ts = p.tsNanos();
        C2State.Peer peer = s.peer(p.dstHi(), p.dstLo(), p.dstPort(), PacketView.PROTO_TCP, ts);
        // Mirai's first keep-alive comes 10 s after connecting, the rest every 60 s: the first
        // interval says nothing about the period and is left out.
        if (peer.keepalives > 1 && ts > peer.kaLast) {
            double dt = ts - peer.kaLast;
            peer.kaIntervals++;
            double delta = dt - peer.kaMean;
            peer.kaMean += delta / peer.kaIntervals;
            peer.kaM2 += delta * (dt - peer.kaMean);
        }
        if (peer.keepalives == 0) {
            peer.first = Math.min(peer.first, flow.start());
        }
        peer.keepalives++;
        peer.kaLast = ts;
        if (peer.evidence.size() < 4) {
            peer.evidence.add(EvidenceRef.of(flow, file, p));
        }
        if (!peer.reported && peer.kaIntervals >= cfg.minKeepalives() && regular(peer.kaIntervals, peer.kaMean, peer.kaM2)) {
            peer.mean = peer.kaMean;
            peer.m2 = peer.kaM2;
            peer.intervals = peer.kaIntervals;
            report(s, device, peer, "keepalive", ts, out);
        }
    }

    /**
     * Whether a record shows a real connection, as the report rule needs: a lone SYN, a refused
     * attempt or one packet of a random-port flood that hits port 48101 reports nothing. Either
     * the handshake was answered (Zeek's S1, S2, S3, SF, RSTO, RSTR), or, when the exporter saw
     * only the device's direction, the device sent SYN, ACK and PSH in at least three packets
     * that carry more than bare 40-byte headers. Without any TCP flags (an exporter that sends
     * none), any answer counts.
     */
    private static boolean established(FlowRecord f) {
        switch (f.state() == null ? "-" : f.state()) {
            case "S1", "S2", "S3", "SF", "RSTO", "RSTR":
                return true;
            default:
                break;
        }
        if (f.tcpFlagsOut() == 0 && f.tcpFlagsIn() == 0) {
            return f.packetsIn() > 0;
        }
        int synAckPsh = 0x02 | 0x10 | 0x08;
        return f.packetsIn() == 0 && (f.tcpFlagsOut() & synAckPsh) == synAckPsh && f.packetsOut() >= 3
                && f.bytesOut() > 40 * f.packetsOut();
    }

    private static boolean telnet(int port) {
        return port == 23 || port == 2323;
    }

    private boolean regular(long n, double mean, double m2) {
        if (n < 2 || mean < cfg.minPeriodNanos() || mean > cfg.maxPeriodNanos()) {
            return false;
        }
        double sd = Math.sqrt(m2 / (n - 1));
        return sd / mean <= cfg.maxPeriodCv();
    }

    @Override
    public void onEnd(C2State s, Device device, long nowNanos, FindingSink out) {
        for (C2State.Peer p : s.peers) {
            if (p != null && p.reported) {
                out.emit(finding(s, device, p, p.rule, p.first, p.detectedAt, Math.max(p.detectedAt, Math.max(p.lastRecord, p.kaLast))));
            }
        }
    }

    private Finding finding(C2State s, Device device, C2State.Peer p, String rule, long first, long detected, long last) {
        IpAddr peer = new IpAddr(p.hi, p.lo);
        String proto = p.proto == 6 ? "tcp" : "udp";
        double period = p.intervals > 0 ? p.mean / 1e9 : 0;
        double cv = p.intervals > 1 ? Math.sqrt(p.m2 / (p.intervals - 1)) / Math.max(p.mean, 1) : 0;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("peer", peer.toString());
        d.put("port", p.port);
        d.put("protocol", proto);
        if (rule != null) {
            d.put("rule", rule);
        }
        d.put("attempts", p.attempts);
        d.put("answered_share", p.attempts == 0 ? 1.0 : round3(1.0 - (double) p.unanswered / p.attempts));
        d.put("keepalives", p.keepalives);
        d.put("period_s", round3(period));
        d.put("period_cv", round3(cv));
        d.put("domain", s.nameOf(p.hi, p.lo));
        if (s.publicResolver != null) {
            d.put("public_resolver", s.publicResolver);
        }
        String what = switch (rule == null ? "update" : rule) {
            case "report" -> "reported to a scan-report server";
            case "keepalive" -> String.format(Locale.ROOT, "holds a session with %d-second keep-alives", Math.round(period));
            case "periodic" -> String.format(Locale.ROOT, "contacts it every %d s", Math.round(period));
            default -> String.format(Locale.ROOT, "keeps calling it: %d attempts, %d unanswered", p.attempts, p.unanswered);
        };
        String summary = String.format(Locale.ROOT, "%s is in contact with a likely C2 server %s:%d/%s: %s",
                device.ip(), peer, p.port, proto, what);
        double conf = "report".equals(rule) ? 0.9 : "keepalive".equals(rule) ? 0.85 : 0.75;
        return new Finding(name(), Kind.c2, device.ip(), peer + ":" + p.port + "/" + proto, first,
                detected, last, Severity.high, conf, summary, d, List.copyOf(p.evidence));
    }

    private static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
