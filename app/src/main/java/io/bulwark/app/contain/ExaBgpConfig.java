package io.bulwark.app.contain;

import java.util.List;

/**
 * Renders the BGP side of a {@link ContainmentPlan} as an ExaBGP 4 configuration: FlowSpec
 * (RFC 8955) discard routes for ongoing outbound floods (source device, destination victim,
 * protocol, and the vector's port or TCP flags), and remotely triggered black-hole routes for
 * attacked local victims, tagged with the BLACKHOLE community 65535:666 (RFC 7999) and
 * NO_EXPORT. The operator runs it with {@code exabgp FILE}; {@code contain} never speaks BGP.
 */
public final class ExaBgpConfig {
    /**
     * @param neighbor   the router to announce to
     * @param localAddress this speaker's address, also its router-id
     * @param nextHop    next hop of black-hole routes (an address the router discards, RFC 7999)
     */
    public record Options(String neighbor, String localAddress, long localAs, long peerAs, String nextHop) {
        public static Options defaults() {
            return new Options("192.0.2.1", "192.0.2.2", 64512, 64512, "192.0.2.1");
        }
    }

    private ExaBgpConfig() {
    }

    public static String render(ContainmentPlan plan, Options o, String origin) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Bulwark containment announcements (bulwark contain), from ").append(NftRuleset.comment(origin)).append(".\n");
        sb.append("# FlowSpec discard routes: ").append(plan.flowRoutes().size()).append(", RTBH routes: ")
                .append(plan.blackholes().size()).append(".\n");
        sb.append("neighbor ").append(o.neighbor()).append(" {\n");
        sb.append("    router-id ").append(o.localAddress()).append(";\n");
        sb.append("    local-address ").append(o.localAddress()).append(";\n");
        sb.append("    local-as ").append(o.localAs()).append(";\n");
        sb.append("    peer-as ").append(o.peerAs()).append(";\n");
        sb.append("    family {\n        ipv4 unicast;\n        ipv4 flow;\n        ipv6 unicast;\n        ipv6 flow;\n    }\n");
        if (!plan.flowRoutes().isEmpty()) {
            sb.append("    flow {\n");
            for (ContainmentPlan.FlowRoute r : plan.flowRoutes()) {
                sb.append("        # ").append(r.incident()).append('\n');
                sb.append("        route ").append(r.name()).append(" {\n            match {\n");
                sb.append("                source ").append(r.source()).append(";\n");
                sb.append("                destination ").append(r.destination()).append(";\n");
                sb.append("                protocol ").append(r.protocol()).append(";\n");
                if (r.dstPort() != null) {
                    sb.append("                destination-port =").append(r.dstPort()).append(";\n");
                }
                if (r.tcpFlags() != null) {
                    sb.append("                tcp-flags [ ").append(r.tcpFlags()).append(" ];\n");
                }
                sb.append("            }\n            then {\n                discard;\n            }\n        }\n");
            }
            sb.append("    }\n");
        }
        if (!plan.blackholes().isEmpty()) {
            sb.append("    static {\n");
            for (ContainmentPlan.Blackhole b : plan.blackholes()) {
                sb.append("        # ").append(b.incident()).append('\n');
                sb.append("        route ").append(b.prefix()).append(" next-hop ").append(o.nextHop())
                        .append(" community [ 65535:666 no-export ];\n");
            }
            sb.append("    }\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    /** The ExaBGP keywords this renderer uses, for the parser test. */
    static final List<String> FLOW_MATCH_KEYWORDS = List.of("source", "destination", "protocol", "destination-port", "tcp-flags");
}
