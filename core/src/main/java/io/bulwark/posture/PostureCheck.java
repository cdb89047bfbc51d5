package io.bulwark.posture;

import java.util.List;

/**
 * The result of one network-observable check of the ENISA Baseline Security Recommendations
 * for IoT (November 2017) on one device.
 *
 * @param id       stable check id (lower_snake)
 * @param measures the ENISA good practices it observes ("GP-TM-08")
 * @param status   passed, failed, or unknown when the traffic does not show it
 * @param basis    "observed" (the traffic shows it), "inferred" (from what the device became:
 *                 a Mirai bot got in by telnet and default credentials), or "none" for unknown
 * @param evidence readable facts, each naming its source (a service, an observation, an incident id)
 */
public record PostureCheck(String id, String title, List<String> measures, Status status, String basis,
                           List<String> evidence) {
    public enum Status { passed, failed, unknown }
}
