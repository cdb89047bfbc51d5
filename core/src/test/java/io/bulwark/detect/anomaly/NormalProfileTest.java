package io.bulwark.detect.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The profile's maths against values worked out by hand. */
class NormalProfileTest {
    @Test
    void firstSamples_givePlainMeanAndPopulationVariance() {
        NormalProfile p = new NormalProfile(new double[] {0});
        p.learn(new double[] {1}, 0.01, 1);
        p.learn(new double[] {3}, 0.01, 1);
        // n = 2: a = 1/2, d = 2, m = 1 + 1 = 2, v = (1 - 1/2)(0 + 1/2 * 4) = 1 (population variance of {1, 3})
        assertThat(p.mean[0]).isEqualTo(2.0);
        assertThat(p.var[0]).isEqualTo(1.0);
        p.learn(new double[] {5}, 0.01, 1);
        // n = 3: a = 1/3, d = 3, m = 3, v = (2/3)(1 + 1/3 * 9) = 8/3 (population variance of {1, 3, 5})
        assertThat(p.mean[0]).isCloseTo(3.0, within(1e-12));
        assertThat(p.var[0]).isCloseTo(8.0 / 3, within(1e-12));
    }

    @Test
    void afterWarmUp_theRateIsTheConfiguredOne_timesTheWeight() {
        NormalProfile p = new NormalProfile(new double[] {0});
        for (int i = 0; i < 10; i++) {
            p.learn(new double[] {0}, 0.1, 1);
        }
        // n = 11: a = max(1/11, 0.1) * 0.5 = 0.05; d = 10, m = 0.5, v = 0.95 * (0 + 0.05 * 100) = 4.75
        p.learn(new double[] {10}, 0.1, 0.5);
        assertThat(p.mean[0]).isCloseTo(0.5, within(1e-12));
        assertThat(p.var[0]).isCloseTo(4.75, within(1e-12));
    }

    @Test
    void score_isTheRmsOfTheLargestZScores_withTheNoiseFloor() {
        double[] floor = new double[8];
        java.util.Arrays.fill(floor, 0.5);
        NormalProfile p = new NormalProfile(floor);
        p.learn(new double[8], 0.01, 1);
        // var 0, floor 0.5: z = x / 0.5. x = 1,2,3,4,5,0,0,0 -> z = 2,4,6,8,10; top 5 squared = 4+16+36+64+100 = 220
        double s = p.score(new double[] {1, 2, 3, 4, 5, 0, 0, 0});
        assertThat(s).isCloseTo(Math.sqrt(220 / 5.0), within(1e-12));
        // a sixth, smaller z does not count
        assertThat(p.score(new double[] {1, 2, 3, 4, 5, 0.5, 0, 0})).isCloseTo(s, within(1e-12));
    }

    @Test
    void nanFeature_isNeitherLearntNorScored() {
        NormalProfile p = new NormalProfile(new double[] {1, 1});
        p.learn(new double[] {2, Double.NaN}, 0.01, 1);
        p.learn(new double[] {2, 7}, 0.01, 1);
        assertThat(p.mean[1]).isEqualTo(7.0);
        assertThat(p.z(1, Double.NaN)).isZero();
        // z of feature 0 = (4 - 2) / 1 = 2, feature 1 gives 0: sqrt((4 + 0) / 2)
        assertThat(p.score(new double[] {4, Double.NaN})).isCloseTo(Math.sqrt(2), within(1e-12));
    }

    @Test
    void seed_copiesTheNetworkProfileWithAPseudoCount() {
        NormalProfile net = new NormalProfile(new double[] {0});
        net.learn(new double[] {1}, 0.01, 1);
        net.learn(new double[] {3}, 0.01, 1);
        NormalProfile dev = new NormalProfile(new double[] {0});
        dev.seed(net, 10);
        assertThat(dev.mean[0]).isEqualTo(2.0);
        assertThat(dev.var[0]).isEqualTo(1.0);
        dev.learn(new double[] {13}, 0.001, 1);
        // n = 11: a = 1/11, d = 11, m = 3
        assertThat(dev.mean[0]).isCloseTo(3.0, within(1e-12));
    }
}
