package io.bulwark.detect.policy;

import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Cidr;
import io.bulwark.mud.MudProfile;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * MUD profiles and what their abstractions resolve to (RFC 8520 section 8). Empty by default:
 * the policy detector then does nothing.
 *
 * @param byIp          operator assignment: device address to profile
 * @param byMac         operator assignment: device MAC (48 bits) to profile
 * @param byUrl         profiles by MUD URL, for devices that announce one (DHCP option 161/112)
 * @param controllers   "controller" URIs to the addresses that implement them
 * @param myControllers MUD URL to the addresses of its "my-controller"
 * @param maxViolations distinct (direction, protocol, peer, port) violations reported per device
 */
public record PolicyConfig(Map<IpAddr, MudProfile> byIp, Map<Long, MudProfile> byMac, Map<String, MudProfile> byUrl,
                           Map<String, List<Cidr>> controllers, Map<String, List<Cidr>> myControllers,
                           int maxViolations) implements Serializable {
    public PolicyConfig {
        byIp = Map.copyOf(byIp);
        byMac = Map.copyOf(byMac);
        byUrl = Map.copyOf(byUrl);
        controllers = Map.copyOf(controllers);
        myControllers = Map.copyOf(myControllers);
    }

    public static PolicyConfig defaults() {
        return new PolicyConfig(Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), 32);
    }

    public boolean isEmpty() {
        return byIp.isEmpty() && byMac.isEmpty() && byUrl.isEmpty();
    }
}
