package io.bulwark.incident;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The timestamp format of the output contract (docs/architecture.md): RFC 3339 UTC with fractional
 * seconds, microseconds, or nanoseconds when the source had them. In core so that every writer
 * of incidents.ndjson (the app's and the Flink job's) formats time the same way.
 */
public final class Timestamps {
    private static final DateTimeFormatter MICROS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Traffic time in nanoseconds since the epoch, as the contract writes it. */
    public static String rfc3339(long nanos) {
        Instant i = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        return (nanos % 1000 == 0 ? MICROS : NANOS).format(i);
    }
}
