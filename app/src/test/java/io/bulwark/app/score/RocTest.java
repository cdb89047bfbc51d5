package io.bulwark.app.score;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** ROC maths against pairs counted by hand. */
class RocTest {
    @Test
    void auc_isTheShareOfPositiveNegativePairsRankedRight_tiesHalf() {
        // positives 0.9, 0.4; negatives 0.5, 0.1, 0.4
        // pairs (6): 0.9 beats all three (3); 0.4 beats 0.1 (1), ties 0.4 (0.5), loses to 0.5 -> 4.5 / 6
        Roc r = new Roc(new double[] {0.9, 0.4, 0.5, 0.1, 0.4}, new boolean[] {true, true, false, false, false});
        assertThat(r.auc()).isCloseTo(0.75, within(1e-12));
    }

    @Test
    void atFpr_isTheBestDetectionRateWithinTheBound() {
        Roc r = new Roc(new double[] {0.9, 0.8, 0.7, 0.6, 0.5, 0.4}, new boolean[] {true, true, false, true, false, false});
        // threshold 0.8: tpr 2/3, fpr 0; threshold 0.6: tpr 1, fpr 1/3
        assertThat(r.atFpr(0.001).tpr()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(r.atFpr(0.001).threshold()).isEqualTo(0.8);
        assertThat(r.atFpr(0.34).tpr()).isEqualTo(1.0);
    }

    @Test
    void perfectSeparation_isOne_andOneClassIsNaN() {
        assertThat(new Roc(new double[] {2, 1}, new boolean[] {true, false}).auc()).isEqualTo(1.0);
        assertThat(new Roc(new double[] {2, 1}, new boolean[] {true, true}).auc()).isNaN();
    }
}
