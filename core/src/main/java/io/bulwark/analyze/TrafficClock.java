package io.bulwark.analyze;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;

/**
 * Guards traffic time against a single hostile timestamp. One packet claiming to be from
 * 2106 would otherwise idle out every flow and start every detector window anew. A packet
 * more than {@link #MAX_JUMP_NANOS} after the previous one is counted
 * ({@code capture_timestamp_jump}) and given the previous time, unless the packet after it
 * confirms the jump (a real gap between captures), which is then accepted.
 */
final class TrafficClock {
    static final long MAX_JUMP_NANOS = 86_400_000_000_000L;
    private final AnomalyCounters anomalies;
    private long last = Long.MIN_VALUE;
    private long pending = Long.MIN_VALUE;

    TrafficClock(AnomalyCounters anomalies) {
        this.anomalies = anomalies;
    }

    long admit(long ts, long offset) {
        if (last == Long.MIN_VALUE || ts <= last + MAX_JUMP_NANOS) {
            pending = Long.MIN_VALUE;
            last = Math.max(last, ts);
            return ts;
        }
        if (pending != Long.MIN_VALUE && ts >= pending - MAX_JUMP_NANOS && ts <= pending + MAX_JUMP_NANOS) {
            pending = Long.MIN_VALUE;
            last = ts;
            return ts;
        }
        pending = ts;
        anomalies.count(Anomaly.capture_timestamp_jump, offset);
        return last;
    }
}
