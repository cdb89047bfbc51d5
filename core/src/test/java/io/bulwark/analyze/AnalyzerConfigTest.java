package io.bulwark.analyze;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AnalyzerConfigTest {
    @Test
    void fitTo_largeHeap_keepsTheDefaults() {
        AnalyzerConfig d = AnalyzerConfig.defaults();
        assertThat(d.fitTo(8L << 30)).isSameAs(d);
    }

    @Test
    void fitTo_smallHeap_lowersBothBoundsIntoSixtyPercent() {
        long heap = 64L << 20;
        AnalyzerConfig c = AnalyzerConfig.defaults().fitTo(heap);
        long need = (long) c.flows().maxFlows() * AnalyzerConfig.BYTES_PER_FLOW
                + (long) c.maxDevices() * AnalyzerConfig.BYTES_PER_DEVICE;
        assertThat(need).isLessThanOrEqualTo(heap * 6 / 10);
        assertThat(c.flows().maxFlows()).isLessThan(AnalyzerConfig.defaults().flows().maxFlows());
        assertThat(c.maxDevices()).isLessThan(AnalyzerConfig.defaults().maxDevices());
    }
}
