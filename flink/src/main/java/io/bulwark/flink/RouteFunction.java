package io.bulwark.flink;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import io.bulwark.transport.EventCodec;
import io.bulwark.transport.TrafficEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.metrics.Counter;
import org.apache.flink.util.Collector;

/**
 * Sends each transport record to the local devices at its ends, as the local engine does:
 * the sender or originator gets it as outbound, the receiver or responder as inbound. A
 * damaged record is dropped here, before any keyed state sees it, and counted (metric
 * {@code records_dropped}).
 */
final class RouteFunction extends RichFlatMapFunction<byte[], DeviceEvent> {
    private static final long serialVersionUID = 1L;
    private final JobSettings settings;
    private transient LocalNets nets;
    private transient AnomalyCounters anomalies;
    private transient Counter dropped;

    RouteFunction(JobSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext ctx) {
        nets = settings.nets();
        anomalies = new AnomalyCounters();
        dropped = getRuntimeContext().getMetricGroup().counter("records_dropped");
    }

    @Override
    public void flatMap(byte[] record, Collector<DeviceEvent> out) {
        TrafficEvent e = EventCodec.decode(record, anomalies);
        if (e == null) {
            dropped.inc();
            return;
        }
        IpAddr src, dst;
        if (e.flow() != null) {
            FlowRecord f = e.flow();
            src = f.src();
            dst = f.dst();
        } else {
            src = e.packet().src();
            dst = e.packet().dst();
        }
        if (nets.isDevice(src.hi(), src.lo())) {
            out.collect(new DeviceEvent(src.toString(), e.streamNanos(), e.seq() * 2, true, record));
        }
        if (nets.isDevice(dst.hi(), dst.lo())) {
            out.collect(new DeviceEvent(dst.toString(), e.streamNanos(), e.seq() * 2 + 1, false, record));
        }
    }
}
