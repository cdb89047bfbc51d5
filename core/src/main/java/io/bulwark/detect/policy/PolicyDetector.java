package io.bulwark.detect.policy;

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
import io.bulwark.mud.Ace;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;
import io.bulwark.net.LocalNets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traffic that a device's MUD profile (RFC 8520) does not allow: one {@code policy} finding per
 * distinct (direction, protocol, peer, port). A flow the device originated is judged against
 * its from-device ACLs, a flow a peer originated against its to-device ACLs; the first
 * matching entry decides, and no match means not allowed (RFC 8519's implicit deny).
 *
 * <p>Works on flows, so also on NetFlow and IPFIX. Names in ACLs (ietf-acldns) are matched
 * against the DNS answers the device received (packet hook on UDP from port 53); when the
 * device's DNS was never seen (flow-only input), a name entry is judged on protocol and ports
 * only. Out of scope, as a MUD controller at the router never sees them: multicast and
 * broadcast, and DHCP (UDP 67/68), through which the device announces its MUD URL.
 *
 * <p>A device's profile comes from the operator (by address or MAC) or from the MUD URL it
 * announced in DHCP ({@link Resolver}).
 */
public final class PolicyDetector implements Detector<PolicyState> {
    /** Finds a device's profile: by assignment, or by the MUD URL the inventory saw it announce. */
    public interface Resolver {
        /** The profile of the device, or null; called per flow until one is found. */
        MudProfile profile(IpAddr ip, long mac);
    }

    private final PolicyConfig cfg;
    private final LocalNets nets;
    private final Resolver resolver;

    public PolicyDetector(PolicyConfig cfg, LocalNets nets, Resolver resolver) {
        this.cfg = cfg;
        this.nets = nets;
        this.resolver = resolver;
    }

    /** The static part of resolution: operator assignments by address, then by MAC. */
    public static MudProfile assigned(PolicyConfig cfg, IpAddr ip, long mac) {
        MudProfile p = cfg.byIp().get(ip);
        return p != null ? p : mac >= 0 ? cfg.byMac().get(mac) : null;
    }

    @Override
    public String name() {
        return "policy";
    }

    @Override
    public PolicyState newState() {
        return new PolicyState();
    }

    @Override
    public boolean wantsPackets() {
        return !cfg.isEmpty();
    }

    @Override
    public int packetInterest() {
        return UDP_PAYLOAD;
    }

    @Override
    public void onPacket(PolicyState s, Device device, PacketView p, boolean outbound, FlowEntry flow, String file,
                         FindingSink out) {
        if (!outbound && p.srcPort() == 53 && p.protocol() == 17) {
            s.dnsSeen = true;
            DnsAnswers.read(p, (name, ip) -> s.names.put(ip, name));
        }
    }

    @Override
    public void onFlow(PolicyState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (cfg.isEmpty()) {
            return;
        }
        if (s.profile == null) {
            s.profile = resolver.profile(device.ip(), device.mac());
            if (s.profile == null) {
                return;
            }
        }
        IpAddr remote = outbound ? f.dst() : f.src();
        if (!LocalNets.isUnicast(remote.hi(), remote.lo()) || isDhcp(f)) {
            return;
        }
        int remotePort = outbound ? f.dstPort() : f.srcPort();
        int localPort = outbound ? f.srcPort() : f.dstPort();
        List<Ace> aces = outbound ? s.profile.fromDevice() : s.profile.toDevice();
        for (Ace a : aces) {
            if (matches(s, a, f.protocol(), remote, remotePort, localPort, outbound)) {
                if (a.accept()) {
                    return;
                }
                break;
            }
        }
        int port = f.protocol() == 6 || f.protocol() == 17 ? (outbound ? remotePort : localPort) : -1;
        String direction = outbound ? "from-device" : "to-device";
        String key = direction + " " + Ace.protocolName(f.protocol()) + " " + remote + (port >= 0 ? ":" + port : "");
        if (s.reported.contains(key)) {
            return;
        }
        if (s.reported.size() >= cfg.maxViolations()) {
            s.suppressed++;
            return;
        }
        s.reported.add(key);
        out.emit(finding(s, device, f, key, direction, remote, port, outbound));
    }

    private static boolean isDhcp(FlowRecord f) {
        return f.protocol() == 17 && (f.srcPort() == 67 || f.srcPort() == 68) && (f.dstPort() == 67 || f.dstPort() == 68);
    }

    boolean matches(PolicyState s, Ace a, int protocol, IpAddr remote, int remotePort, int localPort, boolean outbound) {
        if (a.protocol() >= 0 && a.protocol() != protocol) {
            return false;
        }
        if (a.ipVersion() == 4 && !remote.isV4() || a.ipVersion() == 6 && remote.isV4()) {
            return false;
        }
        boolean ports = protocol == 6 || protocol == 17;
        if (a.remotePort() != null && (!ports || !a.remotePort().contains(remotePort))) {
            return false;
        }
        if (a.localPort() != null && (!ports || !a.localPort().contains(localPort))) {
            return false;
        }
        // direction-initiated (RFC 8520 section 7): the entry only admits TCP connections opened that way
        if (protocol == 6 && a.initiated() != null && a.initiated().equals("from-device") != outbound) {
            return false;
        }
        if (a.remoteNet() != null && !a.remoteNet().contains(remote)) {
            return false;
        }
        if (a.remoteName() != null && s.dnsSeen) {
            String n = remote.isV4() ? s.names.get(remote.v4()) : null;
            if (n == null || !n.equalsIgnoreCase(a.remoteName())) {
                return false;
            }
        }
        return a.abstraction() == null || abstraction(s, a.abstraction(), remote);
    }

    private boolean abstraction(PolicyState s, Ace.Abstraction x, IpAddr remote) {
        return switch (x.kind()) {
            case "local-networks" -> nets.contains(remote);
            case "controller" -> any(cfg.controllers().get(x.value()), remote);
            case "my-controller" -> any(cfg.myControllers().get(s.profile.url()), remote);
            case "same-manufacturer" -> sameAuthority(resolver.profile(remote, -1), s.profile.authority());
            case "manufacturer" -> sameAuthority(resolver.profile(remote, -1), x.value() == null ? "" : x.value());
            case "model" -> {
                MudProfile p = resolver.profile(remote, -1);
                yield p != null && p.url().equals(x.value());
            }
            default -> false;
        };
    }

    private static boolean sameAuthority(MudProfile p, String authority) {
        return p != null && !authority.isEmpty() && p.authority().equals(authority.toLowerCase(Locale.ROOT));
    }

    private static boolean any(List<Cidr> nets, IpAddr a) {
        if (nets == null) {
            return false;
        }
        for (Cidr c : nets) {
            if (c.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private Finding finding(PolicyState s, Device device, FlowRecord f, String key, String direction, IpAddr remote,
                            int port, boolean outbound) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mud_url", s.profile.url());
        d.put("direction", direction);
        d.put("protocol", Ace.protocolName(f.protocol()));
        d.put("peer", remote.toString());
        if (port >= 0) {
            d.put("port", port);
        }
        String name = remote.isV4() ? s.names.get(remote.v4()) : null;
        if (name != null) {
            d.put("peer_name", name);
        }
        String what = outbound
                ? String.format(Locale.ROOT, "%s opened %s to %s%s", device.ip(), Ace.protocolName(f.protocol()), remote,
                port >= 0 ? ":" + port : "")
                : String.format(Locale.ROOT, "%s reached %s on %s%s", remote, device.ip(), Ace.protocolName(f.protocol()),
                port >= 0 ? "/" + port : "");
        String summary = what + ", which its MUD profile " + s.profile.url() + " does not allow";
        return new Finding(name(), Kind.policy, device.ip(), key, f.startNanos(), f.endNanos(), f.endNanos(),
                Severity.medium, 0.9, summary, d, List.of(EvidenceRef.of(f)));
    }
}
