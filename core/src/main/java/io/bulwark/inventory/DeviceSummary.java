package io.bulwark.inventory;

import java.util.List;

/**
 * One local device as devices.ndjson reports it: identity, activity in traffic time, and
 * what it offered and did. Counts are estimated true volumes.
 *
 * @param mac       "aa:bb:cc:dd:ee:ff", or null when the link layer had none
 * @param services  services the device answered on, as "tcp/23", at most {@link DeviceActivity#MAX_SERVICES}
 * @param incidents ids of incidents about the device
 */
public record DeviceSummary(String ip, String mac, long firstSeen, long lastSeen,
                            long packetsOut, long bytesOut, long packetsIn, long bytesIn,
                            long flowsOriginated, long flowsAnswered,
                            List<String> services, List<String> incidents) {
}
