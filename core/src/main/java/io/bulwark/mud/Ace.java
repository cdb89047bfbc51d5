package io.bulwark.mud;

import java.io.Serializable;
import java.util.List;

/**
 * One access-control entry of a MUD profile (RFC 8520 with RFC 8519 ACLs), normalised to the
 * device's point of view: "remote" is the peer (the destination of from-device traffic, the
 * source of to-device traffic), "local" is the device itself.
 *
 * @param protocol     IP protocol number, or -1 for any
 * @param ipVersion    4 or 6 for ipv4-acl/ipv6-acl matches, 0 when the entry has neither
 * @param remoteName   ietf-acldns src-dnsname/dst-dnsname of the peer, lower case, or null
 * @param remoteNet    peer prefix (source/destination-ipv4/ipv6-network), or null
 * @param remotePort   peer's port range, or null for any
 * @param localPort    device's port range, or null for any
 * @param initiated    ietf-mud:direction-initiated of a TCP match ("from-device", "to-device"), or null
 * @param abstraction  the ietf-mud match (RFC 8520 section 8), or null
 * @param accept       forwarding accept (true) or drop/reject (false)
 */
public record Ace(String acl, String name, int protocol, int ipVersion, String remoteName, Cidr remoteNet,
                  PortRange remotePort, PortRange localPort, String initiated, Abstraction abstraction,
                  boolean accept) implements Serializable {

    /** An inclusive port range; "eq 443" is 443..443, "gte 1024" is 1024..65535 (RFC 8519 operators). */
    public record PortRange(int lower, int upper) implements Serializable {
        public boolean contains(int port) {
            return port >= lower && port <= upper;
        }

        @Override
        public String toString() {
            return lower == upper ? Integer.toString(lower) : lower + "-" + upper;
        }
    }

    /**
     * RFC 8520 section 8 match abstractions, resolved against the local configuration.
     *
     * @param kind  manufacturer, same-manufacturer, model, local-networks, controller, my-controller
     * @param value the manufacturer authority, model or controller URI; null for the valueless kinds
     */
    public record Abstraction(String kind, String value) implements Serializable {
        public static final List<String> KINDS = List.of("manufacturer", "same-manufacturer", "model",
                "local-networks", "controller", "my-controller");
    }

    /** Readable form for reports: "tcp to devs.example.com:50443". */
    public String describe() {
        StringBuilder sb = new StringBuilder(protocolName(protocol));
        String peer = remoteName != null ? remoteName : remoteNet != null ? remoteNet.text()
                : abstraction != null ? abstraction.kind() + (abstraction.value() == null ? "" : "(" + abstraction.value() + ")") : "any";
        sb.append(' ').append(peer);
        if (remotePort != null) {
            sb.append(':').append(remotePort);
        }
        if (localPort != null) {
            sb.append(" local port ").append(localPort);
        }
        return sb.toString();
    }

    public static String protocolName(int p) {
        return switch (p) {
            case -1 -> "any";
            case 1 -> "icmp";
            case 6 -> "tcp";
            case 17 -> "udp";
            case 58 -> "icmpv6";
            default -> "ip" + p;
        };
    }
}
