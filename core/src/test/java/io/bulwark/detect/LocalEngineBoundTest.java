package io.bulwark.detect;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import io.bulwark.detect.c2.C2Config;
import io.bulwark.detect.c2.C2Detector;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowTable;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The device table under a spoofed flood of local sources (issue 26): one-off addresses are
 * refused instead of evicting real devices, a dropped device keeps no detector state alive
 * through the flows that still point at it, and an address seen twice is admitted.
 */
class LocalEngineBoundTest {
    private static final long T0 = 1_700_000_000_000_000_000L;
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final List<IpAddr> done = new ArrayList<>();
    private final LocalEngine engine = new LocalEngine(List.of(new C2Detector(C2Config.defaults(), LocalNets.defaults())),
            LocalNets.defaults(), 4, anomalies, f -> { }, (ip, a) -> done.add(ip));
    private final FlowTable table = new FlowTable(FlowConfig.defaults(), anomalies, "test");
    private final List<FlowEntry> entries = new ArrayList<>();

    private void syn(long ts, int src, int sport) {
        Packet p = new Packet();
        p.tsNanos = ts;
        p.ipVersion = 4;
        p.srcLo = IpAddr.ofV4(src).lo();
        p.dstLo = IpAddr.ofV4(0xcb007150).lo(); // 203.0.113.80
        p.srcPort = sport;
        p.dstPort = 80;
        p.protocol = 6;
        p.tcpFlags = 0x02;
        p.ipLength = 40;
        FlowEntry e = table.add(p, engine::onFlow);
        engine.onPacket(p, e, "test.pcap");
        entries.add(e);
    }

    @Test
    void spoofedOneOffSources_onAFullTable_areRefused_andTheRealDevicesStay() {
        int[] real = {0x0a000001, 0x0a000002, 0x0a000003, 0x0a000004};
        for (int i = 0; i < real.length; i++) {
            syn(T0 + i, real[i], 40000 + i);
        }
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 10_000; i++) {
            syn(T0 + 1000 + i, 0x0a000000 | (0x100 + rng.nextInt(1 << 23)), 1024 + rng.nextInt(60000));
        }
        assertThat(engine.deviceCount()).isEqualTo(4);
        // A Bloom doorkeeper admits a few one-offs by collision; nearly all are refused.
        assertThat(anomalies.get(Anomaly.device_admission_refused)).isGreaterThan(9_900);
        assertThat(anomalies.get(Anomaly.device_table_full)).isLessThan(100);
    }

    @Test
    void addressSeenTwice_isAdmitted_andTheDroppedDeviceReleasesItsState() {
        for (int i = 0; i < 4; i++) {
            syn(T0 + i, 0x0a000001 + i, 40000 + i);
        }
        DeviceState oldest = (DeviceState) entries.get(0).attachA;
        syn(T0 + 10, 0x0a000063, 50000);
        assertThat(entries.get(4).attachA).as("first sighting refused").isNull();
        syn(T0 + 20, 0x0a000063, 50001);
        assertThat(entries.get(5).attachA).as("second sighting admitted").isNotNull();
        assertThat(anomalies.get(Anomaly.device_table_full)).isEqualTo(1);
        assertThat(done).containsExactly(IpAddr.ofV4(0x0a000001));
        assertThat(oldest.retired).isTrue();
        assertThat(oldest.states).as("no detector state kept alive by the flow").isNull();
        assertThat(oldest.activity).isNull();
        // The flow that still points at the dropped device takes it back on its next packet.
        syn(T0 + 30, 0x0a000001, 40000);
        assertThat(((DeviceState) entries.get(6).attachA).retired).isFalse();
    }
}
