package io.bulwark.detect.ioc;

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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Contact between a local device and an indicator of compromise from a partner's list
 * ({@link IocList}). Three ways to see it:
 * <ul>
 *   <li><b>address</b> (flows, so also NetFlow/IPFIX/conn.log): the flow's peer is a listed
 *       address. The device calling it is outbound, high severity; a listed host calling the
 *       device (a known scanner probing us) is inbound, medium severity.</li>
 *   <li><b>dns</b> (packets): a query the device sends, or an answer it receives, for a listed
 *       domain or a name under it, or for the host of a listed URL.</li>
 *   <li><b>http</b> (packets): a request the device sends whose Host header and target are a
 *       listed URL, or whose Host is a listed domain.</li>
 * </ul>
 * One finding per device, indicator and episode: the first contact raises it, a later contact
 * with a higher severity updates it, and the end of input reports the episode's totals. A
 * contact after {@code episodeGap} of silence starts a new episode. An empty list does nothing.
 *
 * <p>Allocation: flows allocate only when they match. Packets are looked at only when the list
 * names hosts; then each DNS message's question and each packet that starts an HTTP request
 * allocate their name (as {@link DnsAnswers} does for the C2 detector); other packets nothing.
 */
public final class IocDetector implements Detector<IocState> {
    /** Bytes of a request searched for its Host header. */
    private static final int MAX_REQUEST_HEAD = 2048;

    private final IocConfig cfg;
    private final IocList list;

    public IocDetector(IocConfig cfg) {
        this.cfg = cfg;
        this.list = cfg.list();
    }

    @Override
    public String name() {
        return "ioc";
    }

    @Override
    public IocState newState() {
        return new IocState(cfg.maxPerDevice());
    }

    @Override
    public int payloadNeeded(PacketView p) {
        if (p.protocol() == PacketView.PROTO_UDP) {
            return p.srcPort() == 53 || p.dstPort() == 53 ? WHOLE_PAYLOAD : 3;
        }
        return p.protocol() == PacketView.PROTO_TCP && startsRequest(p) ? MAX_REQUEST_HEAD : 5;
    }

    @Override
    public boolean wantsPackets() {
        return list.hasNames();
    }

    @Override
    public int packetInterest() {
        return TCP_PAYLOAD | UDP_PAYLOAD;
    }

    @Override
    public void onFlow(IocState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (list.isEmpty()) {
            return;
        }
        IpAddr peer = outbound ? f.dst() : f.src();
        IocList.Indicator ind = list.address(peer);
        if (ind == null) {
            return;
        }
        long at = Math.max(f.startNanos(), f.endNanos());
        Severity sev = outbound ? Severity.high : Severity.medium;
        double conf = outbound ? 0.9 : 0.6;
        contact(s, device, ind, peer.toString(), f.dstPort(), outbound, "address", null, f.startNanos(), at, sev, conf,
                EvidenceRef.of(f), out);
    }

    @Override
    public void onPacket(IocState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        if (p.protocol() == PacketView.PROTO_UDP) {
            if (p.payloadLength() < 12) {
                return;
            }
            boolean query = outbound && p.dstPort() == 53 && (p.payloadByte(2) & 0x80) == 0;
            boolean answer = !outbound && p.srcPort() == 53 && (p.payloadByte(2) & 0x80) != 0;
            if (query || answer) {
                dns(s, device, p, query, flow, file, out);
            }
        } else if (outbound && p.protocol() == PacketView.PROTO_TCP && startsRequest(p)) {
            http(s, device, p, flow, file, out);
        }
    }

    private void dns(IocState s, Device device, PacketView p, boolean query, FlowEntry flow, String file, FindingSink out) {
        String name = DnsAnswers.question(p);
        IocList.Indicator ind = name == null ? null : list.domain(name);
        if (ind == null) {
            return;
        }
        boolean hostOnly = ind.type() == IocList.Type.url;
        IpAddr resolver = query ? new IpAddr(p.dstHi(), p.dstLo()) : new IpAddr(p.srcHi(), p.srcLo());
        contact(s, device, ind, resolver.toString(), 53, true, query ? "dns_query" : "dns_answer", name,
                flow.start(), p.tsNanos(), hostOnly ? Severity.medium : Severity.high, hostOnly ? 0.7 : 0.85,
                EvidenceRef.of(flow, file, p), out);
    }

