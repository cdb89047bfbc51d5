package io.bulwark.detect.bruteforce;

import java.util.Set;

/**
 * Thresholds of the login-guessing detector (docs/detectors.md#bruteforce).
 *
 * @param loginPorts        services whose logins are followed or counted (telnet 23/2323, SSH 22)
 * @param windowNanos       attempts are counted over this window (default 10 min)
 * @param minInbound        login attempts against one local device that make a brute force (default 3)
 * @param minOutbound       login attempts by one local device ... (default 5)
 * @param minOutboundHosts  ... against at least this many hosts (default 3)
 * @param minFlowAttempts   flow mode: short established sessions on a login port (default 10)
 * @param maxCredentials    credentials kept per incident (default 32)
 * @param sessions          telnet sessions followed at once per device (default 8)
 * @param minProbes         outbound telnet connection attempts in the window that make a device a
 *                          telnet prober (default 10: Mirai's scanner opens hundreds a second; a
 *                          person administering a few devices by telnet opens a handful). A prober
 *                          that logs in with a factory credential ({@link DefaultCredentials}) is
 *                          reported at that first login: it is spreading, guessing or not
 */
public record BruteforceConfig(Set<Integer> loginPorts, long windowNanos, int minInbound, int minOutbound,
                               int minOutboundHosts, int minFlowAttempts, int maxCredentials, int sessions,
                               int minProbes) {
    public static BruteforceConfig defaults() {
        return new BruteforceConfig(Set.of(22, 23, 2323), 600_000_000_000L, 3, 5, 3, 10, 32, 8, 10);
    }

    public BruteforceConfig {
        if (windowNanos <= 0 || minInbound < 1 || minOutbound < 1 || minOutboundHosts < 1 || minFlowAttempts < 1
                || maxCredentials < 0 || sessions < 1 || minProbes < 1) {
            throw new IllegalArgumentException("bruteforce: window_s > 0, minimums >= 1, sessions >= 1");
        }
    }
}
