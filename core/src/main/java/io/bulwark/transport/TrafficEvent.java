package io.bulwark.transport;

import io.bulwark.flow.FlowRecord;

/**
 * One record of the transport stream: a flow that ended, or a packet fact, in the order the
 * edge (analyze or collect) produced it. Exactly one of {@code flow} and {@code packet} is set.
 *
 * @param seq          position in the producer's stream, from 0; with {@code streamNanos}
 *                     it restores the producer's order after any reordering in transit
 * @param streamNanos  the producer's traffic clock when it emitted the record: the highest
 *                     traffic time seen so far, so it never decreases along {@code seq}.
 *                     This is the record's event time in the Flink job
 */
public record TrafficEvent(long seq, long streamNanos, FlowRecord flow, PacketFact packet) {
    public TrafficEvent {
        if ((flow == null) == (packet == null)) {
            throw new IllegalArgumentException("exactly one of flow and packet");
        }
    }
}
