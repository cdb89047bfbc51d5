package io.bulwark.transport;

import io.bulwark.analyze.Analyzer;
import io.bulwark.decode.packet.PacketView;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.net.LocalNets;

/**
 * The edge of the scaled-out pipeline: turns what an {@link Analyzer} feeds its detectors into
 * encoded {@link TrafficEvent}s for Kafka. It numbers records in order and stamps each with
 * the stream's traffic clock (the highest traffic time so far), so the Flink job can restore
 * this order per device however the records travel.
 *
 * <p>Only packets a packet hook would look at, and only packets and flows with a local device
 * at one end, are published: the job would drop the rest. A packet fact carries only the
 * payload bytes the detectors declare they may read. The job must be given the same
 * local networks. One thread (the analyzer's).
 */
public final class EdgeTap implements Analyzer.Tap {
    /** Receives each encoded record (its event time travels inside it: {@link EventCodec#streamNanos}). */
    @FunctionalInterface
    public interface Publisher {
        void publish(byte[] record);
    }

    private final LocalNets nets;
    private final DeviceDetectors detectors;
    private final Publisher out;
    private long seq;
    private long streamNanos = Long.MIN_VALUE;
    private long packets, flows, bytes;

    public EdgeTap(LocalNets nets, DeviceDetectors detectors, Publisher out) {
        this.nets = nets;
        this.detectors = detectors;
        this.out = out;
    }

    @Override
    public void packet(PacketView p, FlowEntry flow, String file) {
        if (!nets.isDevice(p.srcHi(), p.srcLo()) && !nets.isDevice(p.dstHi(), p.dstLo())) {
            return;
        }
        if (!detectors.wantsPacket(DeviceDetectors.packetClass(p.protocol(), p.tcpFlags(), p.payloadLength()))) {
            return;
        }
        streamNanos = Math.max(streamNanos, p.tsNanos());
        packets++;
        emit(new TrafficEvent(seq++, streamNanos, null, PacketFact.of(p, flow, file, detectors.payloadNeeded(p))));
    }

    @Override
    public void flow(FlowRecord f) {
        if (!nets.isDevice(f.src().hi(), f.src().lo()) && !nets.isDevice(f.dst().hi(), f.dst().lo())) {
            return;
        }
        streamNanos = Math.max(streamNanos, f.endNanos());
        flows++;
        emit(new TrafficEvent(seq++, streamNanos, f, null));
    }

    private void emit(TrafficEvent e) {
        byte[] b = EventCodec.encode(e);
        bytes += b.length;
        out.publish(b);
    }

    public long packetsPublished() {
        return packets;
    }

    public long flowsPublished() {
        return flows;
    }

    public long bytesPublished() {
        return bytes;
    }
}
