package io.bulwark.flink;

import io.bulwark.transport.EventCodec;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks in the records' own unit, nanoseconds of traffic time
 * (Flink's built-in generator takes a Duration in milliseconds). The watermark trails the
 * newest record's event time by the bound; a record older than the watermark is late.
 */
final class StreamClock implements WatermarkGenerator<byte[]> {
    private final long boundNanos;
    private long max = Long.MIN_VALUE;

    StreamClock(long boundNanos) {
        this.boundNanos = boundNanos;
    }

    @Override
    public void onEvent(byte[] record, long eventTimestamp, WatermarkOutput output) {
        max = Math.max(max, eventTimestamp);
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        if (max != Long.MIN_VALUE) {
            output.emitWatermark(new Watermark(max - boundNanos - 1));
        }
    }

    /** The record's event time: its stream time, or Long.MIN_VALUE for a damaged record. */
    static long timestamp(byte[] record) {
        return EventCodec.streamNanos(record);
    }
}
