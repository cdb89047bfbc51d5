package io.bulwark.detect.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrafficTest {
    @Test
    void fold_decaysBy2ToTheMinusGapOverHalfLife_andAddsTheTick() {
        Traffic t = new Traffic();
        t.tick[Traffic.PKTS_OUT] = 8;
        t.fold(1);
        t.tick[Traffic.PKTS_OUT] = 4;
        t.fold(10);
        // scale 0 (half-life 1 tick): 8 * 2^-10 + 4; scale 1 (10 ticks): 8 * 2^-1 + 4 = 8
        assertThat(t.damped[Traffic.PKTS_OUT]).isCloseTo(8 * Math.pow(2, -10) + 4, within(1e-12));
        assertThat(t.damped[Traffic.COUNTERS + Traffic.PKTS_OUT]).isCloseTo(8.0, within(1e-12));
        assertThat(t.tick[Traffic.PKTS_OUT]).isZero();
    }

    @Test
    void features_rateShareAndMeanSize() {
        Traffic t = new Traffic();
        t.tick[Traffic.PKTS_OUT] = 10;
        t.tick[Traffic.BYTES_OUT] = 1000;
        t.tick[Traffic.BYTES2_OUT] = 10 * 100 * 100;
        t.tick[Traffic.TCP] = 7;
        t.tick[Traffic.UDP] = 3;
        t.tick[Traffic.ATTEMPTS] = 4;
        t.tick[Traffic.ANSWERS] = 1;
        t.fold(1);
        double[] x = new double[Traffic.FEATURES];
        t.features(x);
        // half-life 1: rate = 10 * (1 - 2^-1) = 5 packets/s
        assertThat(x[0]).isCloseTo(Math.log1p(5), within(1e-12));
        assertThat(x[2]).isCloseTo(Math.log1p(100), within(1e-12));
        assertThat(x[3]).isCloseTo(0.0, within(1e-9));
        assertThat(x[9]).isCloseTo(0.7, within(1e-12));
        assertThat(x[10]).isCloseTo(0.3, within(1e-12));
        assertThat(x[12]).isCloseTo(0.75, within(1e-12));
        // nothing received: mean size in is undefined, not zero
        assertThat(x[4]).isNaN();
    }

    @Test
    void distinct_isLinearCounting() {
        assertThat(Traffic.distinct(0, 0)).isZero();
        // 3 bits set of 128: -128 ln(125/128)
        assertThat(Traffic.distinct(0b111, 0)).isCloseTo(-128 * Math.log(125 / 128.0), within(1e-12));
        assertThat(Traffic.distinct(-1L, -1L)).isEqualTo(600);
    }
}
