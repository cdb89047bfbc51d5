package io.bulwark.app.contain;

import io.bulwark.flow.IpAddr;
import io.bulwark.mud.MudProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What to do about which device, decided from incidents and MUD profiles:
 *
 * <ul>
 *   <li><b>quarantine</b> (walled garden: DNS and the remediation portal only): devices with an
 *       infection, c2 or ddos incident, an outbound bruteforce, or an outbound ioc contact;</li>
 *   <li><b>limit</b> (per-address rate limit): devices that only scanned;</li>
 *   <li><b>FlowSpec discard</b> (RFC 8955): outbound floods still going on, per device, victim and
 *       vector;</li>
 *   <li><b>RTBH</b> (RFC 7999 BLACKHOLE community): local victims of an ongoing ddos_target;</li>
 *   <li><b>MUD ACLs</b>: devices with a MUD profile (policy incidents or not), enforced per device.</li>
 * </ul>
 *
 * A flood is ongoing when its last_seen is within {@code ongoingSeconds} of the newest last_seen
 * in the input (traffic time, never the wall clock).
 */
public record ContainmentPlan(Map<String, List<String>> quarantine, Map<String, List<String>> limit,
                              List<FlowRoute> flowRoutes, List<Blackhole> blackholes, Map<String, MudProfile> mudAcls) {

    /** One FlowSpec route: discard {@code protocol} traffic from a device to a victim. */
    public record FlowRoute(String name, String source, String destination, String protocol, Integer dstPort,
                            String tcpFlags, String incident) {
    }

    /** One RTBH route: the victim's /32 (or /128), for the incident. */
    public record Blackhole(String prefix, String incident) {
    }

    private static final Set<String> QUARANTINE_KINDS = Set.of("infection", "c2", "ddos");

    public static ContainmentPlan of(ContainInput in, Map<String, MudProfile> mudByIp, long ongoingSeconds) {
        Map<String, List<String>> quarantine = new TreeMap<>();
        Map<String, List<String>> limit = new TreeMap<>();
        List<FlowRoute> routes = new ArrayList<>();
        List<Blackhole> holes = new ArrayList<>();
        String newest = in.incidents().stream().map(ContainInput.IncidentLine::lastSeen).max(String::compareTo).orElse("");
        Set<String> seenHoles = new TreeSet<>();
        for (ContainInput.IncidentLine i : in.incidents()) {
            if (IpAddr.parse(i.host()) == null) {
                continue;
            }
            String dir = i.detail().path("direction").asText("");
            boolean q = QUARANTINE_KINDS.contains(i.kind())
                    || (i.kind().equals("bruteforce") || i.kind().equals("ioc")) && dir.equals("outbound");
            if (q) {
                quarantine.computeIfAbsent(i.host(), h -> new ArrayList<>()).add(i.id());
            } else if (i.kind().equals("scan")) {
                limit.computeIfAbsent(i.host(), h -> new ArrayList<>()).add(i.id());
            }
            boolean ongoing = !newest.isEmpty() && secondsBetween(i.lastSeen(), newest) <= ongoingSeconds;
            if (ongoing && i.kind().equals("ddos")) {
                String victim = i.detail().path("victim").asText("");
                if (IpAddr.parse(victim) != null) {
                    routes.add(route(i, victim));
                }
            }
            if (ongoing && i.kind().equals("ddos_target") && seenHoles.add(i.host())) {
                holes.add(new Blackhole(i.host() + (IpAddr.parse(i.host()).isV4() ? "/32" : "/128"), i.id()));
            }
        }
        limit.keySet().removeAll(quarantine.keySet());
        return new ContainmentPlan(quarantine, limit, routes, holes, new TreeMap<>(mudByIp));
    }

    /** Mirai's vectors (docs/architecture.md) as FlowSpec matches: protocol, destination port, TCP flags. */
    private static FlowRoute route(ContainInput.IncidentLine i, String victim) {
        String v = i.detail().path("vector").asText("udp");
        String proto = switch (v) {
            case "syn", "ack", "stomp", "http" -> "tcp";
            case "greip", "greeth" -> "gre";
            default -> "udp";
        };
        Integer port = switch (v) {
            case "dns" -> 53;
            case "vse" -> 27015;
            case "http" -> 80;
            default -> null;
        };
        String flags = switch (v) {
            case "syn" -> "syn";
            case "ack" -> "ack";
            default -> null;
        };
        String name = "bulwark-" + i.id().replace("inc-", "") + "-" + v;
        String src = i.host() + (IpAddr.parse(i.host()).isV4() ? "/32" : "/128");
        String dst = victim + (IpAddr.parse(victim).isV4() ? "/32" : "/128");
        return new FlowRoute(name, src, dst, proto, port, flags, i.id());
    }

    static long secondsBetween(String a, String b) {
        try {
            return Math.abs(java.time.Duration.between(java.time.Instant.parse(a), java.time.Instant.parse(b)).toSeconds());
        } catch (java.time.format.DateTimeParseException e) {
            return Long.MAX_VALUE;
        }
    }
}
