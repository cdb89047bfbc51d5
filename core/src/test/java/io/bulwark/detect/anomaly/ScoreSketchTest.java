package io.bulwark.detect.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ScoreSketchTest {
    @Test
    void bucket_isAQuarterOctaveFrom2ToTheMinus8() {
        // log2(1) = 0 -> (0 + 8) * 4 = 32; upper bound 2^(-8 + 33/4) = 2^0.25
        assertThat(ScoreSketch.bucket(1.0)).isEqualTo(32);
        assertThat(ScoreSketch.upper(32)).isCloseTo(Math.pow(2, 0.25), within(1e-12));
        assertThat(ScoreSketch.bucket(0)).isZero();
        assertThat(ScoreSketch.bucket(Double.NaN)).isZero();
        assertThat(ScoreSketch.bucket(1e9)).isEqualTo(63);
    }

    @Test
    void quantile_isTheUpperBoundOfTheBucketHoldingIt() {
        ScoreSketch s = new ScoreSketch();
        for (int i = 0; i < 99; i++) {
            s.add(1.0);
        }
        s.add(16.0);
        // 99 of 100 at 1.0: q0.99 is in bucket 32; q1.0 in bucket (4 + 8) * 4 = 48
        assertThat(s.quantile(0.99)).isCloseTo(Math.pow(2, 0.25), within(1e-12));
        assertThat(s.quantile(1.0)).isCloseTo(Math.pow(2, 4.25), within(1e-12));
    }

    @Test
    void counts_halveAtTheBound_soOldScoresFade() {
        ScoreSketch s = new ScoreSketch();
        for (int i = 0; i < 4095; i++) {
            s.add(1.0);
        }
        assertThat(s.total()).isEqualTo(4095f);
        s.add(1.0);
        assertThat(s.total()).isEqualTo(2048f);
    }
}
