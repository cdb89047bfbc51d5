package io.bulwark.detect.c2;

import io.bulwark.detect.Device;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

class C2DetectorTest {
    private final C2Detector d = new C2Detector(C2Config.defaults(), LocalNets.defaults());
    private final C2State s = d.newState();
    private final Device dev = Flows.device("192.168.100.113");
    private final Flows.Found out = new Flows.Found();

    @Test
    void persistentUnansweredAttempts_likeHakai_areC2AfterTheSpan() {
        long[] at = {0, 7, 16, 32, 80, 87, 96};
        for (long t : at) {
            d.onFlow(s, dev, Flows.attempt("192.168.100.113", "178.128.185.250", 50, T0 + t * S), true, out);
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.c2);
            assertThat(f.detail()).containsEntry("rule", "persistent").containsEntry("peer", "178.128.185.250")
                    .containsEntry("port", 50);
            assertThat(f.detectedAt()).isEqualTo(T0 + 87 * S + 3 * S);
            assertThat(f.firstSeen()).isEqualTo(T0);
        });
    }

    @Test
    void retriesOfOneFailedConnection_withinAMinute_areNotC2() {
        for (long t = 0; t < 30; t += 3) {
            d.onFlow(s, dev, Flows.attempt("192.168.100.113", "203.0.113.9", 443, T0 + t * S), true, out);
        }
        assertThat(out.all).isEmpty();
    }

    @Test
    void periodicAnsweredConnections_toAnOddPort_areC2_butToHttpsAreNot() {
        for (int i = 0; i < 10; i++) {
            d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40000 + i, "198.51.100.7", 4975, T0 + i * 60 * S, S,
                    5, 400, 4, 300, 0x1b, 0x1b, "SF"), true, out);
            d.onFlow(s, dev, Flows.tcp("192.168.100.113", 41000 + i, "198.51.100.8", 443, T0 + i * 30 * S, S,
                    8, 1400, 7, 5000, 0x1b, 0x1b, "SF"), true, out);
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.detail()).containsEntry("rule", "periodic").containsEntry("port", 4975);
            assertThat((double) f.detail().get("period_s")).isEqualTo(60.0);
        });
    }

    @Test
    void ntpAndDnsEveryMinute_areNotC2() {
        for (int i = 0; i < 30; i++) {
            d.onFlow(s, dev, Flows.udp("192.168.100.113", 123, "147.231.100.5", 123, T0 + i * 64 * S, S / 100, 1, 76, 1, 76), true, out);
            d.onFlow(s, dev, Flows.udp("192.168.100.113", 5000 + i, "192.168.100.1", 53, T0 + i * 60 * S, S / 100, 1, 70, 1, 120), true, out);
        }
        assertThat(out.all).isEmpty();
    }

    @Test
    void scanReportPort_isC2AtOnce() {
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40000, "198.51.100.9", 48101, T0, S, 5, 300, 4, 200, 0x1b, 0x1b, "SF"), true, out);
        assertThat(out.all).singleElement().satisfies(f -> assertThat(f.detail()).containsEntry("rule", "report"));
    }

    @Test
    void peerTable_manyPeers_staysAtItsBound() {
        for (int i = 0; i < 1000; i++) {
            d.onFlow(s, dev, Flows.attempt("192.168.100.113", "198.51." + (i / 250) + "." + (i % 250), 50, T0 + i * S), true, out);
        }
        assertThat(s.peers).hasSize(C2Config.defaults().peerSlots());
        assertThat(out.all).isEmpty();
    }
}
