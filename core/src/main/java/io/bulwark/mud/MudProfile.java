package io.bulwark.mud;

import java.io.Serializable;
import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * A parsed MUD file (RFC 8520): the device's declared policy, as two lists of access-control
 * entries, each evaluated in order; traffic that no accept entry matches is not allowed
 * (RFC 8519 ACLs end in an implicit deny).
 *
 * @param url          the mud-url the file names
 * @param fromDevice   entries of the from-device-policy ACLs, in order
 * @param toDevice     entries of the to-device-policy ACLs, in order
 */
public record MudProfile(String url, String systemInfo, String mfgName, String modelName,
                         List<Ace> fromDevice, List<Ace> toDevice) implements Serializable {

    /** The manufacturer for same-manufacturer matches: the authority (host) of the MUD URL (RFC 8520 8.2). */
    public String authority() {
        try {
            String h = URI.create(url).getHost();
            return h == null ? "" : h.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
