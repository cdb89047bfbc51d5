package io.bulwark.detect.anomaly;

import io.bulwark.detect.Device;
import io.bulwark.detect.Finding;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

/** Flow mode, through the detector's hooks with traffic time; packet mode runs in the scenarios. */
class AnomalyDetectorTest {
    private static final String CAM = "192.168.1.20";
    private final Device cam = Flows.device(CAM);

    /** A camera's routine: an NTP exchange every 16 s and an HTTPS upload every 4 s, with seeded jitter. */
    private static void routine(AnomalyDetector d, AnomalyState s, Device dev, long from, long seconds,
                                SplittableRandom rng, Flows.Found out) {
        for (long t = 0; t < seconds; t += 4) {
            long at = from + t * S + rng.nextLong(S / 2);
            d.onFlow(s, dev, Flows.tcp(CAM, 40000 + (int) t % 1000, "203.0.113.5", 443, at, S, 20 + rng.nextInt(5),
                    20_000 + rng.nextInt(2_000), 10, 800, 0x1b, 0x1b, "SF"), true, out);
            if (t % 16 == 0) {
                d.onFlow(s, dev, Flows.udp(CAM, 123, "198.51.100.9", 123, at + S / 3, S / 100, 1, 76, 1, 76), true, out);
            }
        }
    }

    /** An unknown bot: unanswered attempts to 30 new peers a second on an exploit port. */
    private static void bot(AnomalyDetector d, AnomalyState s, Device dev, long from, long seconds, Flows.Found out) {
        for (long t = 0; t < seconds; t++) {
            for (int i = 0; i < 30; i++) {
                d.onFlow(s, dev, Flows.tcp(CAM, 50000 + i, "100.64." + (t % 200) + "." + i, 37215,
                        from + t * S + i * (S / 30), 3 * S, 3, 180, 0, 0, 0x02, 0, "S0"), true, out);
            }
        }
    }

