package io.bulwark.detect.ddos;

import io.bulwark.detect.Device;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import org.junit.jupiter.api.Test;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Flow-mode vectors; packet-mode vectors run through the simulator scenarios. */
class DdosDetectorTest {
    private final DdosDetector d = new DdosDetector(DdosConfig.defaults());
    private final DdosState s = d.newState();
    private final Device cam = Flows.device("192.168.1.20");
    private final Flows.Found out = new Flows.Found();

    private void normalLife(long seconds) {
        for (long t = 0; t < seconds; t++) {
            d.onFlow(s, cam, Flows.tcp("192.168.1.20", 40000, "203.0.113.5", 443, T0 + t * S, S, 20, 20_000, 10, 800, 0x1b, 0x1b, "SF"), true, out);
        }
    }

    @Test
    void rawUdpFloodWithRandomPorts_afterANormalLife_isTheUdpVector() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int i = 0; i < 6000; i++) {
            d.onFlow(s, cam, Flows.udp("192.168.1.20", 1024 + i * 7 % 60000, "198.51.100.77", 1024 + i * 13 % 60000,
                    t0 + i * (S / 1000), 0, 1, 540, 0, 0), true, out);
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ddos);
            assertThat(f.detail()).containsEntry("vector", "udp").containsEntry("victim", "198.51.100.77");
            assertThat(f.detectedAt() - t0).isLessThanOrEqualTo(4 * S);
        });
    }

    @Test
    void oneSocketUdpFlood_isUdpplain() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int i = 0; i < 6; i++) {
            d.onFlow(s, cam, Flows.udp("192.168.1.20", 41234, "198.51.100.78", 80, t0 + i * S, S, 1000, 540_000, 0, 0), true, out);
        }
        assertThat(out.all).isNotEmpty().allSatisfy(f -> assertThat(f.detail()).containsEntry("vector", "udpplain"));
    }

    @Test
    void steadyVideoUpload_neverAFlood() {
        normalLife(600);
        assertThat(out.all).isEmpty();
    }

    @Test
    void vseAndSynFloods_fromFlows_areToldApart() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int i = 0; i < 3000; i++) {
            d.onFlow(s, cam, Flows.udp("192.168.1.20", 1024 + i, "198.51.100.79", 27015, t0 + i * (S / 1000), 0, 1, 53, 0, 0), true, out);
        }
        for (int i = 0; i < 3000; i++) {
            d.onFlow(s, cam, Flows.tcp("192.168.1.20", 1024 + i, "198.51.100.80", 80, t0 + 60 * S + i * (S / 1000), 0, 1, 60, 0, 0, 0x02, 0, "S0"), true, out);
        }
        assertThat(out.all).extracting(f -> f.detail().get("vector")).containsExactly("vse", "syn");
    }
}
