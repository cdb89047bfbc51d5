package io.bulwark.inventory;

/**
 * One thing the network showed about a device, as evidence for its identity, class or posture.
 *
 * @param source where it was seen, a stable dotted id: {@code oui}, {@code dhcp.hostname},
 *               {@code dhcp.vendor_class}, {@code dhcp.prl}, {@code dhcp.mud_url},
 *               {@code dhcp6.mud_url}, {@code mdns.instance}, {@code mdns.service}, {@code mdns.host},
 *               {@code mdns.txt}, {@code ssdp.server}, {@code ssdp.type}, {@code ssdp.location},
 *               {@code ssdp.user_agent}, {@code http.user_agent}, {@code http.server},
 *               {@code http.host}, {@code http.basic_auth}, {@code http.update}, {@code banner.telnet},
 *               {@code banner.ssh}, {@code banner.ftp}, {@code tls.ja4}, {@code tls.version},
 *               {@code tls.sni}, {@code service} (what the device answered on) and {@code peer} (remote
 *               services it opened flows to): the last two from flows, so also in flow mode
 * @param value  printable ASCII, at most {@link #MAX_VALUE} characters
 */
public record Observation(String source, String value) {
    public static final int MAX_VALUE = 128;

    @Override
    public String toString() {
        return source + "=" + value;
    }
}
