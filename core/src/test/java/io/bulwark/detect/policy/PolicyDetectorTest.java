package io.bulwark.detect.policy;

import io.bulwark.detect.Device;
import io.bulwark.detect.Finding;
import io.bulwark.detect.Kind;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Ace;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** RFC 8520 abstractions and ACL semantics, flow by flow (so also for NetFlow/IPFIX input). */
class PolicyDetectorTest {
    static final IpAddr BULB = IpAddr.parse("10.0.0.20"), SIBLING = IpAddr.parse("10.0.0.21"),
            CONTROLLER = IpAddr.parse("10.0.0.5"), OUTSIDE = IpAddr.parse("203.0.113.9");
    static final String URL = "https://lights.example.com/bulb", OTHER = "https://other.example.org/x";

    static Ace ace(String name, int proto, Integer remotePort, Ace.Abstraction a, Cidr net, String initiated) {
        return new Ace("acl", name, proto, 4, null, net, remotePort == null ? null : new Ace.PortRange(remotePort, remotePort),
                null, initiated, a, true);
    }

    static final MudProfile BULB_PROFILE = new MudProfile(URL, "bulb", null, null, List.of(
            ace("ctl", 17, 5684, new Ace.Abstraction("my-controller", null), null, null),
            ace("ntp", 17, 123, new Ace.Abstraction("controller", "urn:ietf:params:mud:ntp"), null, null),
            ace("loc", 17, 5683, new Ace.Abstraction("local-networks", null), null, null),
            ace("sib", 6, 8080, new Ace.Abstraction("same-manufacturer", null), null, "from-device"),
            ace("net", 6, 443, null, Cidr.parse("203.0.113.0/24"), "from-device")),
            List.of(ace("in-loc", 6, null, new Ace.Abstraction("local-networks", null), null, "to-device")));
    static final MudProfile SIBLING_PROFILE = new MudProfile("https://lights.example.com/strip", null, null, null,
            List.of(), List.of());

    final List<Finding> found = new ArrayList<>();
    final PolicyConfig cfg = new PolicyConfig(Map.of(BULB, BULB_PROFILE, SIBLING, SIBLING_PROFILE), Map.of(), Map.of(),
            Map.of("urn:ietf:params:mud:ntp", List.of(Cidr.parse("10.0.0.6"))),
            Map.of(URL, List.of(Cidr.parse(CONTROLLER.toString()))), 32);
    final PolicyDetector d = new PolicyDetector(cfg, LocalNets.defaults(), (ip, mac) -> PolicyDetector.assigned(cfg, ip, mac));
    final PolicyState s = d.newState();
    final Device bulb = new Device() {
        public IpAddr ip() { return BULB; }
        public long mac() { return -1; }
    };

    static FlowRecord flow(IpAddr src, int sport, IpAddr dst, int dport, int proto) {
        return new FlowRecord("C" + dport, src, sport, dst, dport, proto, 1_000_000_000L, 2_000_000_000L, 1, 60, 1, 60,
                0, 0, "SF", 1, null, false, -1, FlowRecord.EndReason.exported);
    }

    void out(IpAddr dst, int dport, int proto) {
        d.onFlow(s, bulb, flow(BULB, 40000, dst, dport, proto), true, found::add);
    }

    @Test
    void abstractions_resolveAgainstTheConfiguration() {
        out(CONTROLLER, 5684, 17);                   // my-controller of this URL
        out(IpAddr.parse("10.0.0.6"), 123, 17);      // the configured NTP controller
        out(IpAddr.parse("192.168.7.7"), 5683, 17);  // local networks
        out(SIBLING, 8080, 6);                       // same manufacturer: lights.example.com
        out(IpAddr.parse("203.0.113.77"), 443, 6);   // destination network
        d.onFlow(s, bulb, flow(IpAddr.parse("10.9.9.9"), 5555, BULB, 22, 6), false, found::add); // local peer opens
        assertThat(found).isEmpty();
    }

    @Test
    void traffic_theProfileDoesNotAllow_isOnePolicyFindingPerDirectionProtocolPeerAndPort() {
        out(IpAddr.parse("10.0.0.7"), 5684, 17);     // not the controller
        out(IpAddr.parse("10.0.0.7"), 5684, 17);     // the same again: no second finding
        out(OUTSIDE, 5683, 17);                      // not local
        out(IpAddr.parse("10.0.0.6"), 124, 17);      // controller, wrong port
        out(IpAddr.parse("198.51.100.1"), 443, 6);   // outside the network
        d.onFlow(s, bulb, flow(OUTSIDE, 5555, BULB, 22, 6), false, found::add); // outside opens a connection
        assertThat(found).extracting(Finding::subject).containsExactly("from-device udp 10.0.0.7:5684",
                "from-device udp 203.0.113.9:5683", "from-device udp 10.0.0.6:124", "from-device tcp 198.51.100.1:443",
                "to-device tcp 203.0.113.9:22");
        assertThat(found).allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.policy);
            assertThat(f.detail()).containsEntry("mud_url", URL);
            assertThat(f.evidence()).isNotEmpty();
        });
    }

    @Test
    void multicastBroadcastAndDhcp_areOutOfScope_andDevicesWithoutProfileAreNotJudged() {
        out(IpAddr.parse("239.255.255.250"), 1900, 17);
        out(IpAddr.parse("255.255.255.255"), 9999, 17);
        d.onFlow(s, bulb, flow(BULB, 68, IpAddr.parse("10.0.0.1"), 67, 17), true, found::add);
        Device stranger = new Device() {
            public IpAddr ip() { return IpAddr.parse("10.0.0.99"); }
            public long mac() { return -1; }
        };
        d.onFlow(d.newState(), stranger, flow(IpAddr.parse("10.0.0.99"), 1, OUTSIDE, 23, 6), true, found::add);
        assertThat(found).isEmpty();
    }

    @Test
    void violations_beyondTheBound_areSuppressedAndCounted() {
        for (int port = 1; port <= 40; port++) {
            out(OUTSIDE, port, 6);
        }
        assertThat(found).hasSize(32);
        assertThat(s.suppressed).isEqualTo(8);
    }
}
