package io.bulwark.detect.anomaly;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The service table's maths against hand-computed values. */
class ServiceTableTest {
    private static final int DNS = ServiceTable.slot(true, 17, 53);

    @Test
    void known_needsAnAnswerAndHalfTheAttemptsAnswered() {
        ServiceTable t = new ServiceTable();
        t.attempt(DNS);
        assertThat(t.known(DNS)).isFalse();
        t.answer(DNS);
        t.attempt(DNS);
        assertThat(t.known(DNS)).isTrue();          // 1 answer of 2 attempts
        t.attempt(DNS);
        assertThat(t.known(DNS)).isFalse();         // 1 of 3
    }

    @Test
    void fold_free_takesTheLevelAsNormal_thenDecaysTheLevelToTheNextCountedTick() {
        ServiceTable t = new ServiceTable();
        t.packets(DNS, 100);
        t.fold(1, 1, true, false);
        assertThat(t.normal(DNS)).isEqualTo(100f);
        assertThat(t.surprise(DNS)).isZero();
        // 100 x 2^(-1/10) = 93.303
        assertThat((double) t.level(DNS)).isCloseTo(93.303, within(1e-3));
        ServiceTable idle = new ServiceTable();
        idle.packets(DNS, 100);
        // the next packet comes ten ticks later: one half-life
        idle.fold(1, 10, true, false);
        assertThat((double) idle.level(DNS)).isCloseTo(50, within(1e-3));
    }

    @Test
    void fold_aFloodOnAKnownService_growsItsNormalByTheCapOnly_andIsSurprising() {
        ServiceTable t = new ServiceTable();
        t.packets(DNS, 100);
        t.fold(1, 1, true, false);
        t.packets(DNS, 1000);
        t.fold(1, 1, false, false);
        // level 93.303 + 1000 = 1093.303; normal 100 x 2^(-1/3600) = 99.981, grown by 2^(1/60): 101.143
        assertThat((double) t.normal(DNS)).isCloseTo(101.143, within(1e-3));
        // log2(1094.303 / 102.143) = 3.421 octaves, in quarter octaves: 13 -> 3.25
        assertThat(t.surprise(DNS)).isEqualTo(3.25);
    }

    @Test
    void fold_abnormalTick_teachesNothing() {
        ServiceTable t = new ServiceTable();
        t.packets(DNS, 100);
        t.fold(1, 1, true, false);
        t.packets(DNS, 1000);
        t.fold(1, 1, false, true);
        // faded only: 100 x 2^(-1/3600) = 99.981
        assertThat((double) t.normal(DNS)).isCloseTo(99.981, within(1e-3));
        // log2(1094.303 / 100.981) = 3.438 -> 13 quarter octaves
        assertThat(t.surprise(DNS)).isEqualTo(3.25);
    }

    @Test
    void fold_quieterThanNormal_fadesTheNormalSlowly() {
        ServiceTable t = new ServiceTable();
        t.packets(DNS, 100);
        t.fold(1, 3_600, true, false);
        // an hour without traffic on it: the level is gone, the normal halves (100 x 2^(-3600/3600))
        t.fold(3_600, 1, false, false);
        assertThat((double) t.normal(DNS)).isCloseTo(50, within(1e-3));
        assertThat(t.surprise(DNS)).isZero();
        t.packets(DNS, 70);
        t.fold(1, 1, false, false);
        // 50 x 2^(-1/3600) x 2^(1/60) = 50.571; log2(71 / 51.571) = 0.461 -> 1 quarter octave
        assertThat((double) t.normal(DNS)).isCloseTo(50.571, within(1e-3));
        assertThat(t.surprise(DNS)).isEqualTo(0.25);
    }

    @Test
    void fold_silence_doesNotEarnGrowth() {
        ServiceTable t = new ServiceTable();
        t.packets(DNS, 10);
        t.fold(1, 600, true, false);
        t.packets(DNS, 10_000);
        t.fold(600, 1, false, false);
        // the cap is per fold, not per tick elapsed: 10 x 2^(-600/3600) x 2^(1/60) = 9.013
        assertThat((double) t.normal(DNS)).isCloseTo(9.013, within(1e-3));
        // log2(10001 / 10.013) = 9.964 octaves -> 39 quarter octaves
        assertThat(t.surprise(DNS)).isEqualTo(9.75);
    }
}
