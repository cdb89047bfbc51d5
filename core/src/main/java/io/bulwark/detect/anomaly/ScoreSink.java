package io.bulwark.detect.anomaly;

import io.bulwark.detect.Device;
import io.bulwark.flow.FlowRecord;

/**
 * Receives the anomaly detector's score of each ended flow, per local endpoint (a flow
 * between two local devices is scored twice), for {@code analyze --scores}. Per-packet
 * scores are left on the flow entry instead ({@link io.bulwark.flow.FlowEntry#scoreA}).
 */
@FunctionalInterface
public interface ScoreSink {
    void flow(FlowRecord f, Device device, double score);
}
