package io.bulwark.app.mud;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.detect.policy.PolicyConfig;
import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The operator's MUD setup, from the config's {@code mud} object (docs/configuration.md) and the
 * command line's {@code --mud FILE} and {@code --mud-device ADDR=FILE}:
 *
 * <pre>
 * "mud": {
 *   "profiles": ["hs110.mud.json"],                   MUD files, for devices that announce their URL
 *   "devices": {"10.10.10.20": "hs110.mud.json",      operator assignment by address or MAC:
 *               "50:c7:bf:00:c7:03": "https://..."},  a file, or the mud-url of a listed profile
 *   "controllers": {"urn:example:ntp": ["10.0.0.5"]}, "controller" URIs to addresses or prefixes
 *   "my_controllers": {"https://...": ["10.0.0.1"]},  "my-controller" of each MUD URL
 *   "max_violations": 32                               distinct violations reported per device
 * }
 * </pre>
 *
 * Paths are relative to the config file. The setup only reads local files; fetching a MUD
 * URL over HTTPS is {@link MudFetcher}'s, on the operator's explicit request.
 */
public final class MudSetup {
    private final Map<String, MudProfile> byUrl = new HashMap<>();
    private final Map<IpAddr, MudProfile> byIp = new HashMap<>();
    private final Map<Long, MudProfile> byMac = new HashMap<>();
    private final Map<String, List<Cidr>> controllers = new HashMap<>();
    private final Map<String, List<Cidr>> myControllers = new HashMap<>();
    private int maxViolations = PolicyConfig.defaults().maxViolations();

    public MudSetup() {
    }

    /** Starts from an existing configuration (the config file's), to add the command line's. */
    public MudSetup(PolicyConfig base) {
        byUrl.putAll(base.byUrl());
        byIp.putAll(base.byIp());
        byMac.putAll(base.byMac());
        controllers.putAll(base.controllers());
        myControllers.putAll(base.myControllers());
        maxViolations = base.maxViolations();
    }

    /**
     * The command line's additions: {@code --mud} files or https URLs (fetched with
     * {@link MudFetcher}) and {@code --mud-device ADDR=FILE} assignments.
     */
    public static PolicyConfig merge(PolicyConfig base, List<String> profiles, List<String> devices) throws IOException {
        MudSetup s = new MudSetup(base);
        Path cwd = Path.of("").toAbsolutePath();
        for (String p : profiles) {
            if (p.startsWith("https://")) {
                try {
                    MudProfile m = MudFile.parse(MudFetcher.fetch(java.net.URI.create(p)), p);
                    s.byUrl.put(m.url(), m);
                } catch (MudFile.MudException | IllegalArgumentException e) {
                    throw new IOException(e.getMessage());
                }
            } else {
                s.profile(cwd.resolve(p));
            }
        }
        for (String d : devices) {
            s.assignment(d, cwd);
        }
        return s.toConfig();
    }

    public static final Set<String> KEYS = Set.of("profiles", "devices", "controllers", "my_controllers", "max_violations");

    /** Reads the config's {@code mud} object; {@code base} is the config file's directory. */
    public MudSetup config(JsonNode mud, Path base) throws IOException {
        if (mud == null || mud.isMissingNode()) {
            return this;
        }
        for (JsonNode f : mud.path("profiles")) {
            profile(base.resolve(f.asText()));
        }
        Iterator<Map.Entry<String, JsonNode>> it = mud.path("devices").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String v = e.getValue().asText();
            MudProfile p = byUrl.containsKey(v) ? byUrl.get(v) : profile(base.resolve(v));
            assign(e.getKey(), p);
        }
        nets(mud.path("controllers"), controllers);
        nets(mud.path("my_controllers"), myControllers);
        maxViolations = mud.path("max_violations").asInt(maxViolations);
        if (maxViolations < 1) {
            throw new IOException("mud.max_violations must be at least 1");
        }
        return this;
    }

    /** Adds a MUD file, indexed by its mud-url. */
    public MudProfile profile(Path file) throws IOException {
        try {
            MudProfile p = MudFile.read(file);
            byUrl.put(p.url(), p);
            return p;
        } catch (MudFile.MudException e) {
            throw new IOException(e.getMessage());
        }
    }

    /** "ADDR=FILE" from the command line: assigns the file's profile to an address or a MAC. */
    public void assignment(String spec, Path cwd) throws IOException {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IOException("--mud-device wants ADDR=FILE (an IP address or MAC, then a MUD file): " + spec);
        }
        assign(spec.substring(0, eq), profile(cwd.resolve(spec.substring(eq + 1))));
    }

    private void assign(String who, MudProfile p) throws IOException {
        long mac = mac(who);
        if (mac >= 0) {
            byMac.put(mac, p);
            return;
        }
        IpAddr ip = IpAddr.parse(who);
        if (ip == null) {
            throw new IOException("mud device '" + who + "' is neither an IP address nor a MAC address");
        }
        byIp.put(ip, p);
    }

    static long mac(String s) {
        String hex = s.replace(":", "").replace("-", "");
        if (hex.length() != 12 || s.length() != 17) {
            return -1;
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void nets(JsonNode n, Map<String, List<Cidr>> out) throws IOException {
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            List<Cidr> list = new ArrayList<>();
            for (JsonNode a : e.getValue()) {
                Cidr c = Cidr.parse(a.asText());
                if (c == null) {
                    throw new IOException("mud: '" + a.asText() + "' is not an address or prefix");
                }
                list.add(c);
            }
            out.put(e.getKey(), List.copyOf(list));
        }
    }

    public PolicyConfig toConfig() {
        return new PolicyConfig(byIp, byMac, byUrl, controllers, myControllers, maxViolations);
    }
}