    private void http(IocState s, Device device, PacketView p, FlowEntry flow, String file, FindingSink out) {
        int n = Math.min(p.payloadLength(), MAX_REQUEST_HEAD);
        int sp1 = indexOf(p, ' ', 0, n);
        int sp2 = sp1 < 0 ? -1 : indexOf(p, ' ', sp1 + 1, n);
        int eol = sp2 < 0 ? -1 : indexOf(p, '\n', sp2, n);
        if (eol < 0) {
            return;
        }
        String target = ascii(p, sp1 + 1, sp2);
        String host = null;
        for (int at = eol + 1; at < n && host == null; ) {
            int end = indexOf(p, '\n', at, n);
            int lineEnd = end < 0 ? n : end;
            if (lineEnd - at > 5 && (p.payloadByte(at) | 0x20) == 'h' && (p.payloadByte(at + 1) | 0x20) == 'o'
                    && (p.payloadByte(at + 2) | 0x20) == 's' && (p.payloadByte(at + 3) | 0x20) == 't' && p.payloadByte(at + 4) == ':') {
                host = ascii(p, at + 5, lineEnd).strip();
            }
            if (end < 0 || lineEnd - at <= 1) {
                break;
            }
            at = end + 1;
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
            int slash = target.indexOf('/', target.indexOf("://") + 3);
            String authority = target.substring(target.indexOf("://") + 3, slash < 0 ? target.length() : slash);
            host = host == null ? authority : host;
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (host == null || host.isEmpty()) {
            return;
        }
        host = hostKey(host);
        IocList.Indicator ind = list.url(host, target);
        boolean full = ind != null;
        if (ind == null) {
            ind = list.domain(host);
            if (ind != null && ind.type() == IocList.Type.url) {
                // The request is visible and asks for another path of the URL's host: a shared
                // or compromised web host serves more than the listed file.
                ind = null;
            }
        }
        if (ind == null) {
            return;
        }
        contact(s, device, ind, new IpAddr(p.dstHi(), p.dstLo()).toString(), p.dstPort(), true,
                full ? "http_url" : "http_host", host + target, flow.start(), p.tsNanos(),
                Severity.high, full ? 0.95 : 0.85,
                EvidenceRef.of(flow, file, p), out);
    }

    private void contact(IocState s, Device device, IocList.Indicator ind, String peer, int port, boolean outbound,
                         String matched, String name, long start, long at, Severity sev, double conf,
                         EvidenceRef ev, FindingSink out) {
        IocState.Hit h = s.find(ind);
        if (h != null && start > h.last + cfg.episodeGapNanos()) {
            out.emit(finding(device, h));
            h.indicator = null;
        }
        if (h == null || h.indicator == null) {
            if (h == null) {
                h = s.slot();
                if (h.indicator != null) {
                    // Forgetting the least recently contacted indicator: its episode ends here.
                    out.emit(finding(device, h));
                }
            }
            h.indicator = ind;
            h.peer = peer;
            h.port = port;
            h.outbound = outbound;
            h.matched = matched;
            h.name = name;
            h.first = start;
            h.last = at;
            h.detectedAt = at;
            h.contacts = 1;
            h.severity = sev;
            h.confidence = conf;
            h.evidence.clear();
            h.evidence.add(ev);
            out.emit(finding(device, h));
            return;
        }
        h.contacts++;
        h.first = Math.min(h.first, start);
        h.last = Math.max(h.last, at);
        if (h.evidence.size() < IocState.MAX_EVIDENCE) {
            h.evidence.add(ev);
        }
        if (sev.compareTo(h.severity) > 0 || (sev == h.severity && conf > h.confidence)) {
            h.peer = peer;
            h.port = port;
            h.outbound = outbound;
            h.matched = matched;
            h.name = name;
            h.severity = sev;
            h.confidence = conf;
            out.emit(finding(device, h));
        }
    }

    @Override
    public void onEnd(IocState s, Device device, long nowNanos, FindingSink out) {
        for (IocState.Hit h : s.hits) {
            if (h != null && h.indicator != null) {
                out.emit(finding(device, h));
            }
        }
    }

    private Finding finding(Device device, IocState.Hit h) {
        IocList.Indicator ind = h.indicator;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("indicator", ind.value());
        d.put("type", ind.type().name());
        d.put("source", ind.source());
        d.put("peer", h.peer);
        d.put("port", h.port);
        d.put("direction", h.outbound ? "outbound" : "inbound");
        d.put("matched", h.matched);
        if (h.name != null) {
            d.put("name", h.name);
        }
        d.put("contacts", h.contacts);
        String how = switch (h.matched) {
            case "dns_query" -> "looked up " + h.name;
            case "dns_answer" -> "got an answer for " + h.name;
            case "http_url", "http_host" -> "requested http://" + h.name;
            default -> h.outbound ? "contacted " + h.peer + ":" + h.port : "was contacted by " + h.peer + " on port " + h.port;
        };
        String summary = String.format(Locale.ROOT, "%s %s, listed as %s %s by %s", device.ip(), how, ind.type(),
                ind.value(), ind.source().isEmpty() ? "an indicator list" : ind.source());
        return new Finding(name(), Kind.ioc, device.ip(), ind.value(), h.first, h.detectedAt, h.last, h.severity,
                h.confidence, summary, d, List.copyOf(h.evidence));
    }

    private static boolean startsRequest(PacketView p) {
        int n = p.payloadLength();
        if (n < 16) {
            return false;
        }
        int a = p.payloadByte(0), b = p.payloadByte(1), c = p.payloadByte(2), d = p.payloadByte(3);
        return (a == 'G' && b == 'E' && c == 'T' && d == ' ')
                || (a == 'P' && b == 'O' && c == 'S' && d == 'T' && p.payloadByte(4) == ' ')
                || (a == 'H' && b == 'E' && c == 'A' && d == 'D' && p.payloadByte(4) == ' ')
                || (a == 'P' && b == 'U' && c == 'T' && d == ' ');
    }

    private static String hostKey(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            int close = h.indexOf(']');
            h = close < 0 ? h : h.substring(1, close);
        } else {
            int colon = h.indexOf(':');
            if (colon >= 0 && h.indexOf(':', colon + 1) < 0) {
                h = h.substring(0, colon);
            }
        }
        IpAddr literal = IpAddr.parse(h);
        if (literal != null) {
            return literal.toString();
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }

    private static int indexOf(PacketView p, char c, int from, int n) {
        for (int i = from; i < n; i++) {
            if (p.payloadByte(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** Printable ASCII of payload bytes [from, to), other bytes as '?'; CR dropped. */
    private static String ascii(PacketView p, int from, int to) {
        StringBuilder b = new StringBuilder(Math.max(0, to - from));
        for (int i = from; i < to; i++) {
            int c = p.payloadByte(i);
            if (c != '\r') {
                b.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
            }
        }
        return b.toString();
    }
}
