package io.bulwark.detect.infection;

import io.bulwark.detect.Device;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

class InfectionDetectorTest {
    private final InfectionDetector d = new InfectionDetector(InfectionConfig.defaults(), LocalNets.defaults());
    private final InfectionState s = d.newState();
    private final Device dev = Flows.device("192.168.1.197");
    private final Flows.Found out = new Flows.Found();

    private void download(long at, String server, long bytes) {
        d.onFlow(s, dev, Flows.tcp("192.168.1.197", 45000, server, 80, at, 4 * S, 54, 3000, 50, bytes, 0x1b, 0x1b, "SF"), true, out);
    }

    @Test
    void threeSimilarBinarySizedCleartextDownloads_areAnInfection() {
        download(T0, "104.24.97.120", 69_224);
        download(T0 + S, "104.24.96.120", 69_224);
        assertThat(out.all).isEmpty();
        download(T0 + 5 * S, "104.24.96.120", 65_235);
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.infection);
            assertThat(f.detail()).containsEntry("method", "binary_downloads");
            assertThat(f.firstSeen()).isEqualTo(T0);
        });
    }

    @Test
    void smallPagesAndHugeFirmware_areNotBinaries() {
        download(T0, "52.215.95.120", 1_539);
        download(T0 + S, "52.215.95.120", 5_263);
        download(T0 + 2 * S, "52.215.95.121", 40_000_000);
        download(T0 + 3 * S, "52.215.95.121", 40_000_000);
        assertThat(out.all).isEmpty();
    }

    @Test
    void aBrowsingClient_isLeftToThePacketRules() {
        for (int i = 0; i < 8; i++) {
            d.onFlow(s, dev, Flows.tcp("192.168.1.197", 50000 + i, "203.0.113." + i, 443, T0, S, 10, 2000, 10, 9000, 0x1b, 0x1b, "SF"), true, out);
        }
        download(T0 + S, "104.24.97.120", 69_224);
        download(T0 + 2 * S, "104.24.97.120", 69_224);
        download(T0 + 3 * S, "104.24.97.120", 69_224);
        assertThat(out.all).isEmpty();
    }

    @Test
    void downloadsOfDifferentSizes_areNotAnInfection() {
        download(T0, "198.51.100.1", 40_000);
        download(T0 + S, "198.51.100.1", 90_000);
        download(T0 + 2 * S, "198.51.100.1", 400_000);
        download(T0 + 3 * S, "198.51.100.1", 1_500_000);
        assertThat(out.all).isEmpty();
    }
}
