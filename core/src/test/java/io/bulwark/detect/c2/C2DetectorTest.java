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

    /** An NTP exchange with an outside server: the device's internet works at {@code t}. */
    private void ntp(long t) {
        d.onFlow(s, dev, Flows.udp("192.168.100.113", 123, "147.231.100.5", 123, T0 + t * S, S / 100, 1, 76, 1, 76), true, out);
    }

    /** One record of connection {@code sport}: a SYN (or its retransmissions) with no answer. */
    private void syn(int sport, String peer, int port, long t) {
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", sport, peer, port, T0 + t * S, 3 * S, 3, 180, 0, 0, 0x02, 0, "S0"),
                true, out);
    }

    @Test
    void persistentUnansweredConnections_likeHakai_areC2AfterTheSpan() {
        // Hakai opens a connection every ~80 s; each retries its SYN for 32 s, which a 5 s attempt
        // timeout (Zeek's, and the flow table's) cuts into several records of one connection.
        ntp(1);
        long[][] at = {{0, 7, 16}, {80, 87, 96}, {160, 167, 176}};
        for (int c = 0; c < at.length; c++) {
            for (long t : at[c]) {
                syn(43324 + 4 * c, "178.128.185.250", 50, t);
            }
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.c2);
            assertThat(f.detail()).containsEntry("rule", "persistent").containsEntry("peer", "178.128.185.250")
                    .containsEntry("port", 50).containsEntry("attempts", 3);
            assertThat(f.detectedAt()).isEqualTo(T0 + 160 * S + 3 * S);
            assertThat(f.firstSeen()).isEqualTo(T0);
        });
    }

    @Test
    void retransmissionRecordsOfOneConnection_areOneAttempt() {
        ntp(1);
        // Nine records over two minutes, but all of one connection (one source port).
        for (long t = 0; t < 120; t += 13) {
            syn(40001, "203.0.113.9", 50, t);
        }
        assertThat(out.all).isEmpty();
    }

    @Test
    void offlineDevice_retryingEveryCloudItKnows_isNotC2() {
        // The IoT Sentinel WeMo Link's setups: every outside connection goes unanswered (no
        // internet), with back-off, to several clouds; nothing outside ever answers.
        int sport = 44890;
        for (long t = 0; t < 3600; t += 50) {
            syn(sport++, "74.125.71.188", 5228, t);
            syn(sport++, "54.243.101.215", 443, t + 6);
            syn(sport++, "63.128.176.5", 7275, t + 20);
        }
        assertThat(out.all).isEmpty();
    }

    @Test
    void failingPeer_isJudgedWhenTheInternetIsShownToWork() {
        syn(40001, "203.0.113.9", 50, 0);
        syn(40003, "203.0.113.9", 50, 80);
        syn(40005, "203.0.113.9", 50, 160);
        assertThat(out.all).isEmpty();
        ntp(200);
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.detail()).containsEntry("rule", "persistent");
            assertThat(f.detectedAt()).isEqualTo(T0 + 200 * S + S / 100);
        });
    }

    @Test
    void dayLongNtpExchange_orientedFromTheServer_showsTheInternetWorks() {
        // softflowd exports both directions of a day of NTP with the same start, and the
        // stitcher may make the server the originator: the device answered an outside host.
        d.onFlow(s, dev, Flows.udp("147.231.100.5", 123, "192.168.100.113", 123, T0 - 3600 * S, 86_400 * S, 1300, 98_800,
                1300, 98_800), false, out);
        syn(40001, "203.0.113.9", 50, 0);
        syn(40003, "203.0.113.9", 50, 80);
        syn(40005, "203.0.113.9", 50, 160);
        assertThat(out.all).singleElement().satisfies(f -> assertThat(f.detail()).containsEntry("rule", "persistent"));
    }

    @Test
    void answerLongAfterTheFailures_doesNotReviveThem() {
        syn(40001, "203.0.113.9", 50, 0);
        syn(40003, "203.0.113.9", 50, 80);
        syn(40005, "203.0.113.9", 50, 160);
        ntp(160 + 3 + 301);
        assertThat(out.all).isEmpty();
    }

    @Test
    void zeekTailOfOneLongConnection_finRetransmissionsLoggedAsSh_isOneAnsweredAttempt() {
        ntp(1);
        // One long download from a storage service, then the device's FIN retransmissions, which
        // Zeek logs as separate short records of the same 4-tuple (state SH, history F).
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 51000, "52.216.0.7", 80, T0, 600 * S, 4000, 200_000, 9000,
                12_000_000, 0x1b, 0x1b, "S1"), true, out);
        for (long t = 620; t < 900; t += 40) {
            d.onFlow(s, dev, Flows.tcp("192.168.100.113", 51000, "52.216.0.7", 80, T0 + t * S, 0, 1, 40, 0, 0, 0x11, 0,
                    "SH"), true, out);
        }
        assertThat(out.all).isEmpty();
    }

    @Test
    void retriesOfOneFailedConnection_withinAMinute_areNotC2() {
        ntp(1);
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
    void scanReportPort_withoutARealConnection_isNotReported() {
        String peer = "198.51.100.9";
        // A lone SYN, a refused attempt, and one-packet ACK/PSH and SYN flood records that
        // happen to hit 48101 (issue 26: random-port floods made 31 to 43 such incidents).
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40001, peer, 48101, T0, 0, 1, 60, 0, 0, 0x02, 0, "S0"), true, out);
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40002, peer, 48101, T0, S / 10, 1, 60, 1, 40, 0x02, 0x14, "REJ"),
                true, out);
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40003, peer, 48101, T0, 0, 1, 552, 0, 0, 0x18, 0, "OTH"), true, out);
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40004, peer, 48101, T0, 0, 1, 552, 1, 40, 0x18, 0x04, "OTH"),
                true, out);
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40005, peer, 48101, T0, 0, 1, 40, 0, 0, 0x3f, 0, "RSTOS0"), true, out);
        assertThat(out.all).isEmpty();
    }

    @Test
    void scanReportPort_oneWayRecordOfAWholeConnection_isReported() {
        // Asymmetric routing: the exporter saw only the bot's side: SYN, the handshake's ACK,
        // the report (PSH) and FIN, with payload.
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40000, "198.51.100.9", 48101, T0, S, 4, 236, 0, 0, 0x1b, 0, "OTH"),
                true, out);
        assertThat(out.all).singleElement().satisfies(f -> assertThat(f.detail()).containsEntry("rule", "report"));
    }

    @Test
    void scanReportPort_answeredRecordWithoutFlags_isReported() {
        // Exporters that send no TCP flags: an answer is all the evidence there is.
        d.onFlow(s, dev, Flows.tcp("192.168.100.113", 40000, "198.51.100.9", 48101, T0, S, 4, 236, 3, 180, 0, 0, "OTH"),
                true, out);
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
