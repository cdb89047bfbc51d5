package io.bulwark.inventory;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Flow mode: what flows can show, the services a device answered and the peers it contacted. */
class FlowInventoryTest {
    private static FlowRecord flow(String src, int sport, String dst, int dport, int proto, long pktsIn) {
        return new FlowRecord("C1", IpAddr.parse(src), sport, IpAddr.parse(dst), dport, proto, 0, 1_000_000_000L, 10, 1000,
                pktsIn, 500, 0, 0, "SF", 1, null, false, -1, FlowRecord.EndReason.exported);
    }

    @Test
    void flows_servicesAndContactedPeers_areObservationsAndVote() {
        InventoryTap tap = new InventoryTap(LocalNets.defaults(), 16, new AnomalyCounters());
        tap.onFlow(flow("192.168.1.20", 40000, "203.0.113.5", 1935, 6, 20));   // RTMP upload
        tap.onFlow(flow("192.168.1.20", 40001, "203.0.113.6", 443, 6, 20));
        tap.onFlow(flow("192.168.1.20", 40002, "192.168.1.1", 53, 17, 1));    // local: not a peer
        tap.onFlow(flow("192.168.1.20", 40003, "203.0.113.7", 23, 6, 0));     // unanswered: not a peer
        tap.onFlow(flow("203.0.113.9", 5555, "192.168.1.20", 554, 6, 5));      // inbound: not a peer
        DeviceProfile p = tap.profile(IpAddr.parse("192.168.1.20"), -1, List.of("tcp/554"), Oui.bundled());
        assertThat(p.values("peer")).containsExactly("tcp/1935", "tcp/443");
        assertThat(p.values("service")).containsExactly("tcp/554");
        assertThat(p.vendor()).isNull();
        assertThat(p.deviceClass()).isEqualTo("camera");
        assertThat(p.classEvidence()).extracting(DeviceProfile.ClassVote::source).containsExactly("service", "peer");
    }

    @Test
    void flows_manyPeers_keepTheFirstEight() {
        InventoryTap tap = new InventoryTap(LocalNets.defaults(), 16, new AnomalyCounters());
        for (int port = 1000; port < 1100; port++) {
            tap.onFlow(flow("10.0.0.5", 40000, "198.51.100.1", port, 17, 1));
        }
        DeviceProfile p = tap.profile(IpAddr.parse("10.0.0.5"), -1, List.of(), Oui.bundled());
        assertThat(p.values("peer")).hasSize(8).startsWith("udp/1000");
        assertThat(p.deviceClass()).isEqualTo(DeviceClassifier.UNKNOWN);
    }

    @Test
    void devices_beyondTheBound_areCounted() {
        AnomalyCounters a = new AnomalyCounters();
        InventoryTap tap = new InventoryTap(LocalNets.defaults(), 2, a);
        for (int i = 1; i <= 5; i++) {
            tap.onFlow(flow("10.0.0." + i, 40000, "198.51.100.1", 443, 6, 1));
        }
        assertThat(a.get(io.bulwark.decode.Anomaly.inventory_table_full)).isEqualTo(3);
    }
}
