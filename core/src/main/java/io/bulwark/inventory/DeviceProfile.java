package io.bulwark.inventory;

import java.util.List;

/**
 * What passive inventory concluded about one device, with its evidence.
 *
 * @param vendor        organisation of the MAC's OUI (IEEE registry), or the maker the device names
 *                      when the OUI is a Wi-Fi chip or module maker's ({@link ProductVendor}); or null
 * @param deviceClass   best-effort class: camera, dvr, router, plug, gateway, sensor, alarm, lock,
 *                      light, thermostat, appliance, health, tv, media, speaker, printer, nas,
 *                      computer, phone, or "unknown"
 * @param classEvidence the observations that voted for {@code deviceClass}, strongest first
 * @param mudUrl        MUD URL the device announced (DHCPv4 option 161, DHCPv6 option 112), or null
 * @param observations  everything seen, at most {@link Observations#MAX_PER_DEVICE}, in first-seen order
 */
public record DeviceProfile(String vendor, String deviceClass, List<ClassVote> classEvidence, String mudUrl,
                            List<Observation> observations) {
    public static final DeviceProfile EMPTY = new DeviceProfile(null, DeviceClassifier.UNKNOWN, List.of(), null, List.of());

    /**
     * One observation's vote for a class.
     *
     * @param rule   why the observation means this class, readable
     * @param weight 3 for a model or product name, 2 for a service or device type, 1 for a vendor hint
     */
    public record ClassVote(String deviceClass, String source, String value, String rule, int weight) {
    }

    /** Values of the observations from {@code source}, in first-seen order. */
    public List<String> values(String source) {
        return observations.stream().filter(o -> o.source().equals(source)).map(Observation::value).toList();
    }

    public boolean has(String source) {
        return observations.stream().anyMatch(o -> o.source().equals(source));
    }
}
