package io.bulwark.detect.ddostarget;

import io.bulwark.detect.Device;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import org.junit.jupiter.api.Test;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

class TargetDetectorTest {
    private final TargetDetector d = new TargetDetector(TargetConfig.defaults());
    private final TargetState s = d.newState();
    private final Device server = Flows.device("192.168.1.10");
    private final Flows.Found out = new Flows.Found();

    @Test
    void spoofedSynFlood_fromFlows_isFoundInTheFirstSeconds() {
        for (int i = 0; i < 5000; i++) {
            String src = (11 + i % 200) + "." + (i / 200 % 250) + "." + (i % 250) + ".7";
            d.onFlow(s, server, Flows.tcp(src, 1024 + i % 60000, "192.168.1.10", 80, T0 + i * (S / 1000), 0, 1, 60, 0, 0, 0x02, 0, "S0"),
                    false, out);
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ddos_target);
            assertThat(f.host()).hasToString("192.168.1.10");
            assertThat(f.detail()).containsEntry("attack_type", "syn_flood");
            assertThat(f.detectedAt() - T0).isLessThanOrEqualTo(4 * S);
        });
    }

    @Test
    void busyButNormalServer_learnsItsBaselineAndIsNotAttacked() {
        for (int i = 0; i < 20_000; i++) {
            String src = "198.51.100." + (i % 40);
            d.onFlow(s, server, Flows.tcp(src, 1024 + i % 60000, "192.168.1.10", 443, T0 + i * (S / 100), S / 10, 6, 900, 5, 6000, 0x1b, 0x1b, "SF"),
                    false, out);
        }
        assertThat(out.all).isEmpty();
    }
}
