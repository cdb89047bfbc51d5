package io.bulwark.decode.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;

import org.junit.jupiter.api.Test;

class ExportBoundsTest {
    static final long NS = 1_000_000_000L;
    static final long EXPORT = 1_700_000_000L * NS;
    final ExportBounds bounds = ExportBounds.defaults();

    /** 10 TCP packets of 60 bytes over the second before the export: what every exporter sends. */
    static ExportedFlow record() {
        ExportedFlow f = new ExportedFlow();
        f.clear();
        f.source = ExportedFlow.Source.netflow5;
        f.ipVersion = 4;
        f.protocol = 6;
        f.packets = 10;
        f.bytes = 600;
        f.exportNanos = EXPORT;
        f.startNanos = EXPORT - 2 * NS;
        f.endNanos = EXPORT - NS;
        return f;
    }

    @Test
    void ordinaryRecord_believed() {
        assertThat(bounds.check(record())).isNull();
    }

    @Test
    void theIssuesDatagram_twoBillionPacketsInAMillisecond_isNoLink() {
        // "is under a other: 2,130,569,217 packets/s": one v5 record of random bytes.
        ExportedFlow f = record();
        f.packets = 2_130_569_217L;
        f.bytes = 2_130_569_217L * 40;
        f.startNanos = f.endNanos;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_rate_implausible);
    }

    @Test
    void fullHundredGigabitLinkOfMinimumFrames_isTheLimit() {
        ExportedFlow f = record();
        f.startNanos = EXPORT - 11 * NS;
        f.endNanos = EXPORT - NS;   // 10 s, plus the 1 ms resolution
        long fits = (long) (148_809_523.8 * 10.001);
        f.packets = fits;
        f.bytes = fits * 46;        // 64-byte frames carry 46-byte IP packets
        assertThat(bounds.check(f)).isNull();
        f.packets = fits + fits / 100;
        f.bytes = f.packets * 46;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_rate_implausible);
    }

    @Test
    void bytesBeyondTheLink_evenInFewPackets_implausible() {
        ExportedFlow f = record();
        f.packets = 200_000;
        f.bytes = 200_000L * 65_535;  // 13 GB in one second: more than 100 Gb/s carries
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_rate_implausible);
    }

    @Test
    void sampledRecord_judgedByThePacketsTheExporterSaw() {
        ExportedFlow f = record();
        f.samplingRate = 16_383;        // NetFlow v5's largest interval
        f.packets = 16_383;             // one sampled packet
        f.bytes = 16_383L * 1500;
        f.startNanos = f.endNanos;
        assertThat(bounds.check(f)).isNull();
    }

    @Test
    void wholeSecondTimes_allowASecondOfPackets() {
        ExportedFlow f = record();
        f.startNanos = f.endNanos;
        f.packets = 1_000_000;
        f.bytes = 64_000_000;
        assertThat(bounds.check(f)).as("1 ms clock").isEqualTo(Anomaly.export_record_rate_implausible);
        f.timeResolutionNanos = NS;
        assertThat(bounds.check(f)).as("1 s clock").isNull();
    }

    @Test
    void bytesPerPacket_withinOneIpPacket() {
        ExportedFlow f = record();
        f.bytes = 10 * 19;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_size_implausible);
        f.bytes = 10 * 20;
        assertThat(bounds.check(f)).isNull();
        f.bytes = 10L * 65_535;
        assertThat(bounds.check(f)).isNull();
        f.bytes = 10L * 65_535 + 1;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_size_implausible);
        f.ipVersion = 6;
        f.bytes = 10 * 39;
        assertThat(bounds.check(f)).as("IPv6 header alone is 40").isEqualTo(Anomaly.export_record_size_implausible);
        f.bytes = 10L * 65_575;
        assertThat(bounds.check(f)).isNull();
        f.packets = 0;
        f.bytes = 0;
        assertThat(bounds.check(f)).as("no packets").isEqualTo(Anomaly.export_record_size_implausible);
        f.packets = Long.MAX_VALUE;
        f.bytes = Long.MAX_VALUE;
        assertThat(bounds.check(f)).as("no overflow").isEqualTo(Anomaly.export_record_size_implausible);
    }

    @Test
    void reverseDirectionOfABiflow_checkedToo() {
        ExportedFlow f = record();
        f.reversePackets = 0;
        f.reverseBytes = 100;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_size_implausible);
        f.reversePackets = 5;
        f.reverseBytes = 5L * 70_000;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_size_implausible);
        f.reverseBytes = 5L * 1_000;
        assertThat(bounds.check(f)).isNull();
        f.reversePackets = 4_000_000_000L;
        f.reverseBytes = 4_000_000_000L * 40;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_rate_implausible);
    }

    @Test
    void times_orderedAndNearTheExport() {
        ExportedFlow f = record();
        f.startNanos = f.endNanos + 1;
        assertThat(bounds.check(f)).as("start after end").isEqualTo(Anomaly.export_record_time_implausible);
        f = record();
        f.endNanos = EXPORT + 301 * NS;
        assertThat(bounds.check(f)).as("ends after its export").isEqualTo(Anomaly.export_record_time_implausible);
        f.endNanos = EXPORT + 299 * NS;
        assertThat(bounds.check(f)).isNull();
        f.startNanos = EXPORT - 7 * 86_400 * NS - 1;
        assertThat(bounds.check(f)).as("started over a week before").isEqualTo(Anomaly.export_record_time_implausible);
        f.startNanos = EXPORT - 7 * 86_400 * NS + NS;
        f.packets = 1_000_000;
        f.bytes = 100_000_000;
        assertThat(bounds.check(f)).as("a week-long flow, exported at its end").isNull();
        f = record();
        f.exportNanos = 0;
        f.startNanos = -NS;
        f.endNanos = 0;
        assertThat(bounds.check(f)).as("before 1970").isEqualTo(Anomaly.export_record_time_implausible);
    }

    @Test
    void samplingRate_withinBounds() {
        ExportedFlow f = record();
        f.samplingRate = 0;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_sampling_rate_implausible);
        f.samplingRate = (int) ExportBounds.MAX_SAMPLING_RATE + 1;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_sampling_rate_implausible);
        f.samplingRate = (int) ExportBounds.MAX_SAMPLING_RATE;
        f.packets *= f.samplingRate;
        f.bytes *= f.samplingRate;
        assertThat(bounds.check(f)).isNull();
    }

    @Test
    void protocolZero_invalid() {
        ExportedFlow f = record();
        f.protocol = 0;
        assertThat(bounds.check(f)).isEqualTo(Anomaly.export_record_fields_invalid);
    }

    @Test
    void slowerLink_configured_lowersTheBound() {
        ExportBounds oneGig = new ExportBounds(1e9, 7 * 86_400 * NS, 100_000, 1_000_000);
        ExportedFlow f = record();
        f.packets = 3_000_000;       // 3 million packets in a second: beyond 1 Gb/s (1.49 Mpps)
        f.bytes = 3_000_000L * 40;
        assertThat(bounds.check(f)).isNull();
        assertThat(oneGig.check(f)).isEqualTo(Anomaly.export_record_rate_implausible);
    }

    @Test
    void budget_burstThenRatePerSecondOfArrivalTime_restCountedAndDropped() {
        AnomalyCounters anomalies = new AnomalyCounters();
        ExportGate gate = new ExportGate(new ExportBounds(100e9, 7 * 86_400 * NS, 10, 20), anomalies);
        ExporterStats s = new ExporterStats("192.0.2.1:2055", ExportedFlow.Source.netflow5);
        int admitted = 0;
        for (int i = 0; i < 25; i++) {
            admitted += gate.admit(record(), s, EXPORT) ? 1 : 0;
        }
        assertThat(admitted).as("the burst").isEqualTo(20);
        for (int i = 0; i < 25; i++) {
            admitted += gate.admit(record(), s, EXPORT + NS) ? 1 : 0;
        }
        assertThat(admitted).as("one second later: ten more").isEqualTo(30);
        // A capture's timestamps running backwards refill nothing.
        admitted += gate.admit(record(), s, EXPORT) ? 1 : 0;
        assertThat(admitted).isEqualTo(30);
        assertThat(s.overBudget).isEqualTo(21);
        assertThat(anomalies.get(Anomaly.export_record_budget_exceeded)).isEqualTo(21);
        assertThat(s.implausible).isZero();
    }

    @Test
    void implausibleRecord_countedAndSpendsNoBudget() {
        AnomalyCounters anomalies = new AnomalyCounters();
        ExportGate gate = new ExportGate(new ExportBounds(100e9, 7 * 86_400 * NS, 1, 1), anomalies);
        ExporterStats s = new ExporterStats("192.0.2.1:2055", ExportedFlow.Source.netflow5);
        ExportedFlow bad = record();
        bad.protocol = 0;
        assertThat(gate.admit(bad, s, EXPORT)).isFalse();
        assertThat(gate.admit(record(), s, EXPORT)).isTrue();
        assertThat(s.implausible).isEqualTo(1);
        assertThat(anomalies.get(Anomaly.export_record_fields_invalid)).isEqualTo(1);
    }
}
