package io.bulwark.detect.c2;

import java.util.Set;

/**
 * Thresholds of the command-and-control detector (docs/detectors.md#c2).
 *
 * @param peerSlots            peers tracked per device (least recently seen replaced); bounds state
 * @param minAttempts          connections to one peer that make a pattern (default 3). Connections,
 *                             not records: one TCP connection cut into several records is one. Hakai
 *                             (IoT-23 8-1) opens one every ~80 s and Torii (20-1) its 3rd failing one
 *                             163 s after the first, so three keep both under the 5-minute target (its
 *                             4th is a session exported only when it ends, 11 hours later); a benign
 *                             device's SYN retries of one connection no longer count (it was 6
 *                             records, which the WeMo Link's backed-off retries reached)
 * @param minSpanNanos         ... spread over at least this long (default 60 s): retries of one
 *                             failed connection are not beaconing
 * @param minUnansweredShare   share of attempts unanswered or refused for the "persistent" rule (0.5)
 * @param minPeriodicRepeats   connections for the "periodic" rule (default 8)
 * @param maxPeriodCv          intervals' coefficient of variation at most this (default 0.25)
 * @param minPeriodNanos       period bounds of a beacon (default 20 s .. 1 h; faster repetition is
 *                             retrying or guessing, not beaconing)
 * @param maxPeriodNanos
 * @param keepaliveMaxPayload  largest payload counted as a keep-alive, bytes (default 8)
 * @param minKeepalives        keep-alives at a regular interval that make a C2 session (default 3)
 * @param reportPorts          ports that are C2 by themselves (Mirai's scan-report server: 48101)
 * @param connectivityWindowNanos the persistent rule needs an answered contact with an outside host
 *                             after the peer's first failure and at most this long after its last
 *                             attempt (default 300 s): proof that the device's internet worked
 *                             while the peer failed. Offline or firewalled devices (the IoT Sentinel
 *                             WeMo Link's setup captures: 36 outside connections, none answered)
 *                             retry every cloud they know and are answered by none
 * @param servicePorts         ports of ordinary cloud services (HTTPS, MQTT, XMPP, NTP, ...): the
 *                             periodic and keep-alive rules ignore them, the persistent rule does not
 */
public record C2Config(int peerSlots, int minAttempts, long minSpanNanos, double minUnansweredShare,
                       int minPeriodicRepeats, double maxPeriodCv, long minPeriodNanos, long maxPeriodNanos,
                       int keepaliveMaxPayload, int minKeepalives, long connectivityWindowNanos,
                       Set<Integer> reportPorts, Set<Integer> servicePorts) {
    public C2Config {
        if (peerSlots < 1 || minAttempts < 2 || minPeriodicRepeats < 3 || minKeepalives < 2 || minSpanNanos < 0
                || connectivityWindowNanos <= 0 || maxPeriodCv <= 0 || minPeriodNanos <= 0 || maxPeriodNanos < minPeriodNanos) {
            throw new IllegalArgumentException("c2: peer_slots >= 1, min_attempts >= 2, min_periodic_repeats >= 3, "
                    + "min_keepalives >= 2, connectivity_window_s > 0, period bounds positive and ordered");
        }
    }

    private static final long S = 1_000_000_000L;

    public static C2Config defaults() {
        return new C2Config(16, 3, 60 * S, 0.5, 8, 0.25, 20 * S, 3600 * S, 8, 3, 300 * S, Set.of(48101),
                Set.of(53, 80, 123, 443, 853, 993, 995, 465, 587, 1883, 8883, 5222, 5223, 5228, 8080, 8443,
                        3478, 3479, 5349, 19302, 554, 1935, 5353, 1900, 67, 68));
    }
}
