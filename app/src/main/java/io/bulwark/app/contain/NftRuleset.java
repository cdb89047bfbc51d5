package io.bulwark.app.contain;

import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Ace;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a {@link ContainmentPlan} as one nftables ruleset (nft(8) syntax) in its own table,
 * {@code inet bulwark}, replaced as a whole when applied ({@code nft -f}: the table is created,
 * deleted and written again in one atomic transaction), and leaving every other table alone.
 *
 * <ul>
 *   <li>Quarantined devices (sets {@code quarantine_v4/v6}) go through the walled garden: DNS
 *       (to the configured resolvers, or any when none are given), DHCP and the remediation
 *       portal's HTTP and HTTPS pass; everything else they send is dropped, as is every new
 *       connection towards them. Their plain HTTP is redirected to the portal (DNAT).</li>
 *   <li>Limited devices (sets {@code limit_v4/v6}) are held to {@code limitPps} packets per
 *       second each (a per-address meter).</li>
 *   <li>Each device with a MUD profile gets two chains, {@code mud_N_out} and {@code mud_N_in},
 *       with its ACLs: an accept rule per entry, then drop. Names in ACLs become named sets
 *       ({@code mud_name_K}) that a resolver fills with the addresses it answers, e.g. dnsmasq's
 *       {@code --nftset=/NAME/4#inet#bulwark#mud_name_K}.</li>
 * </ul>
 */
public final class NftRuleset {
    /**
     * @param portal      remediation portal addresses
     * @param dns         resolvers quarantined devices may use; empty means any destination on port 53
     * @param localNets   the operator's local prefixes, for MUD's local-networks
     * @param controllers MUD controller URI to prefixes; "my-controller" is looked up by MUD URL
     * @param limitPps    packets per second a limited device may send
     */
    public record Options(List<String> portal, List<String> dns, List<String> localNets,
                          Map<String, List<Cidr>> controllers, Map<String, List<Cidr>> myControllers, int limitPps) {
    }

    private NftRuleset() {
    }

    public static String render(ContainmentPlan plan, Options o, String origin) {
        StringBuilder sb = new StringBuilder();
        sb.append("#!/usr/sbin/nft -f\n");
        sb.append("# Bulwark containment ruleset (bulwark contain), from ").append(comment(origin)).append(".\n");
        sb.append("# Quarantined: ").append(plan.quarantine().size()).append(", limited: ").append(plan.limit().size())
                .append(", MUD-enforced: ").append(plan.mudAcls().size()).append(".\n");
        sb.append("# Replaces only table inet bulwark, atomically. Check: nft -c -f FILE; apply: nft -f FILE.\n");
        sb.append("table inet bulwark\ndelete table inet bulwark\n\ntable inet bulwark {\n");
        List<String> q4 = new ArrayList<>(), q6 = new ArrayList<>(), l4 = new ArrayList<>(), l6 = new ArrayList<>();
        plan.quarantine().forEach((ip, ids) -> (isV4(ip) ? q4 : q6).add(ip));
        plan.limit().forEach((ip, ids) -> (isV4(ip) ? l4 : l6).add(ip));
        for (Map.Entry<String, List<String>> e : plan.quarantine().entrySet()) {
            sb.append("    # quarantine ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append('\n');
        }
        for (Map.Entry<String, List<String>> e : plan.limit().entrySet()) {
            sb.append("    # limit ").append(e.getKey()).append(": ").append(String.join(", ", e.getValue())).append('\n');
        }
        set(sb, "quarantine_v4", "ipv4_addr", q4, false);
        set(sb, "quarantine_v6", "ipv6_addr", q6, false);
        set(sb, "limit_v4", "ipv4_addr", l4, false);
        set(sb, "limit_v6", "ipv6_addr", l6, false);
        List<String> p4 = v4(o.portal(), true), p6 = v4(o.portal(), false);
        List<String> d4 = v4(o.dns(), true), d6 = v4(o.dns(), false);
        set(sb, "portal_v4", "ipv4_addr", p4, false);
        set(sb, "portal_v6", "ipv6_addr", p6, false);
        set(sb, "dns_v4", "ipv4_addr", d4, false);
        set(sb, "dns_v6", "ipv6_addr", d6, false);
        set(sb, "local_v4", "ipv4_addr", v4(o.localNets(), true), true);
        set(sb, "local_v6", "ipv6_addr", v4(o.localNets(), false), true);
        sb.append("    set limit_meter_v4 { type ipv4_addr; flags dynamic; timeout 60s; }\n");
        sb.append("    set limit_meter_v6 { type ipv6_addr; flags dynamic; timeout 60s; }\n");

        Map<String, String> nameSets = new LinkedHashMap<>();
        StringBuilder mudChains = new StringBuilder();
        StringBuilder mudJumps = new StringBuilder();
        int n = 0;
        for (Map.Entry<String, MudProfile> e : plan.mudAcls().entrySet()) {
            String ip = e.getKey();
            String fam = isV4(ip) ? "ip" : "ip6";
            String chain = "mud_" + n++;
            mudJumps.append("        ").append(fam).append(" saddr ").append(ip).append(" jump ").append(chain).append("_out\n");
            mudJumps.append("        ").append(fam).append(" daddr ").append(ip).append(" jump ").append(chain).append("_in\n");
            mudChains.append("    # MUD profile ").append(comment(e.getValue().url())).append(" for ").append(ip).append('\n');
            mudChains.append("    chain ").append(chain).append("_out {\n        ct state established,related accept\n");
            aces(mudChains, e.getValue(), e.getValue().fromDevice(), true, ip, plan, o, nameSets);
            mudChains.append("        counter drop\n    }\n");
            mudChains.append("    chain ").append(chain).append("_in {\n        ct state established,related accept\n");
            aces(mudChains, e.getValue(), e.getValue().toDevice(), false, ip, plan, o, nameSets);
            mudChains.append("        counter drop\n    }\n");
        }
        for (Map.Entry<String, String> s : nameSets.entrySet()) {
            sb.append("    # filled from DNS answers for ").append(comment(s.getKey())).append('\n');
            sb.append("    set ").append(s.getValue()).append(" { type ipv4_addr; flags timeout; }\n");
        }

        sb.append("\n    chain walled_garden {\n");
        String dnsTo4 = d4.isEmpty() ? "" : "ip daddr @dns_v4 ";
        String dnsTo6 = d6.isEmpty() ? "" : "ip6 daddr @dns_v6 ";
        if (d4.isEmpty() && d6.isEmpty()) {
            sb.append("        udp dport 53 accept\n        tcp dport 53 accept\n");
        } else {
            for (String to : List.of(dnsTo4, dnsTo6)) {
                if (!to.isEmpty()) {
                    sb.append("        ").append(to).append("udp dport 53 accept\n");
                    sb.append("        ").append(to).append("tcp dport 53 accept\n");
                }
            }
        }
        sb.append("        udp sport 68 udp dport 67 accept\n");
        sb.append("        udp sport 546 udp dport 547 accept\n");
        sb.append("        ip daddr @portal_v4 tcp dport { 80, 443 } accept\n");
        sb.append("        ip6 daddr @portal_v6 tcp dport { 80, 443 } accept\n");
        sb.append("        counter drop comment \"bulwark quarantine\"\n    }\n");

        sb.append(mudChains);

        sb.append("\n    chain forward {\n        type filter hook forward priority filter - 10; policy accept;\n");
        sb.append("        ip saddr @quarantine_v4 jump walled_garden\n");
        sb.append("        ip6 saddr @quarantine_v6 jump walled_garden\n");
        sb.append("        ip daddr @quarantine_v4 ct state established,related accept\n");
        sb.append("        ip6 daddr @quarantine_v6 ct state established,related accept\n");
        sb.append("        ip daddr @quarantine_v4 counter drop\n");
        sb.append("        ip6 daddr @quarantine_v6 counter drop\n");
        sb.append("        ip saddr @limit_v4 update @limit_meter_v4 { ip saddr limit rate over ").append(o.limitPps())
                .append("/second } counter drop\n");
        sb.append("        ip6 saddr @limit_v6 update @limit_meter_v6 { ip6 saddr limit rate over ").append(o.limitPps())
                .append("/second } counter drop\n");
        sb.append(mudJumps);
        sb.append("    }\n");

        sb.append("\n    chain input {\n        type filter hook input priority filter - 10; policy accept;\n");
        sb.append("        ip saddr @quarantine_v4 jump walled_garden\n");
        sb.append("        ip6 saddr @quarantine_v6 jump walled_garden\n    }\n");

        if (!p4.isEmpty()) {
            sb.append("\n    chain portal_redirect {\n        type nat hook prerouting priority dstnat - 10; policy accept;\n");
            sb.append("        ip saddr @quarantine_v4 ip daddr != @portal_v4 tcp dport 80 dnat ip to ").append(p4.get(0))
                    .append('\n');
            sb.append("    }\n");
        }
        sb.append("}\n");
        return sb.toString();
    }

    private static void aces(StringBuilder sb, MudProfile p, List<Ace> aces, boolean out, String ip, ContainmentPlan plan,
                             Options o, Map<String, String> nameSets) {
        boolean v4 = isV4(ip);
        String fam = v4 ? "ip" : "ip6";
        String remote = out ? "daddr" : "saddr";
        for (Ace a : aces) {
            if (a.ipVersion() == 4 && !v4 || a.ipVersion() == 6 && v4) {
                continue;
            }
            if (a.protocol() == 6 && a.initiated() != null && a.initiated().equals("from-device") != out) {
                sb.append("        # ").append(comment(a.name())).append(": replies only (ct state established above)\n");
                continue;
            }
            StringBuilder r = new StringBuilder();
            if (a.remoteNet() != null) {
                if (a.remoteNet().text().contains(":") == v4) {
                    continue;
                }
                r.append(fam).append(' ').append(remote).append(' ').append(a.remoteNet().text()).append(' ');
            }
            if (a.remoteName() != null) {
                if (!v4) {
                    sb.append("        # ").append(comment(a.name())).append(": names are resolved for IPv4 only\n");
                    continue;
                }
                String set = nameSets.computeIfAbsent(a.remoteName(), k -> "mud_name_" + nameSets.size());
                r.append("ip ").append(remote).append(" @").append(set).append(' ');
            }
            if (a.abstraction() != null) {
                String addrs = abstraction(a.abstraction(), p, plan, o, v4);
                if (addrs == null) {
                    sb.append("        # ").append(comment(a.name())).append(": ").append(a.abstraction().kind())
                            .append(" has no known address here; nothing allowed\n");
                    continue;
                }
                r.append(fam).append(' ').append(remote).append(' ').append(addrs).append(' ');
            }
            String l4 = switch (a.protocol()) {
                case 6 -> "tcp";
                case 17 -> "udp";
                default -> null;
            };
            if (l4 != null) {
                r.append("meta l4proto ").append(l4).append(' ');
                Ace.PortRange rp = a.remotePort(), lp = a.localPort();
                if (rp != null) {
                    r.append("th ").append(out ? "dport " : "sport ").append(rp).append(' ');
                }
                if (lp != null) {
                    r.append("th ").append(out ? "sport " : "dport ").append(lp).append(' ');
                }
            } else if (a.protocol() == 1) {
                r.append("meta l4proto icmp ");
            } else if (a.protocol() == 58) {
                r.append("meta l4proto ipv6-icmp ");
            } else if (a.protocol() >= 0) {
                r.append("meta l4proto ").append(a.protocol()).append(' ');
            }
            sb.append("        ").append(r).append(a.accept() ? "accept" : "drop")
                    .append(" comment \"").append(comment(a.name())).append("\"\n");
        }
    }

    /** The addresses an abstraction stands for, as an nft expression, or null when there are none. */
    private static String abstraction(Ace.Abstraction x, MudProfile p, ContainmentPlan plan, Options o, boolean v4) {
        List<String> addrs = switch (x.kind()) {
            case "local-networks" -> null;
            case "controller" -> cidrs(o.controllers().get(x.value()));
            case "my-controller" -> cidrs(o.myControllers().get(p.url()));
            default -> plan.mudAcls().entrySet().stream().filter(e -> switch (x.kind()) {
                case "same-manufacturer" -> e.getValue().authority().equals(p.authority());
                case "manufacturer" -> e.getValue().authority().equalsIgnoreCase(String.valueOf(x.value()));
                case "model" -> e.getValue().url().equals(x.value());
                default -> false;
            }).map(Map.Entry::getKey).toList();
        };
        if (x.kind().equals("local-networks")) {
            return v4 ? "@local_v4" : "@local_v6";
        }
        List<String> fit = addrs == null ? List.of() : v4(addrs, v4);
        return fit.isEmpty() ? null : "{ " + String.join(", ", fit) + " }";
    }

    private static List<String> cidrs(List<Cidr> l) {
        return l == null ? List.of() : l.stream().map(Cidr::text).toList();
    }

    private static void set(StringBuilder sb, String name, String type, List<String> elements, boolean interval) {
        sb.append("    set ").append(name).append(" { type ").append(type).append(';');
        if (interval) {
            sb.append(" flags interval;");
        }
        if (!elements.isEmpty()) {
            sb.append(" elements = { ").append(String.join(", ", elements)).append(" };");
        }
        sb.append(" }\n");
    }

    /** The v4 (or v6) members of a list of addresses and prefixes; anything unparsable is left out. */
    static List<String> v4(List<String> addrs, boolean v4) {
        return addrs.stream().filter(a -> {
            Cidr c = Cidr.parse(a);
            return c != null && !a.contains(":") == v4;
        }).distinct().collect(Collectors.toList());
    }

    private static boolean isV4(String ip) {
        IpAddr a = IpAddr.parse(ip);
        return a != null && a.isV4();
    }

    /** Text safe inside an nft comment or a # line: printable ASCII without quotes or newlines. */
    static String comment(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            sb.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? c : '_');
        }
        return sb.length() > 120 ? sb.substring(0, 120) : sb.toString();
    }
}
