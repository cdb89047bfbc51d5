package io.bulwark.flink;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.net.LocalNets;
import io.bulwark.transport.EventCodec;
import io.bulwark.transport.TrafficEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The keyed function through Flink's operator harness (architecture.md rule 15): feed one bot's
 * records of the Mirai outbreak, out of order, advance the watermark, and check the
 * incidents and that state and timers drain back to zero once the device is quiet.
 */
class DetectFunctionTest {
    private static final long IDLE = 600_000_000_000L;

    private static KeyedOneInputStreamOperatorTestHarness<String, DeviceEvent, IncidentUpdate> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DetectFunction(JobSettings.defaults().withDeviceIdleNanos(IDLE))),
                DeviceEvent::device, Types.STRING);
        h.open();
        return h;
    }

    /** The device's records as the route function would key them, in the producer's order. */
    private static List<DeviceEvent> eventsOf(Outbreak o, List<byte[]> records, String host) {
        LocalNets nets = LocalNets.defaults();
        AnomalyCounters a = new AnomalyCounters();
        List<DeviceEvent> out = new ArrayList<>();
        for (byte[] r : records) {
            TrafficEvent e = EventCodec.decode(r, a);
            IpAddr src = e.flow() != null ? e.flow().src() : e.packet().src();
            IpAddr dst = e.flow() != null ? e.flow().dst() : e.packet().dst();
            if (src.toString().equals(host) && nets.isDevice(src.hi(), src.lo())) {
                out.add(new DeviceEvent(host, e.streamNanos(), e.seq() * 2, true, r));
            }
            if (dst.toString().equals(host) && nets.isDevice(dst.hi(), dst.lo())) {
                out.add(new DeviceEvent(host, e.streamNanos(), e.seq() * 2 + 1, false, r));
            }
        }
        return out;
    }

    private static String firstBot(Outbreak o) {
        return o.localIncidents.stream().filter(i -> i.kind().name().equals("scan")).findFirst().orElseThrow().host();
    }

    private static List<String> localKeysOf(Outbreak o, String host) {
        return Outbreak.keys(o.localIncidents.stream().filter(i -> i.host().equals(host)).toList()).stream().toList();
    }

    @Test
    void quietDevice_afterIdleTime_stateAndTimersDrainToZero() throws Exception {
        Outbreak o = Outbreak.get();
        String bot = firstBot(o);
        List<DeviceEvent> events = eventsOf(o, o.shuffled(3, 2_000_000_000L), bot);
        assertThat(events).hasSizeGreaterThan(100);
        try (var h = harness()) {
            long max = Long.MIN_VALUE;
            int n = 0;
            for (DeviceEvent e : events) {
                h.processElement(e, e.streamNanos());
                max = Math.max(max, e.streamNanos());
                if (++n % 200 == 0) {
                    h.processWatermark(max - 5_000_000_000L);
                }
            }
            assertThat(h.numKeyedStateEntries()).isGreaterThan(0);
            assertThat(h.numEventTimeTimers()).isGreaterThan(0);
            // Traffic time passes the last record: every record is applied, the device waits.
            h.processWatermark(max);
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            // ... and when it has been quiet for the idle time, it reports and is forgotten.
            h.processWatermark(max + IDLE);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
            assertThat(Outbreak.updateKeys(h.extractOutputValues())).containsExactlyElementsOf(localKeysOf(o, bot));
        }
    }

    @Test
    void recordBehindWatermark_isAppliedAtOnce_andTheDeviceStillDrains() throws Exception {
        Outbreak o = Outbreak.get();
        String bot = firstBot(o);
        List<DeviceEvent> events = eventsOf(o, o.records, bot);
        try (var h = harness()) {
            DeviceEvent first = events.get(0);
            h.processWatermark(first.streamNanos() + 1);
            h.processElement(first, first.streamNanos());
            // Applied without waiting: nothing pending, only the idle timer.
            assertThat(h.numEventTimeTimers()).isEqualTo(1);
            h.processWatermark(first.streamNanos() + IDLE);
            assertThat(h.numKeyedStateEntries()).isZero();
            assertThat(h.numEventTimeTimers()).isZero();
        }
    }

    @Test
    void deviceSlot_roundTripsThroughItsSerializer() {
        Outbreak o = Outbreak.get();
        DeviceSlot s = new DeviceSlot(new io.bulwark.detect.DeviceDetectors(
                io.bulwark.analyze.Analyzer.detectors(io.bulwark.analyze.AnalyzerConfig.defaults())).newStates());
        Incident i = o.localIncidents.get(0);
        s.open.put("k", i);
        s.mac = 42;
        DeviceSlot back = new DeviceSlotSerializer().copy(s);
        assertThat(back).isNotSameAs(s);
        assertThat(back.open.get("k")).isEqualTo(i);
        assertThat(back.mac).isEqualTo(42);
        assertThat(back.detectors).hasSameSizeAs(s.detectors);
    }
}
