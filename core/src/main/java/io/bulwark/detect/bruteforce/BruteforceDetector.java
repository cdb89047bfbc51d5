package io.bulwark.detect.bruteforce;

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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Login guessing against telnet and SSH, in both directions: against a local device (the
 * incident's host is the device under attack) and by a local device against others (its
 * direction says "outbound"). Mirai's scanner (scanner.c) logs in with one credential from
 * its table per connection, reconnecting after each "Login incorrect".
 * <ul>
 *   <li>Packets: each telnet session is followed ({@link TelnetSession}): the line typed after a
 *       login prompt is the user, the one after a password prompt the password; the server's
 *       next words say whether it worked ("incorrect" or a new prompt, or a shell prompt).
 *       Credentials go to detail.credentials.</li>
 *   <li>Flows (SSH, whose payload is encrypted, and every flow-only source): many short
 *       established sessions on a login port within the window.</li>
 * </ul>
 */
public final class BruteforceDetector implements Detector<BruteforceState> {
    private final BruteforceConfig cfg;

    public BruteforceDetector(BruteforceConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String name() {
        return "bruteforce";
    }

    @Override
    public BruteforceState newState() {
        return new BruteforceState(cfg.sessions());
    }

    @Override
    public int payloadNeeded(PacketView p) {
        boolean telnet = p.protocol() == PacketView.PROTO_TCP
                && (p.srcPort() == 23 || p.srcPort() == 2323 || p.dstPort() == 23 || p.dstPort() == 2323);
        return telnet ? WHOLE_PAYLOAD : 0;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public int packetInterest() {
        return TCP_PAYLOAD;
    }

    @Override
    public void onPacket(BruteforceState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        if (p.protocol() != PacketView.PROTO_TCP || p.payloadLength() == 0) {
            return;
        }
        int localPort = outbound ? p.srcPort() : p.dstPort();
        int remotePort = outbound ? p.dstPort() : p.srcPort();
        boolean deviceIsServer;
        if (localPort == 23 || localPort == 2323) {
            deviceIsServer = true;
        } else if (remotePort == 23 || remotePort == 2323) {
            deviceIsServer = false;
        } else {
            return;
        }
        long ts = p.tsNanos();
        TelnetSession t = s.session(flow.uid(), ts);
        boolean fromClient = deviceIsServer != outbound;
        BruteforceState.Side side = deviceIsServer ? s.in : s.out;
        int n = p.payloadLength();
        for (int i = 0; i < n; i++) {
            TelnetSession.Event e = fromClient ? t.client(p.payloadByte(i)) : t.server(p.payloadByte(i));
            if ((e == TelnetSession.Event.ATTEMPT || e == TelnetSession.Event.SUCCESS)
                    && DefaultCredentials.contains(t.user, t.password)) {
                side.defaultCredential = true;
            }
            if (e == TelnetSession.Event.ATTEMPT) {
                side.window(ts, cfg.windowNanos());
                side.attempts++;
                side.total++;
                side.credential(t.user == null ? "" : t.user, t.password == null ? "" : t.password, cfg.maxCredentials());
                side.peer(deviceIsServer ? flow.originatorLo() : flow.responderLo());
                if (side.evidence.size() < 8) {
                    side.evidence.add(EvidenceRef.of(flow, file, p));
                }
                check(side, device, deviceIsServer, ts, out);
                spreading(s, side, device, deviceIsServer, t, ts, out);
            } else if (e == TelnetSession.Event.SUCCESS) {
                side.success = true;
                side.successCredential = new String[] {t.user == null ? "" : t.user, t.password == null ? "" : t.password};
                side.last = Math.max(side.last, ts);
                if (!side.reported && side.attempts > 0 && deviceIsServer) {
                    // One guess that works is enough to report: the device is open to the bots.
                    report(side, device, true, ts, out);
                }
                spreading(s, side, device, deviceIsServer, t, ts, out);
            }
        }
    }

    @Override
    public void onFlow(BruteforceState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        int port = f.dstPort();
        if (outbound && f.protocol() == 6 && (port == 23 || port == 2323)) {
            // Every telnet connection attempt by the device, answered or not: is it probing?
            long ts = f.startNanos();
            if (s.probeWindowStart == Long.MIN_VALUE || ts - s.probeWindowStart > cfg.windowNanos()) {
                s.probeWindowStart = ts;
                s.probes = 0;
            }
            s.probes++;
        }
        if (f.protocol() != 6 || !cfg.loginPorts().contains(port) || (f.fromPackets() && port != 22)) {
            return;
        }
        boolean established = (f.tcpFlagsIn() & 0x12) == 0x12 && f.packetsIn() > 0;
        if (!established || f.durationNanos() > 60_000_000_000L) {
            return;
        }
        BruteforceState.Side side = outbound ? s.out : s.in;
        long ts = f.startNanos();
        side.window(ts, cfg.windowNanos());
        side.flowAttempts++;
        side.total++;
        side.service = port == 22 ? "ssh" : "telnet";
        side.peer(outbound ? f.dst().lo() : f.src().lo());
        if (side.evidence.size() < 8) {
            side.evidence.add(EvidenceRef.of(f));
        }
        // A device probing telnet ports (min_probes) that holds short sessions with as many hosts
        // as the packet rule asks (min_outbound_hosts, one session each) is logging into what it
        // found: flows cannot show the credential, the probing and the sessions together can.
        int needed = outbound && s.probes >= cfg.minProbes() ? cfg.minOutboundHosts() : cfg.minFlowAttempts();
        if (!side.reported && side.flowAttempts >= needed
                && (!outbound || side.peerCount >= cfg.minOutboundHosts())) {
            report(side, device, !outbound, Math.max(ts, f.endNanos()), out);
        }
    }

    /**
     * A device probing telnet ports that logs into another host with a factory credential is
     * spreading (the propagation stage), at its first login, whether or not it had to guess.
     */
    private void spreading(BruteforceState s, BruteforceState.Side side, Device device, boolean deviceIsServer,
                           TelnetSession t, long ts, FindingSink out) {
        if (deviceIsServer || side.reported || !DefaultCredentials.contains(t.user, t.password)
                || s.probes < cfg.minProbes() || ts - s.probeWindowStart > cfg.windowNanos()) {
            return;
        }
        if (side.attempts == 0) {
            // A success seen without its attempt (the prompt was before the capture): count it.
            side.window(ts, cfg.windowNanos());
            side.attempts++;
            side.total++;
            side.credential(t.user == null ? "" : t.user, t.password == null ? "" : t.password, cfg.maxCredentials());
        }
        side.propagation = true;
        report(side, device, false, ts, out);
    }

    private void check(BruteforceState.Side side, Device device, boolean inbound, long ts, FindingSink out) {
        if (side.reported) {
            return;
        }
        boolean enough = inbound ? side.attempts >= cfg.minInbound()
                : side.attempts >= cfg.minOutbound() && side.peerCount >= cfg.minOutboundHosts();
        if (enough) {
            report(side, device, inbound, ts, out);
        }
    }

    private void report(BruteforceState.Side side, Device device, boolean inbound, long ts, FindingSink out) {
        side.reported = true;
        side.detectedAt = ts;
        out.emit(finding(side, device, inbound));
    }

    @Override
    public void onEnd(BruteforceState s, Device device, long nowNanos, FindingSink out) {
        if (s.in.reported) {
            out.emit(finding(s.in, device, true));
        }
        if (s.out.reported) {
            out.emit(finding(s.out, device, false));
        }
    }

    private Finding finding(BruteforceState.Side side, Device device, boolean inbound) {
        List<Map<String, Object>> creds = new ArrayList<>();
        for (String[] c : side.credentials) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("user", c[0]);
            m.put("password", c[1]);
            creds.add(m);
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("direction", inbound ? "inbound" : "outbound");
        d.put("service", side.service);
        d.put("credentials", creds);
        d.put("success", side.success);
        d.put("default_credential", side.defaultCredential);
        if (!inbound) {
            d.put("stage", side.propagation ? "propagation" : "guessing");
        }
        if (side.successCredential != null) {
            // Insertion-ordered: Map.of iterates in a per-JVM random order, which made the
            // JSON differ between runs (and between the local engine and the Flink job).
            Map<String, Object> ok = new LinkedHashMap<>();
            ok.put("user", side.successCredential[0]);
            ok.put("password", side.successCredential[1]);
            d.put("success_credential", ok);
        }
        d.put("attempts", side.total);
        d.put(inbound ? "attackers" : "targets", side.peerCount);
        String summary = inbound
                ? side.total == 1 && side.success
                ? String.format(Locale.ROOT, "%s was logged into over %s at the first try, %s, from %d host(s)",
                        device.ip(), side.service, side.defaultCredential ? "with a factory credential" : "with one credential",
                        side.peerCount)
                : String.format(Locale.ROOT, "%s is being brute-forced over %s: %d login attempts from %d host(s)%s",
                device.ip(), side.service, side.total, side.peerCount, side.success ? ", and one succeeded" : "")
                : side.propagation && side.total <= 2
                ? String.format(Locale.ROOT, "%s is spreading: while probing telnet ports it logged into %d host(s) over %s "
                        + "with a factory credential%s", device.ip(), side.peerCount, side.service,
                        side.success ? ", successfully" : "")
                : String.format(Locale.ROOT, "%s is brute-forcing %s logins on %d host(s): %d attempts%s",
                device.ip(), side.service, side.peerCount, side.total, side.success ? ", at least one successful" : "");
        Severity sev = side.success ? Severity.critical : Severity.high;
        return new Finding(name(), Kind.bruteforce, device.ip(), inbound ? "inbound" : "outbound",
                side.first == Long.MAX_VALUE ? side.detectedAt : side.first, side.detectedAt,
                Math.max(side.last, side.detectedAt), sev, side.credentials.isEmpty() ? 0.7 : 0.9, summary, d,
                List.copyOf(side.evidence));
    }
}
