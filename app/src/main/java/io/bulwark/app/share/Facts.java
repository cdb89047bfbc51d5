package io.bulwark.app.share;

import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an incident says in terms a partner can use, read once from its kind and detail
 * (docs/architecture.md contract) so that STIX and MISP exports agree. Local addresses are already
 * pseudonymised here: nothing downstream sees the originals.
 *
 * <p>Roles (docs/share.md, "Who is who"): the <em>attacker</em> is the address doing the
 * malicious act (a scanning or brute-forcing device, a flooding bot, a C2 server, a download
 * server or loader); the <em>victim</em> is the address it was done to (a flood's target, a
 * brute-forced or infected device). Only an attacker can be an {@link #indicator()}, and only
 * when its address is real (not a pseudonym) and public (or private addresses were asked for).
 *
 * @param family        the malware family the evidence supports (detail.family, or Mirai for a
 *                      scan with Mirai's SYN fingerprint); null when nothing names one
 * @param host          the device (pseudonymised)
 * @param peer          the other end when the detail names one (C2 server, flood victim,
 *                      loader), else null; pseudonymised when local
 * @param peerRole      "c2", "victim", "loader" or null
 * @param hostIsSource  whether the host sent the traffic (else it received it)
 * @param attacker      host or peer, whichever did the malicious act; null when the detail does not
 *                      name it (an inbound brute force or a flood against the device)
 * @param victim        host or peer, whichever it was done to; null when not named
 * @param indicator     the attacker when a partner may match on it (real and, unless
 *                      {@link ShareOptions#privateInPatterns()}, public), else null
 * @param indicatorType STIX indicator-type-ov of the attacker: malicious-activity (a C2 or loader),
 *                      compromised (a device doing the bot's work) or anomalous-activity (a MUD
 *                      departure)
 * @param pseudonyms    which of host and peer are Crypto-PAn pseudonyms, not real addresses
 * @param protocols     transport protocols, lower case ("tcp", "udp", "gre", "icmp"); may be empty
 * @param dstPorts      destination ports (at most {@link #MAX_PORTS}); may be empty
 * @param count         how many times it was seen (probes, attempts, packets, downloads), at least 1
 */
public record Facts(Incident incident, Tlp tlp, String family, IpAddr host, IpAddr peer, String peerRole,
                    boolean hostIsSource, IpAddr attacker, IpAddr victim, IpAddr indicator, String indicatorType,
                    java.util.Set<IpAddr> pseudonyms, List<String> protocols, List<Integer> dstPorts,
                    List<Technique> techniques, long count) {
    public static final int MAX_PORTS = 5;
    /** Addresses that match some partner's own hosts: never in a pattern unless asked for. */
    // Never globally routable, whatever the operator configured as local_nets (a fact of the
    // address plan, not a setting): so not LocalNets.defaults(), which is a default only.
    public static final LocalNets PRIVATE = LocalNets.of(List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "100.64.0.0/10", "169.254.0.0/16", "127.0.0.0/8", "0.0.0.0/8", "fc00::/7", "fe80::/10", "::1/128"));

    /** True when the address is one of {@link #pseudonyms()}: never a real address to match on. */
    public boolean pseudonym(IpAddr a) {
        return a != null && pseudonyms.contains(a);
    }

    /** True for RFC 1918, RFC 6598, link-local, loopback and ULA addresses. */
    public static boolean isPrivate(IpAddr a) {
        return PRIVATE.contains(a);
    }

    /** What a partner may receive: the facts of each incident at or below its TLP, in detection order. */
    public record Selection(java.util.List<Facts> shared, int withheld) {
    }

    /**
     * The incidents a partner may receive, sorted by detection time then id (so exports are
     * byte-identical whatever the input order), and how many its TLP level withheld.
     */
    public static Selection select(java.util.List<Incident> incidents, ShareOptions o) {
        java.util.List<Incident> sorted = new java.util.ArrayList<>(incidents);
        sorted.sort(java.util.Comparator.comparingLong(Incident::detectedAt).thenComparing(Incident::id));
        java.util.List<Facts> shared = new java.util.ArrayList<>();
        int withheld = 0;
        for (Incident i : sorted) {
            Facts f = of(i, o);
            if (f == null) {
                continue;
            }
            if (!f.tlp().allowedUpTo(o.partnerMax())) {
                withheld++;
            } else {
                shared.add(f);
            }
        }
        return new Selection(java.util.List.copyOf(shared), withheld);
    }

    public static Facts of(Incident i, ShareOptions o) {
        IpAddr rawHost = IpAddr.parse(i.host());
        if (rawHost == null) {
            return null;
        }
        IpAddr host = o.pseudonymise().apply(rawHost);
        Map<String, Object> d = i.detail() == null ? Map.of() : i.detail();
        String family = family(i.kind(), d);
        IpAddr peer = null;
        String role = null;
        boolean hostIsSource = true;
        List<String> protocols = new ArrayList<>();
        List<Integer> ports = new ArrayList<>();
        List<Technique> techniques = new ArrayList<>();
        String count = null;
        switch (i.kind()) {
            case scan -> {
                protocols.add("tcp");
                if (d.get("ports") instanceof List<?> l) {
                    for (Object e : l) {
                        if (e instanceof Map<?, ?> m && m.get("port") instanceof Number n && ports.size() < MAX_PORTS) {
                            ports.add(n.intValue());
                        }
                    }
                }
                techniques.add(Technique.ACTIVE_SCANNING);
                techniques.add(Technique.NETWORK_SERVICE_DISCOVERY);
                count = "probes";
            }
            case bruteforce -> {
                protocols.add("tcp");
                ports.add("ssh".equals(d.get("service")) ? 22 : 23);
                hostIsSource = !"inbound".equals(d.get("direction"));
                techniques.add(Technique.PASSWORD_GUESSING);
                count = "attempts";
            }
            case infection -> {
                peer = address(d.get("source"));
                role = "loader";
                protocols.add("tcp");
                // A loader logs in over telnet and drops the binary; otherwise the device
                // fetched it (InfectionDetector's methods).
                hostIsSource = "binary_downloads".equals(d.get("method"));
                if (!hostIsSource) {
                    ports.add(23);
                }
                techniques.add(Technique.INGRESS_TOOL_TRANSFER);
                count = "downloads";
            }
            case c2 -> {
                peer = address(d.get("peer"));
                role = "c2";
                protocols.add("udp".equals(d.get("protocol")) ? "udp" : "tcp");
                if (d.get("port") instanceof Number n) {
                    ports.add(n.intValue());
                }
                techniques.add(Technique.APPLICATION_LAYER_PROTOCOL);
                count = "attempts";
            }
            case ddos -> {
                peer = address(d.get("victim"));
                role = "victim";
                String v = String.valueOf(d.get("vector"));
                protocols.add(switch (v) {
                    case "greip", "greeth" -> "gre";
                    case "udp", "vse", "dns", "udpplain" -> "udp";
                    default -> "tcp";
                });
                if (v.equals("dns")) {
                    ports.add(53);
                } else if (v.equals("http")) {
                    ports.add(80);
                }
                techniques.add(v.equals("http") ? Technique.ENDPOINT_DOS : Technique.NETWORK_DOS);
                count = "packets";
            }
            case ddos_target -> {
                hostIsSource = false;
                String t = String.valueOf(d.get("attack_type"));
                if (t.startsWith("syn") || t.startsWith("ack") || t.startsWith("tcp")) {
                    protocols.add("tcp");
                } else if (t.startsWith("udp") || t.equals("amplification")) {
                    protocols.add("udp");
                } else if (t.startsWith("icmp")) {
                    protocols.add("icmp");
                } else if (t.startsWith("gre")) {
                    protocols.add("gre");
                }
                techniques.add(Technique.NETWORK_DOS);
                count = "packets";
            }
            case policy -> {
                // A departure from the device's MUD profile: the device's own traffic, not proof
                // of compromise; the peer is not named (it may be harmless, only not declared).
                hostIsSource = "from-device".equals(d.get("direction"));
                if (d.get("protocol") instanceof String p && (p.equals("tcp") || p.equals("udp"))) {
                    protocols.add(p);
                }
                if (d.get("port") instanceof Number n) {
                    ports.add(n.intValue());
                }
                count = "flows";
            }
            default -> {
                hostIsSource = !"inbound".equals(d.get("direction"));
            }
        }
        java.util.Set<IpAddr> pseudonyms = new java.util.HashSet<>();
        if (!o.realAddresses()) {
            pseudonyms.add(host);
        }
        if (peer != null && o.local().contains(peer)) {
            peer = o.pseudonymise().apply(peer);
            if (!o.realAddresses()) {
                pseudonyms.add(peer);
            }
        }
        IpAddr attacker;
        IpAddr victim;
        String type;
        switch (i.kind()) {
            case c2, infection -> { // the C2 server, the loader or download server; the device is its victim
                attacker = peer;
                victim = i.kind() == io.bulwark.detect.Kind.infection ? host : null;
                type = "malicious-activity";
            }
            case ddos -> { // the device floods; the peer is the flood's target
                attacker = host;
                victim = peer;
                type = "compromised";
            }
            case ddos_target -> { // the device is flooded; the detail counts the sources, never names them
                attacker = null;
                victim = host;
                type = null;
            }
            case policy -> { // a departure from the MUD profile: the device's own act, when it sent
                attacker = hostIsSource ? host : null;
                victim = null;
                type = "anomalous-activity";
            }
            default -> { // scan, bruteforce and the rest: the device acts, or (inbound) is acted on
                attacker = hostIsSource ? host : null;
                victim = hostIsSource ? null : host;
                type = "compromised";
            }
        }
        IpAddr indicator = attacker == null || pseudonyms.contains(attacker)
                || (!o.privateInPatterns() && isPrivate(attacker)) ? null : attacker;
        long n = count != null && d.get(count) instanceof Number c ? c.longValue() : i.evidence().size();
        return new Facts(i, o.marking().apply(i), family, host, peer, role, hostIsSource, attacker, victim, indicator,
                attacker == null ? null : type, java.util.Set.copyOf(pseudonyms), List.copyOf(protocols),
                List.copyOf(ports), List.copyOf(techniques), Math.max(1, n));
    }

    /**
     * The family the evidence supports: the detail's own {@code family}, or Mirai for a scan whose
     * probes carry Mirai's fingerprint (sequence number = destination address). Nothing else names
     * a family: Gafgyt, Hakai and other descendants share ports, vectors and credentials with Mirai.
     */
    static String family(io.bulwark.detect.Kind kind, Map<String, Object> d) {
        if (d.get("family") instanceof String f && !f.isBlank()) {
            return f;
        }
        if (kind == io.bulwark.detect.Kind.scan && Boolean.TRUE.equals(d.get("mirai_fingerprint"))) {
            return "Mirai";
        }
        return null;
    }

    /**
     * A stable name for the incident built only from what the export shows (kind, pseudonymised
     * addresses, vector or direction, first_seen). Not the incident id: that hashes the real
     * host, so a recipient could test guesses of a pseudonymised address against it.
     */
    public String key() {
        Map<String, Object> d = incident.detail() == null ? Map.of() : incident.detail();
        return incident.kind() + "|" + host + "|" + peer + "|" + d.getOrDefault("vector", "") + "|"
                + d.getOrDefault("direction", "") + "|" + incident.firstSeen();
    }

    private static IpAddr address(Object o) {
        return o instanceof String s ? IpAddr.parse(s) : null;
    }
}
