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

    /**
     * Issue 18, item 2: a device fetching files from one web server (its bot binaries, a firmware
     * image) was reported as a critical HTTP flood. From flows, a download's packets out are
     * ACKs: one request per connection, whatever its packet rate.
     */
    @Test
    void downloadsFromOneWebServer_fromFlows_areNotAnHttpFlood() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int i = 0; i < 6; i++) {
            // 40 s each at 500 ACKs/s out (64-byte ACKs with SACK blocks), 1,000 segments/s in.
            d.onFlow(s, cam, Flows.tcp("192.168.1.20", 50000 + i, "198.51.100.80", 80, t0 + i * 40 * S, 40 * S, 20_000,
                    20_000 * 64L + 300, 40_000, 40_000 * 1500L, 0x1b, 0x1b, "SF"), true, out);
        }
        assertThat(out.all).isEmpty();
    }

    /** Mirai's GET flood from flows: a few long connections full of ~300-byte requests. */
    @Test
    void getFloodOverAFewLongConnections_fromFlows_isTheHttpVector() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int c = 0; c < 4; c++) {
            // 40 s, 30 requests/s each: a request and an ACK out per response.
            d.onFlow(s, cam, Flows.tcp("192.168.1.20", 51000 + c, "198.51.100.81", 80, t0 + c * (S / 100), 40 * S, 2_400,
                    1_200 * 352L + 1_200 * 52L, 1_300, 1_300 * 600L, 0x1b, 0x1b, "SF"), true, out);
        }
        d.onFlow(s, cam, Flows.tcp("192.168.1.20", 40000, "203.0.113.5", 443, t0 + 45 * S, S, 20, 20_000, 10, 800, 0x1b, 0x1b, "SF"),
                true, out);
        assertThat(out.all).isNotEmpty().allSatisfy(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ddos);
            assertThat(f.detail()).containsEntry("vector", "http").containsEntry("victim", "198.51.100.81");
        });
    }

    /**
     * Issue 18, item 10: a capture that ends 25 ms into a flood gave detected_at and last_seen
     * 2 s after its start, and a peak averaged over the whole window.
     */
    @Test
    void floodCutShortByTheEndOfTheCapture_isReportedWhenItsLastPacketWas() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        // 1,000 packets in 25 ms (40,000 packets/s): 500 packets/s over the 2 s window.
        for (int i = 0; i < 1000; i++) {
            d.onFlow(s, cam, Flows.udp("192.168.1.20", 1024 + i, "198.51.100.77", 2000 + i, t0 + i * (S / 40_000), 0, 1, 540,
                    0, 0), true, out);
        }
        d.onEnd(s, cam, t0 + 10 * S, out);
        long lastPacket = t0 + 999 * (S / 40_000);
        assertThat(out.all).isNotEmpty().allSatisfy(f -> {
            assertThat(f.detectedAt()).isEqualTo(lastPacket);
            assertThat(f.lastSeen()).isEqualTo(lastPacket);
            assertThat(((Number) f.detail().get("peak_pps")).doubleValue()).isGreaterThan(5_000);
        });
    }

    /**
     * Issue 18, item 3: a bot flooded one victim with udp, a minute later with syn to port 80,
     * then with greip; each (victim, vector) attack is its own finding with its own start.
     */
    @Test
    void newVectorsAgainstTheSameVictim_areEachReported() {
        normalLife(120);
        long t0 = T0 + 120 * S;
        for (int i = 0; i < 4000; i++) {
            d.onFlow(s, cam, Flows.udp("192.168.1.20", 1024 + i % 60000, "198.51.100.77", 1 + i % 65000,
                    t0 + i * (S / 400), 0, 1, 540, 0, 0), true, out);
        }
        long t1 = t0 + 70 * S;
        for (int i = 0; i < 4000; i++) {
            // The victim's web server answers every SYN (SYN cookies), then the bot resets.
            d.onFlow(s, cam, Flows.tcp("192.168.1.20", 1024 + i % 60000, "198.51.100.77", 80, t1 + i * (S / 400), 0, 2, 100,
                    1, 60, 0x06, 0x12, "RSTO"), true, out);
        }
        long t2 = t1 + 70 * S;
        for (int i = 0; i < 4000; i++) {
            d.onFlow(s, cam, Flows.flow("192.168.1.20", 0, "198.51.100.77", 0, 47, t2 + i * (S / 400), 0, 1, 600, 0, 0),
                    true, out);
        }
        d.onEnd(s, cam, t2 + 20 * S, out);
        assertThat(out.all.stream().map(f -> f.detail().get("vector")).distinct())
                .containsExactlyInAnyOrder("udp", "syn", "greip");
        assertThat(out.all.stream().filter(f -> "syn".equals(f.detail().get("vector"))).findFirst().orElseThrow().firstSeen())
                .isEqualTo(t1);
    }
}
