package io.bulwark.flink;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.detect.Device;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.detect.Finding;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.incident.IncidentBuilder;
import io.bulwark.inventory.DeviceActivity;
import io.bulwark.transport.EventCodec;
import io.bulwark.transport.PacketFact;
import io.bulwark.transport.TrafficEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.typeutils.ListTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Core's detectors for one device, on Flink keyed state (key: the device's address).
 *
 * <p>Records wait in {@code pending}, grouped by event time, until the watermark passes them;
 * an event-time timer then feeds them to the detectors in the producer's order (event time,
 * then sequence), so out-of-order arrival within the watermark bound changes nothing. A
 * record behind the watermark is applied at once and counted ({@code records_late}).
 *
 * <p>Clean-up is explicit: one more timer sits at the device's last event time plus
 * {@link JobSettings#deviceIdleNanos()}. When it fires, the detectors report what is pending
 * (as at the end of a local run), and every state entry and timer of the device is dropped.
 *
 * <p>Each finding is merged into the device's open incidents (the incident builder's rule)
 * and the incident as it now stands is emitted.
 */
final class DetectFunction extends KeyedProcessFunction<String, DeviceEvent, IncidentUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Comparator<DeviceEvent> ORDER = Comparator.comparingLong(DeviceEvent::order);

    private final JobSettings settings;
    private transient DeviceDetectors detectors;
    private transient AnomalyCounters anomalies;
    private transient ValueState<DeviceSlot> slot;
    private transient MapState<Long, List<DeviceEvent>> pending;
    private transient ValueState<Long> idleTimer;
    private transient Counter late;
    private transient List<Finding> findings;

    DetectFunction(JobSettings settings) {
        this.settings = settings;
    }

    static final ValueStateDescriptor<DeviceSlot> SLOT = new ValueStateDescriptor<>("device", new DeviceSlotSerializer());
    static final MapStateDescriptor<Long, List<DeviceEvent>> PENDING = new MapStateDescriptor<>("pending", Types.LONG,
            new ListTypeInfo<>(TypeInformation.of(DeviceEvent.class)));
    static final ValueStateDescriptor<Long> IDLE = new ValueStateDescriptor<>("idle-timer", Types.LONG);

    @Override
    public void open(OpenContext ctx) {
        AnalyzerConfig cfg = AnalyzerConfig.defaults().keyedOnly().withLocalNets(settings.nets());
        detectors = new DeviceDetectors(Analyzer.detectors(cfg));
        anomalies = new AnomalyCounters();
        slot = getRuntimeContext().getState(SLOT);
        pending = getRuntimeContext().getMapState(PENDING);
        idleTimer = getRuntimeContext().getState(IDLE);
        late = getRuntimeContext().getMetricGroup().counter("records_late");
        findings = new ArrayList<>();
    }

    @Override
    public void processElement(DeviceEvent e, Context ctx, Collector<IncidentUpdate> out) throws Exception {
        if (e.streamNanos() <= ctx.timerService().currentWatermark()) {
            late.inc();
            DeviceSlot s = slot();
            apply(s, e, out);
            save(s, ctx.timerService());
            return;
        }
        List<DeviceEvent> at = pending.get(e.streamNanos());
        if (at == null) {
            at = new ArrayList<>(2);
            ctx.timerService().registerEventTimeTimer(e.streamNanos());
        }
        at.add(e);
        pending.put(e.streamNanos(), at);
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<IncidentUpdate> out) throws Exception {
        List<DeviceEvent> ready = pending.get(ts);
        if (ready != null) {
            pending.remove(ts);
            ready.sort(ORDER);
            DeviceSlot s = slot();
            for (DeviceEvent e : ready) {
                apply(s, e, out);
            }
            save(s, ctx.timerService());
            return;
        }
        Long idle = idleTimer.value();
        if (idle != null && idle == ts && pending.isEmpty()) {
            DeviceSlot s = slot.value();
            if (s != null) {
                detectors.end(s.detectors, device(ctx.getCurrentKey(), s), ts, findings::add);
                emit(s, out);
            }
            slot.clear();
            idleTimer.clear();
            pending.clear();
        }
    }

    private DeviceSlot slot() throws Exception {
        DeviceSlot s = slot.value();
        return s != null ? s : new DeviceSlot(detectors.newStates());
    }

    /** Stores the slot and moves the device's idle timer behind its newest record. */
    private void save(DeviceSlot s, org.apache.flink.streaming.api.TimerService timers) throws Exception {
        slot.update(s);
        long due = s.lastStreamNanos + settings.deviceIdleNanos();
        Long cur = idleTimer.value();
        if (cur == null || cur != due) {
            if (cur != null) {
                timers.deleteEventTimeTimer(cur);
            }
            timers.registerEventTimeTimer(due);
            idleTimer.update(due);
        }
    }

    private void apply(DeviceSlot s, DeviceEvent e, Collector<IncidentUpdate> out) {
        TrafficEvent t = EventCodec.decode(e.record(), anomalies);
        if (t == null) {
            return;
        }
        s.lastStreamNanos = Math.max(s.lastStreamNanos, e.streamNanos());
        if (t.packet() != null) {
            PacketFact p = t.packet();
            if (e.outbound() && p.srcMac() != -1) {
                s.mac = p.srcMac();
            }
            detectors.packet(s.detectors, device(e.device(), s), p, e.outbound(), p.flowEntry(), p.file(), findings::add);
        } else {
            detectors.flow(s.detectors, device(e.device(), s), t.flow(), e.outbound(), findings::add);
        }
        emit(s, out);
    }

    private void emit(DeviceSlot s, Collector<IncidentUpdate> out) {
        for (Finding f : findings) {
            String key = IncidentBuilder.key(f);
            Incident next = IncidentBuilder.merge(s.open.get(key), f);
            if (next.mac() == null && s.mac != -1) {
                next = next.withMac(DeviceActivity.macText(s.mac));
            }
            s.open.put(key, next);
            out.collect(new IncidentUpdate(next.id(), next.kind().name(), next.host(), next.firstSeen(),
                    next.detectedAt(), next.lastSeen(), IncidentJson.write(next)));
        }
        findings.clear();
    }

    private transient String lastKey;
    private transient IpAddr lastIp;

    private Device device(String key, DeviceSlot s) {
        if (!key.equals(lastKey)) {
            lastKey = key;
            lastIp = IpAddr.parse(key);
        }
        IpAddr ip = lastIp;
        long mac = s.mac;
        return new Device() {
            @Override
            public IpAddr ip() {
                return ip;
            }

            @Override
            public long mac() {
                return mac;
            }
        };
    }
}
