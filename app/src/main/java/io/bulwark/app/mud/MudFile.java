package io.bulwark.app.mud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.output.Json;
import io.bulwark.mud.Ace;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads MUD files (RFC 8520) in their JSON encoding (RFC 7951): the {@code ietf-mud:mud}
 * container and the ACLs of {@code ietf-access-control-list} (RFC 8519). Accepts the RFC's
 * names ({@code acls}, {@code aces}, {@code ipv4}, {@code name}) and the pre-RFC draft names
 * found in the field ({@code access-lists}, {@code access-list-entries}, {@code ipv4-acl},
 * {@code rule-name}, {@code source-port-range-or-operator}). Entries this reader cannot
 * represent (a {@code neq} port operator, an unknown match) make the whole file an error rather
 * than a silently looser policy.
 */
public final class MudFile {
    /** MUD files are small (the examples are 2-5 KB); refuse anything absurd. */
    public static final long MAX_BYTES = 1 << 20;

    private MudFile() {
    }

    /** A MUD file that cannot be used, with the reason (path inside the JSON where it helps). */
    public static final class MudException extends Exception {
        public MudException(String message) {
            super(message);
        }
    }

    public static MudProfile read(Path file) throws MudException {
        try {
            // Files.size says 0 for /dev/zero and other devices: bound the read itself.
            return parse(io.bulwark.app.TextFiles.readBounded(file, MAX_BYTES), file.toString());
        } catch (IOException e) {
            throw new MudException(file + ": " + e.getMessage());
        }
    }

