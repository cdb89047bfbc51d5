package io.bulwark.decode.sflow;

import static io.bulwark.decode.sflow.SflowFixtures.ETHERNET_TCP_SYN;
import static io.bulwark.decode.sflow.SflowFixtures.datagram;
import static io.bulwark.decode.sflow.SflowFixtures.flowSample;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExporterStats;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Datagram and sample sequence numbers, and the bounds on agents and sources. */
class SflowSequenceTest {
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private SflowDecoder decoder = new SflowDecoder(anomalies);

    /** One flow sample from source {@code index}: datagram {@code seq}, sample {@code sampleSeq}. */
    private void send(String agent, long subAgent, long seq, long uptimeMs, long index, long sampleSeq) {
        Xdr x = datagram(agent, subAgent, seq, uptimeMs, 1);
        flowSample(x, sampleSeq, index, 10, ETHERNET_TCP_SYN, 64);
        SflowFixtures.decode(decoder, x.bytes(), 0, f -> { });
    }

    private void send(long seq, long uptimeMs, long sampleSeq) {
        send("192.0.2.1", 0, seq, uptimeMs, 7, sampleSeq);
    }

    private long gaps() {
        return decoder.stats().stream().mapToLong(s -> s.sequenceGaps).sum();
    }

    @Test
    void datagramSequence_gap_countsLostDatagrams() {
        send(1, 1000, 1);
        send(2, 2000, 2);
        send(5, 3000, 3);

        assertThat(gaps()).isEqualTo(2);
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.export_sequence_gap, 1L));
    }

    @Test
    void sampleSequence_gap_countsLostSamples() {
        send(1, 1000, 10);
        send(2, 2000, 11);
        send(3, 3000, 15);

        assertThat(gaps()).isEqualTo(3);
        assertThat(anomalies.get(Anomaly.export_sequence_gap)).isEqualTo(1);
    }

    @Test
    void sequences_wrapAround2To32_noGap() {
        send(0xffff_fffeL, 1000, 0xffff_ffffL);
        send(0xffff_ffffL, 2000, 0);
        send(0, 3000, 1);
        send(1, 4000, 2);

        assertThat(gaps()).isZero();
        assertThat(anomalies.nonZero()).isEmpty();
    }

    @Test
    void agentRestart_sequenceBackToOneWithUptimeReset_noGap() {
        send(1000, 900_000, 5000);
        send(1001, 901_000, 5001);
        send(1, 1_000, 1);      // rebooted: both sequences start again
        send(2, 2_000, 2);

        assertThat(gaps()).isZero();
        assertThat(anomalies.nonZero()).isEmpty();
    }

    @Test
    void agentRestart_firstDatagramsLost_gapCountedFromTheRestart() {
        send(1000, 900_000, 5000);
        send(3, 3_000, 3);      // rebooted; datagrams 1 and 2 never arrived
        send(6, 6_000, 4);

        assertThat(gaps()).isEqualTo(2);
    }

    @Test
    void agentRestart_soonAfterItsStart_absorbedWithoutFalseGap() {
        send(1, 1000, 1);
        send(2, 2000, 2);
        send(3, 3000, 3);
        send(1, 500, 1);        // rebooted 3 s in: looks like late datagrams until it passes 3
        send(2, 1500, 2);
        send(3, 2500, 3);
        send(4, 3500, 4);

        assertThat(gaps()).isZero();
    }

    @Test
    void lateDatagram_afterItsGapWasCounted_countsNothingMore() {
        send(1, 1000, 1);
        send(2, 2000, 2);
        send(4, 4000, 4);
        send(3, 3000, 3);       // reordered in the network
        send(5, 5000, 5);

        assertThat(gaps()).isEqualTo(2); // one datagram and one sample, both counted once
        assertThat(anomalies.get(Anomaly.export_sequence_gap)).isEqualTo(2);
    }

    @Test
    void sources_haveTheirOwnSampleSequences() {
        send("192.0.2.1", 0, 1, 1000, 7, 100);
        send("192.0.2.1", 0, 2, 1000, 8, 1);
        send("192.0.2.1", 0, 3, 1000, 7, 101);
        send("192.0.2.1", 0, 4, 1000, 8, 2);

        assertThat(gaps()).isZero();
        assertThat(decoder.sourceCount()).isEqualTo(2);
    }

    @Test
    void subAgents_haveTheirOwnDatagramSequencesAndStats() {
        send("192.0.2.1", 0, 1, 1000, 7, 1);
        send("192.0.2.1", 1, 50, 1000, 7, 9);
        send("192.0.2.1", 0, 2, 2000, 7, 2);
        send("192.0.2.1", 1, 51, 2000, 7, 10);

        assertThat(gaps()).isZero();
        assertThat(decoder.stats()).extracting(s -> s.exporter).containsExactly("192.0.2.1/0", "192.0.2.1/1");
    }

    @Test
    void agentFlood_100kAgents_statsBoundedAndOverflowShared() {
        SflowLimits limits = new SflowLimits(1024, 4096, 16);
        decoder = new SflowDecoder(limits, anomalies);
        for (int i = 0; i < 100_000; i++) {
            String agent = "10." + (i >>> 16) + "." + ((i >>> 8) & 0xff) + "." + (i & 0xff);
            send(agent, 0, 1 + i % 7, 1000, 7, 1 + i % 5);
        }

        assertThat(decoder.agentCount()).isEqualTo(1024);
        assertThat(decoder.stats()).hasSize(1025);
        assertThat(decoder.sourceCount()).isEqualTo(1024);
        assertThat(anomalies.get(Anomaly.export_exporters_full)).isEqualTo(100_000 - 1024);
        // Agents sharing the overflow entry are not sequence-checked: their numbers interleave.
        assertThat(anomalies.get(Anomaly.export_sequence_gap)).isZero();
        ExporterStats overflow = decoder.stats().stream().filter(s -> s.exporter.equals("overflow")).findFirst()
                .orElseThrow();
        assertThat(overflow.packets).isEqualTo(100_000 - 1024);
        assertThat(overflow.records).isEqualTo(100_000 - 1024);
    }

    @Test
    void sourceFlood_beyondLimit_decodedButNotTracked() {
        decoder = new SflowDecoder(new SflowLimits(4, 100, 16), anomalies);
        for (int i = 0; i < 10_000; i++) {
            send("192.0.2.1", 0, i + 1, 1000 + i, i, 1);
        }

        assertThat(decoder.sourceCount()).isEqualTo(100);
        assertThat(anomalies.get(Anomaly.export_exporters_full)).isEqualTo(10_000 - 100);
        assertThat(decoder.stats()).singleElement().satisfies(s -> {
            assertThat(s.records).isEqualTo(10_000);
            assertThat(s.sequenceGaps).isZero();
        });
    }
}