    private static List<Finding> run(long normalSeconds, boolean attack, List<double[]> scores) {
        List<double[]> sink = scores;
        AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(),
                sink == null ? null : (f, dev, v) -> sink.add(new double[] {f.dstPort(), v}));
        AnomalyState s = d.newState();
        Device dev = Flows.device(CAM);
        Flows.Found out = new Flows.Found();
        SplittableRandom rng = new SplittableRandom(42);
        routine(d, s, dev, T0, normalSeconds, rng, out);
        if (attack) {
            bot(d, s, dev, T0 + normalSeconds * S, 60, out);
            routine(d, s, dev, T0 + (normalSeconds + 60) * S, 60, rng, out);
        }
        d.onEnd(s, dev, T0 + (normalSeconds + 120) * S, out);
        return out.all;
    }

    @Test
    void unknownBot_afterARoutine_isAnAnomalyExplainedByTheFeaturesThatMoved() {
        List<Finding> all = run(900, true, null);
        assertThat(all).isNotEmpty().allSatisfy(f -> assertThat(f.kind()).isEqualTo(Kind.anomaly));
        Finding f = all.get(0);
        assertThat(f.detectedAt() - (T0 + 900 * S)).isLessThanOrEqualTo(30 * S);
        assertThat(f.firstSeen()).isGreaterThanOrEqualTo(T0 + 899 * S);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> features = (List<Map<String, Object>>) f.detail().get("features");
        assertThat(features).hasSize(AnomalyState.EXPLAIN);
        assertThat(features).extracting(m -> m.get("feature")).containsAnyOf("distinct_peers_per_s", "flows_out_per_s",
                "unanswered_share", "distinct_ports_per_s");
        assertThat(features.get(0)).containsKeys("normal_min", "normal_max", "observed", "window_s", "z");
        assertThat(f.summary()).contains("normal").contains("now");
    }

    @Test
    void routineAlone_neverAnAnomaly() {
        assertThat(run(3600, false, null)).isEmpty();
    }

    @Test
    void sameInput_sameFindingsAndScores() {
        List<double[]> a = new ArrayList<>();
        List<double[]> b = new ArrayList<>();
        List<Finding> fa = run(900, true, a);
        List<Finding> fb = run(900, true, b);
        // (the fixtures' flow uids differ between runs; everything the detector decides must not)
        assertThat(fa).isNotEmpty();
        assertThat(fa).extracting(Finding::detectedAt, Finding::firstSeen, Finding::lastSeen, Finding::summary, Finding::detail)
                .isEqualTo(fb.stream().map(f -> org.assertj.core.groups.Tuple.tuple(f.detectedAt(), f.firstSeen(), f.lastSeen(),
                        f.summary(), f.detail())).toList());
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.size(); i++) {
            assertThat(a.get(i)).containsExactly(b.get(i));
        }
    }

    @Test
    void flowScores_putTheBotsFlowsAboveTheRoutine() {
        List<double[]> scores = new ArrayList<>();
        run(900, true, scores);
        double worstBot = scores.stream().filter(x -> x[0] == 37215).mapToDouble(x -> x[1]).min().orElseThrow();
        double bestRoutine = scores.stream().filter(x -> x[0] != 37215).skip(300).mapToDouble(x -> x[1]).max().orElseThrow();
        assertThat(worstBot).isGreaterThan(bestRoutine);
    }

    @Test
    void floodOnAKnownService_scoresByItsRateOverThatServicesNormal() {
        // The camera's own HTTPS service, used with answers, at 40 connections a second instead
        // of one every 4 s: the service is known, its level is a hundred times its normal.
        List<double[]> scores = new ArrayList<>();
        AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(), (f, dev, v) -> scores.add(
                new double[] {f.dstPort(), v, (f.startNanos() - T0) / (double) S}));
        AnomalyState s = d.newState();
        Flows.Found out = new Flows.Found();
        routine(d, s, cam, T0, 900, new SplittableRandom(3), out);
        int slot = ServiceTable.slot(true, 6, 443);
        assertThat(s.services.known(slot)).isTrue();
        for (long t = 0; t < 30; t++) {
            for (int i = 0; i < 40; i++) {
                d.onFlow(s, cam, Flows.tcp(CAM, 30000 + i, "203.0.113.5", 443, T0 + (900 + t) * S + i * (S / 40), S / 10,
                        6, 600, 4, 2_000, 0x1b, 0x1b, "SF"), true, out);
            }
        }
        // 400 packets a second on a service that had about 7: log2(5,800 / 108) = 5.7 octaves
        assertThat(s.services.surprise(slot)).isGreaterThan(5);
        double routineMax = scores.stream().filter(x -> x[2] >= 300 && x[2] < 900).mapToDouble(x -> x[1]).max().orElseThrow();
        double floodMin = scores.stream().filter(x -> x[2] >= 910).mapToDouble(x -> x[1]).min().orElseThrow();
        assertThat(routineMax).isLessThan(0.25);
        assertThat(floodMin).isGreaterThan(1);
    }

    /** Newcomer .30's flows, 60 s from {@code from}: HTTPS out and telnet in, both answered, every 2 s. */
    private static void newcomer(AnomalyDetector d, AnomalyState s, Device dev, long from, Flows.Found out) {
        for (long t = 0; t < 60; t += 2) {
            d.onFlow(s, dev, Flows.tcp("192.168.1.30", 41000 + (int) t, "203.0.113.9", 443, from + t * S, S / 2, 8, 900, 6,
                    4_000, 0x1b, 0x1b, "SF"), true, out);
            d.onFlow(s, dev, Flows.tcp("198.51.100.77", 52000 + (int) t, "192.168.1.30", 23, from + t * S + S / 2, S / 2, 6,
                    300, 5, 400, 0x1b, 0x1b, "SF"), false, out);
        }
    }

    @Test
    void newcomerAfterTheNetworksGrace_isVouchedForOnlyByServicesOtherDevicesUse() {
        Device plug = Flows.device("192.168.1.21");
        Device laptop = Flows.device("192.168.1.30");
        for (boolean late : new boolean[] {false, true}) {
            List<double[]> scores = new ArrayList<>();
            AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(), (f, dev, v) -> {
                if (dev.ip().equals(laptop.ip())) {
                    scores.add(new double[] {f.dstPort(), v});
                }
            });
            AnomalyState cs = d.newState();
            AnomalyState ps = d.newState();
            AnomalyState ls = d.newState();
            Flows.Found out = new Flows.Found();
            SplittableRandom rng = new SplittableRandom(5);
            long from = late ? T0 + 300 * S : T0;
            if (!late) {
                // present from the detector's start, as every device is at first
                newcomer(d, ls, laptop, from, out);
            }
            for (long t = 0; t < 300; t += 4) {
                // both established devices use HTTPS with answers: the network knows it
                routine(d, cs, cam, T0 + t * S, 4, rng, out);
                d.onFlow(ps, plug, Flows.tcp("192.168.1.21", 40000 + (int) t, "203.0.113.7", 443, T0 + t * S + S / 3, S / 2,
                        6, 900, 5, 1_200, 0x1b, 0x1b, "SF"), true, out);
            }
            if (late) {
                newcomer(d, ls, laptop, from, out);
            }
            // Pairs of flows a second apart, so both get the same tick score; the first pair is
            // unknown in any case. Telnet in is +1 over HTTPS out only for the late newcomer.
            assertThat(scores).hasSize(60);
            for (int i = 2; i < scores.size(); i += 2) {
                assertThat(scores.get(i)[0]).isEqualTo(443);
                double extra = scores.get(i + 1)[1] - scores.get(i)[1];
                if (late) {
                    assertThat(extra).as("pair %d", i).isGreaterThan(0.5);
                } else {
                    assertThat(extra).as("pair %d", i).isLessThan(0.25);
                }
            }
        }
    }

    @Test
    void attackFromTheFirstSecond_isNeverReportedInTheGracePeriod() {
        AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(), null);
        AnomalyState s = d.newState();
        Flows.Found out = new Flows.Found();
        bot(d, s, cam, T0, 50, out);
        assertThat(out.all).isEmpty();
    }

    @Test
    void botFromItsFirstSecond_besideADeviceWithARoutine_isReportedOnceItsGraceEnds() {
        // The bot is the first device the detector sees and probes from its first second: its
        // probing must teach neither its own profile nor the network's (a profile's first sample
        // would otherwise become its mean), so it stands out once its grace period is over.
        AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(), null);
        Device plug = Flows.device("192.168.1.21");
        AnomalyState bot = d.newState();
        AnomalyState other = d.newState();
        Flows.Found out = new Flows.Found();
        SplittableRandom rng = new SplittableRandom(7);
        for (long t = 0; t < 300; t++) {
            for (int i = 0; i < 30; i++) {
                d.onFlow(bot, cam, Flows.tcp(CAM, 50000 + i, "100.64." + (t % 200) + "." + i, 37215,
                        T0 + t * S + i * (S / 30), 3 * S, 3, 180, 0, 0, 0x02, 0, "S0"), true, out);
            }
            long at = T0 + t * S + S / 2 + rng.nextLong(S / 4);
            d.onFlow(other, plug, Flows.tcp("192.168.1.21", 40000 + (int) t % 1000, "203.0.113.7", 443, at, S / 2,
                    6 + rng.nextInt(3), 900 + rng.nextInt(100), 5, 1_200, 0x1b, 0x1b, "SF"), true, out);
        }
        d.onEnd(bot, cam, T0 + 300 * S, out);
        d.onEnd(other, plug, T0 + 300 * S, out);
        assertThat(out.all).isNotEmpty().allSatisfy(f -> {
            assertThat(f.host().toString()).isEqualTo(CAM);
            assertThat(f.detectedAt()).isBetween(T0 + 60 * S, T0 + 180 * S);
        });
    }

    @Test
    void longFlood_isNotLearntAsNormal_withinTheIncident() {
        AnomalyDetector d = new AnomalyDetector(AnomalyConfig.defaults(), null);
        AnomalyState s = d.newState();
        Flows.Found out = new Flows.Found();
        routine(d, s, cam, T0, 900, new SplittableRandom(1), out);
        bot(d, s, cam, T0 + 900 * S, 600, out);
        // ten minutes of flooding: still above the threshold at the end
        assertThat(s.hot).isTrue();
        assertThat(s.score).isGreaterThan(1);
    }

    @Test
    void stateSize_isBounded() {
        AnomalyState s = new AnomalyDetector(AnomalyConfig.defaults(), null).newState();
        int doubles = s.traffic.tick.length + s.traffic.damped.length + s.profile.mean.length * 2 + s.x.length;
        int bytes = doubles * 8 + ScoreSketch.BUCKETS * 4 + (2 + 2 * 4 + 1) * ServiceTable.SLOTS + AnomalyState.EXPLAIN * 36;
        assertThat(bytes).isLessThan(AnomalyState.BYTES);
        assertThat(AnomalyDetector.bytesPerDevice()).isEqualTo(AnomalyState.BYTES);
    }
}