    public static MudProfile parse(byte[] json, String name) throws MudException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new MudException(name + ": not JSON: " + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new MudException(name + ": not a JSON object");
        }
        JsonNode mud = root.path("ietf-mud:mud");
        if (!mud.isObject()) {
            throw new MudException(name + ": no ietf-mud:mud container");
        }
        String url = mud.path("mud-url").asText(null);
        if (url == null || url.isBlank()) {
            throw new MudException(name + ": ietf-mud:mud has no mud-url");
        }
        JsonNode aclRoot = root.has("ietf-access-control-list:acls") ? root.path("ietf-access-control-list:acls")
                : root.path("ietf-access-control-list:access-lists");
        Map<String, JsonNode> acls = new HashMap<>();
        for (JsonNode acl : aclRoot.path("acl")) {
            acls.put(acl.path("name").asText(), acl);
        }
        List<Ace> from = new ArrayList<>();
        List<Ace> to = new ArrayList<>();
        policy(mud.path("from-device-policy"), acls, true, from, name);
        policy(mud.path("to-device-policy"), acls, false, to, name);
        return new MudProfile(url, mud.path("systeminfo").asText(null), mud.path("mfg-name").asText(null),
                mud.path("model-name").asText(null), List.copyOf(from), List.copyOf(to));
    }

    private static void policy(JsonNode p, Map<String, JsonNode> acls, boolean fromDevice, List<Ace> out, String file)
            throws MudException {
        JsonNode lists = p.has("acls") ? p.path("acls") : p.path("access-lists");
        for (JsonNode ref : lists.path("access-list")) {
            String aclName = ref.path("name").asText();
            JsonNode acl = acls.get(aclName);
            if (acl == null) {
                throw new MudException(file + ": policy names ACL '" + aclName + "', which the file does not define");
            }
            JsonNode aces = acl.has("aces") ? acl.path("aces") : acl.path("access-list-entries");
            for (JsonNode ace : aces.path("ace")) {
                out.add(ace(aclName, ace, fromDevice, file));
            }
        }
    }

    private static Ace ace(String acl, JsonNode ace, boolean fromDevice, String file) throws MudException {
        String name = ace.has("name") ? ace.path("name").asText() : ace.path("rule-name").asText();
        String where = file + ": ACL " + acl + " entry " + name;
        JsonNode m = ace.path("matches");
        JsonNode ip = null;
        int version = 0;
        for (String k : List.of("ipv4", "ipv4-acl", "ipv6", "ipv6-acl")) {
            if (m.has(k)) {
                ip = m.path(k);
                version = k.startsWith("ipv4") ? 4 : 6;
            }
        }
        int protocol = ip == null ? -1 : ip.path("protocol").asInt(-1);
        String remoteName = null;
        Cidr remoteNet = null;
        Ace.PortRange remotePort = null, localPort = null;
        if (ip != null) {
            String nameKey = fromDevice ? "ietf-acldns:dst-dnsname" : "ietf-acldns:src-dnsname";
            if (ip.has(nameKey)) {
                remoteName = ip.path(nameKey).asText().toLowerCase(Locale.ROOT);
            }
            String side = fromDevice ? "destination" : "source";
            for (String k : List.of(side + "-ipv4-network", side + "-ipv6-network")) {
                if (ip.has(k)) {
                    remoteNet = Cidr.parse(ip.path(k).asText());
                    if (remoteNet == null) {
                        throw new MudException(where + ": bad network " + ip.path(k).asText());
                    }
                }
            }
            // draft form: ports inside the ip match
            remotePort = port(ip.path((fromDevice ? "destination" : "source") + "-port-range-or-operator"), where);
            localPort = port(ip.path((fromDevice ? "source" : "destination") + "-port-range-or-operator"), where);
        }
        String initiated = null;
        for (String l4 : List.of("tcp", "udp")) {
            JsonNode t = m.path(l4);
            if (!t.isObject()) {
                continue;
            }
            if (protocol < 0) {
                protocol = l4.equals("tcp") ? 6 : 17;
            }
            Ace.PortRange r = port(t.path(fromDevice ? "destination-port" : "source-port"), where);
            Ace.PortRange l = port(t.path(fromDevice ? "source-port" : "destination-port"), where);
            remotePort = r != null ? r : remotePort;
            localPort = l != null ? l : localPort;
            if (t.has("ietf-mud:direction-initiated")) {
                initiated = t.path("ietf-mud:direction-initiated").asText();
                if (!initiated.equals("from-device") && !initiated.equals("to-device")) {
                    throw new MudException(where + ": direction-initiated " + initiated);
                }
            }
        }
        Ace.Abstraction abstraction = null;
        JsonNode mm = m.path("ietf-mud:mud");
        if (mm.isObject()) {
            var it = mm.fieldNames();
            while (it.hasNext()) {
                String k = it.next();
                if (!Ace.Abstraction.KINDS.contains(k)) {
                    throw new MudException(where + ": unknown ietf-mud match " + k);
                }
                JsonNode v = mm.path(k);
                abstraction = new Ace.Abstraction(k, v.isTextual() ? v.asText() : null);
            }
        }
        String fwd = ace.path("actions").path("forwarding").asText("");
        boolean accept = fwd.endsWith("accept");
        if (!accept && !fwd.endsWith("drop") && !fwd.endsWith("reject")) {
            throw new MudException(where + ": actions.forwarding must be accept, drop or reject, not '" + fwd + "'");
        }
        return new Ace(acl, name, protocol, version, remoteName, remoteNet, remotePort, localPort, initiated, abstraction,
                accept);
    }

    /** RFC 8519 port match: {operator, port} or {lower-port, upper-port}; null when absent. */
    private static Ace.PortRange port(JsonNode p, String where) throws MudException {
        if (!p.isObject()) {
            return null;
        }
        if (p.has("lower-port")) {
            int lo = p.path("lower-port").asInt(-1), hi = p.path("upper-port").asInt(-1);
            if (lo < 0 || hi < lo || hi > 65535) {
                throw new MudException(where + ": bad port range " + p);
            }
            return new Ace.PortRange(lo, hi);
        }
        int port = p.path("port").asInt(-1);
        if (port < 0 || port > 65535) {
            throw new MudException(where + ": bad port " + p);
        }
        return switch (p.path("operator").asText("eq")) {
            case "eq" -> new Ace.PortRange(port, port);
            case "lte" -> new Ace.PortRange(0, port);
            case "gte" -> new Ace.PortRange(port, 65535);
            default -> throw new MudException(where + ": port operator " + p.path("operator").asText() + " is not supported");
        };
    }
}
