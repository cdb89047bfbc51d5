package io.bulwark.flink;

import java.io.Serializable;
import java.util.List;

/**
 * What the job is tuned with. Serializable: functions carry it to the task managers.
 *
 * @param localNets        CIDR prefixes of the local devices (null: core's defaults, the
 *                         private ranges); must match the producers' (analyze/collect --to-kafka)
 * @param outOfOrderNanos  how far behind the newest record a record may arrive and still be
 *                         put in its place (bounded out-of-orderness of the watermarks)
 * @param idleSourceMillis a source split without records for this long (wall clock) stops
 *                         holding the watermark back
 * @param deviceIdleNanos  traffic time after a device's last record at which its detectors
 *                         report what is pending and its state and timers are dropped
 * @param maxParallelism   key groups: the most parallel the job can ever be rescaled to
 */
public record JobSettings(List<String> localNets, long outOfOrderNanos, long idleSourceMillis, long deviceIdleNanos,
                          int maxParallelism) implements Serializable {

    public static JobSettings defaults() {
        return new JobSettings(null, 5_000_000_000L, 30_000, 3_600_000_000_000L, 4096);
    }

    /** The local networks as core's matcher: the given prefixes, or core's defaults. */
    public io.bulwark.net.LocalNets nets() {
        return localNets == null ? io.bulwark.net.LocalNets.defaults() : io.bulwark.net.LocalNets.of(localNets);
    }

    public JobSettings withLocalNets(List<String> nets) {
        return new JobSettings(nets == null ? null : List.copyOf(nets), outOfOrderNanos, idleSourceMillis,
                deviceIdleNanos, maxParallelism);
    }

    public JobSettings withOutOfOrderNanos(long n) {
        return new JobSettings(localNets, n, idleSourceMillis, deviceIdleNanos, maxParallelism);
    }

    public JobSettings withIdleSourceMillis(long ms) {
        return new JobSettings(localNets, outOfOrderNanos, ms, deviceIdleNanos, maxParallelism);
    }

    public JobSettings withDeviceIdleNanos(long n) {
        return new JobSettings(localNets, outOfOrderNanos, idleSourceMillis, n, maxParallelism);
    }
}
