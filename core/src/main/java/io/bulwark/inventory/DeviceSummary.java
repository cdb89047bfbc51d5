package io.bulwark.inventory;

import io.bulwark.posture.PostureCheck;

import java.util.List;

/**
 * One local device as devices.ndjson reports it: identity, activity in traffic time, what it
 * offered and did, what passive inventory made of it, and its ENISA baseline posture. Counts
 * are estimated true volumes.
 *
 * @param mac       "aa:bb:cc:dd:ee:ff", or null when the link layer had none
 * @param services  services the device answered on, as "tcp/23", at most {@link DeviceActivity#MAX_SERVICES}
 * @param incidents ids of incidents about the device
 * @param profile   vendor, class and the observations behind them ({@link DeviceProfile#EMPTY} when none)
 * @param posture   the ENISA baseline checks, in a fixed order (empty when not assessed)
 */
public record DeviceSummary(String ip, String mac, long firstSeen, long lastSeen,
                            long packetsOut, long bytesOut, long packetsIn, long bytesIn,
                            long flowsOriginated, long flowsAnswered,
                            List<String> services, List<String> incidents,
                            DeviceProfile profile, List<PostureCheck> posture) {
    public DeviceSummary {
        profile = profile == null ? DeviceProfile.EMPTY : profile;
        posture = posture == null ? List.of() : List.copyOf(posture);
    }

    /** A summary without inventory or posture (activity only). */
    public DeviceSummary(String ip, String mac, long firstSeen, long lastSeen,
                         long packetsOut, long bytesOut, long packetsIn, long bytesIn,
                         long flowsOriginated, long flowsAnswered,
                         List<String> services, List<String> incidents) {
        this(ip, mac, firstSeen, lastSeen, packetsOut, bytesOut, packetsIn, bytesIn, flowsOriginated, flowsAnswered,
                services, incidents, DeviceProfile.EMPTY, List.of());
    }
}
