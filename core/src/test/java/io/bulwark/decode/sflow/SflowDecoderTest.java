package io.bulwark.decode.sflow;

import static io.bulwark.decode.sflow.SflowFixtures.AGENT;
import static io.bulwark.decode.sflow.SflowFixtures.ETHERNET_ARP;
import static io.bulwark.decode.sflow.SflowFixtures.ETHERNET_TCP_SYN;
import static io.bulwark.decode.sflow.SflowFixtures.IPV6_UDP;
import static io.bulwark.decode.sflow.SflowFixtures.SUB_AGENT;
import static io.bulwark.decode.sflow.SflowFixtures.counterSample;
import static io.bulwark.decode.sflow.SflowFixtures.datagram;
import static io.bulwark.decode.sflow.SflowFixtures.flowSample;
import static io.bulwark.decode.sflow.SflowFixtures.rawHeader;
import static io.bulwark.decode.sflow.SflowFixtures.v4;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.sflow.SflowFixtures.Flow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SflowDecoderTest {
    private static final long NOW = 1_768_471_200_000_000_000L;

    private final AnomalyCounters anomalies = new AnomalyCounters();
    private SflowDecoder decoder = new SflowDecoder(anomalies);
    private final List<Flow> flows = new ArrayList<>();

    private int decode(byte[] datagram) {
        return SflowFixtures.decode(decoder, datagram, NOW, flows::add);
    }

    private ExporterStats onlyStats() {
        assertThat(decoder.stats()).hasSize(1);
        return decoder.stats().iterator().next();
    }

    @Test
    void flowSample_ethernetTcpSyn_deliversScaledFlow() {
        int n = decode(SflowFixtures.synDatagram(1, 1));

        assertThat(n).isEqualTo(1);
        assertThat(anomalies.nonZero()).isEmpty();
        Flow f = flows.get(0);
        assertThat(f.source()).isEqualTo(ExportedFlow.Source.sflow5);
        assertThat(f.ipVersion()).isEqualTo(4);
        assertThat(f.srcLo()).isEqualTo(v4("10.0.0.2"));
        assertThat(f.dstLo()).isEqualTo(v4("10.0.0.1"));
        assertThat(f.srcPort()).isEqualTo(40000);
        assertThat(f.dstPort()).isEqualTo(23);
        assertThat(f.protocol()).isEqualTo(6);
        assertThat(f.tcpFlags()).isEqualTo(0x02);
        assertThat(f.packets()).isEqualTo(100);
        // 40-byte IP packet, not 64 - 14 - 4 = 46: the frame carries 6 bytes of Ethernet padding.
        assertThat(f.bytes()).isEqualTo(40 * 100);
        assertThat(f.samplingRate()).isEqualTo(100);
        assertThat(f.startNanos()).isEqualTo(NOW);
        assertThat(f.endNanos()).isEqualTo(NOW);
        assertThat(f.exportNanos()).isEqualTo(NOW);
        assertThat(f.exporterHi()).isZero();
        assertThat(f.exporterLo()).isEqualTo(v4(AGENT));
        assertThat(f.domain()).isEqualTo(SUB_AGENT << 32 | 7);
        ExporterStats s = onlyStats();
        assertThat(s.exporter).isEqualTo(AGENT + "/" + SUB_AGENT);
        assertThat(s.source).isEqualTo(ExportedFlow.Source.sflow5);
        assertThat(s.packets).isEqualTo(1);
        assertThat(s.records).isEqualTo(1);
        assertThat(s.malformed).isZero();
        assertThat(s.firstNanos).isEqualTo(NOW);
    }

    @Test
    void expandedFlowSample_ipv6AgentAndHeader_deliversIpv6Flow() {
        Xdr x = new Xdr()
                .u32(5)                                     // version
                .u32(2)                                     // agent address type: IPv6
                .ip("20010db80000000000000000000000aa")     // agent 2001:db8::aa
                .u32(0)                                     // sub_agent_id
                .u32(1)                                     // sequence_number
                .u32(5000)                                  // uptime ms
                .u32(1);                                    // samples
        x.u32(3).open()                                     // flow_sample_expanded; length
                .u32(1)                                     // sequence_number
                .u32(0)                                     // source_id type: ifIndex
                .u32(0x0100_0005L)                          // source_id index (expanded: 32 bits)
                .u32(1)                                     // sampling_rate
                .u32(1)                                     // sample_pool
                .u32(0)                                     // drops
                .u32(0).u32(5)                              // input: format 0, ifIndex 5
                .u32(0).u32(0)                              // output: format 0, unknown
                .u32(1);                                    // number of flow records
        rawHeader(x, 12, 56, 0, IPV6_UDP);                  // raw IPv6, whole packet
        decode(x.close().bytes());

        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(flows).hasSize(1);
        Flow f = flows.get(0);
        assertThat(f.ipVersion()).isEqualTo(6);
        assertThat(f.srcHi()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(f.srcLo()).isEqualTo(2);
        assertThat(f.dstLo()).isEqualTo(1);
        assertThat(f.srcPort()).isEqualTo(5683);
        assertThat(f.dstPort()).isEqualTo(5683);
        assertThat(f.protocol()).isEqualTo(17);
        assertThat(f.packets()).isEqualTo(1);
        assertThat(f.bytes()).isEqualTo(56);
        assertThat(f.exporterHi()).isEqualTo(0x2001_0db8_0000_0000L);
        assertThat(f.exporterLo()).isEqualTo(0xaa);
        // The domain keeps the source id's 24-bit index, as in the compact form.
        assertThat(f.domain()).isEqualTo(5);
        assertThat(onlyStats().exporter).isEqualTo("2001:db8::aa/0");
    }

    @Test
    void counterSample_betweenFlowSamples_countedAndSkipped() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 3);
        flowSample(x, 1, 7, 100, ETHERNET_TCP_SYN, 64);
        counterSample(x, 1, 7);
        flowSample(x, 2, 7, 100, ETHERNET_TCP_SYN, 64);

        assertThat(decode(x.bytes())).isEqualTo(2);
        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(onlyStats().counterSamples).isEqualTo(1);
        assertThat(onlyStats().records).isEqualTo(2);
    }

    @Test
    void sampledIpv4Record_withoutRawHeader_deliversFlow() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 1);
        x.u32(1).open()                                     // flow_sample; length
                .u32(1).u32(7)                              // sequence, source_id
                .u32(512).u32(512).u32(0)                   // sampling_rate, sample_pool, drops
                .u32(7).u32(0)                              // input, output
                .u32(1);                                    // records
        x.u32(3).open()                                     // sampled_ipv4; length
                .u32(1500)                                  // IP packet length
                .u32(17)                                    // protocol UDP
                .ip("192.168.1.9").ip("8.8.8.8")            // src, dst
                .u32(53000).u32(53)                         // ports
                .u32(0)                                     // tcp_flags
                .u32(0)                                     // tos
                .close();
        decode(x.close().bytes());

        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.srcLo()).isEqualTo(v4("192.168.1.9"));
            assertThat(f.dstLo()).isEqualTo(v4("8.8.8.8"));
            assertThat(f.dstPort()).isEqualTo(53);
            assertThat(f.protocol()).isEqualTo(17);
            assertThat(f.packets()).isEqualTo(512);
            assertThat(f.bytes()).isEqualTo(1500L * 512);
        });
    }

    @Test
    void rawHeader_notIp_countedUndecodableUnlessSampledIpFollows() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 2);
        flowSample(x, 1, 7, 1, ETHERNET_ARP, 46);           // ARP only: nothing to deliver
        x.u32(1).open()
                .u32(2).u32(7).u32(1).u32(2).u32(0).u32(7).u32(0)
                .u32(2);                                    // ARP header, then sampled_ipv4
        rawHeader(x, 1, 46, 4, ETHERNET_ARP);
        x.u32(3).open()
                .u32(28).u32(1).ip("10.0.0.2").ip("10.0.0.1").u32(8).u32(0).u32(0).u32(0)
                .close();
        decode(x.close().bytes());

        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_header_undecodable, 1L));
        assertThat(flows).singleElement().satisfies(f -> {
            assertThat(f.protocol()).isEqualTo(1);
            assertThat(f.bytes()).isEqualTo(28);
        });
        assertThat(onlyStats().malformed).isZero();
    }

    @Test
    void unknownSamplesAndRecords_skippedByLength() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 3);
        x.u32(4413L << 12 | 1).open()                       // enterprise 4413's sample 1
                .u32(0xdead_beefL).u32(1).u32(2)
                .close();
        x.u32(9).open().u32(1).close();                     // standard sample format 9 (none yet)
        x.u32(1).open()
                .u32(1).u32(7).u32(10).u32(10).u32(0).u32(7).u32(0)
                .u32(4);                                    // four records
        x.u32(1002).open().u32(4).ip("10.0.0.254").u32(24).u32(24).close(); // extended_router
        x.u32(4300L << 12 | 7).open().raw(new byte[12]).close();           // another enterprise
        x.u32(2100).open().u32(5).close();                                  // unknown standard
        rawHeader(x, 1, 64, 4, ETHERNET_TCP_SYN);
        decode(x.close().bytes());

        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(flows).singleElement().extracting(Flow::dstPort).isEqualTo(23);
    }

    @Test
    void datagram_truncatedAtEveryLength_deliversCompleteSamplesOnly() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 3);
        flowSample(x, 1, 7, 100, ETHERNET_TCP_SYN, 64);
        int firstEnd = x.size();
        counterSample(x, 1, 7);
        flowSample(x, 2, 7, 100, ETHERNET_TCP_SYN, 64);
        byte[] whole = x.bytes();

        for (int cut = 0; cut < whole.length; cut++) {
            AnomalyCounters a = new AnomalyCounters();
            decoder = new SflowDecoder(a);
            flows.clear();
            int n = SflowFixtures.decode(decoder, Arrays.copyOf(whole, cut), NOW, flows::add);

            int complete = cut >= firstEnd ? 1 : 0;
            assertThat(n).as("cut at %d", cut).isEqualTo(complete);
            assertThat(flows).as("cut at %d", cut).hasSize(complete);
            assertThat(a.nonZero()).as("cut at %d", cut).containsExactly(Map.entry(Anomaly.sflow_truncated, 1L));
            if (cut >= 28) {
                assertThat(onlyStats().malformed).as("cut at %d", cut).isEqualTo(1);
            }
        }
    }

    @Test
    void sampleCount_absurd_stopsAtEndOfDatagram() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 0xffff_ffffL);
        flowSample(x, 1, 7, 100, ETHERNET_TCP_SYN, 64);

        assertThat(decode(x.bytes())).isEqualTo(1);
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_truncated, 1L));
    }

    @Test
    void sampleCount_overLimit_readsOnlyTheLimit() {
        decoder = new SflowDecoder(new SflowLimits(4, 4, 2), anomalies);
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 3);
        for (int i = 1; i <= 3; i++) {
            flowSample(x, i, 7, 100, ETHERNET_TCP_SYN, 64);
        }

        assertThat(decode(x.bytes())).isEqualTo(2);
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_sample_invalid, 1L));
    }

    @Test
    void sampleLength_beyondDatagram_countedTruncated() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 1)
                .u32(1).u32(0x7fff_ffffL)                   // flow_sample claiming 2 GB
                .u32(1).u32(7).u32(1);

        assertThat(decode(x.bytes())).isZero();
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_truncated, 1L));
    }

    @Test
    void recordDamage_staysInsideItsSample() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 5);
        x.u32(1).open()                                     // record longer than its sample
                .u32(1).u32(7).u32(1).u32(1).u32(0).u32(7).u32(0).u32(1)
                .u32(1).u32(0x7fff_fff0L).u32(1).u32(64)
                .close();
        x.u32(1).open()                                     // absurd record count
                .u32(2).u32(7).u32(1).u32(2).u32(0).u32(7).u32(0).u32(0xffff_ffffL)
                .u32(1001).u32(0)
                .close();
        x.u32(1).open()                                     // header length beyond its record
                .u32(3).u32(7).u32(1).u32(3).u32(0).u32(7).u32(0).u32(1)
                .u32(1).open().u32(1).u32(64).u32(4).u32(1000).raw(new byte[8]).close()
                .close();
        x.u32(1).open()                                     // sampling rate 0
                .u32(4).u32(7).u32(0).u32(4).u32(0).u32(7).u32(0).u32(0)
                .close();
        flowSample(x, 5, 7, 100, ETHERNET_TCP_SYN, 64);     // intact

        assertThat(decode(x.bytes())).isEqualTo(1);
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_sample_invalid, 4L));
        assertThat(onlyStats().malformed).isEqualTo(1);
    }

    @Test
    void flowSample_shorterThanItsFixedFields_countedInvalid() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 2);
        x.u32(1).open().u32(1).u32(7).u32(1).close();       // 12 of 32 bytes
        x.u32(3).open().raw(new byte[40]).close();          // 40 of 44 bytes

        assertThat(decode(x.bytes())).isZero();
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.sflow_sample_invalid, 2L));
    }

    @Test
    void version_notFive_countedUnknownAndNothingDelivered() {
        byte[] d = SflowFixtures.synDatagram(1, 1);
        byte[] v4 = d.clone();
        v4[3] = 4;
        byte[] badAddress = d.clone();
        badAddress[7] = 3;

        assertThat(decode(v4)).isZero();
        assertThat(decode(badAddress)).isZero();
        assertThat(decode(new byte[] {0, 0, 0, 9, 0})).isZero();
        assertThat(anomalies.nonZero()).containsExactly(Map.entry(Anomaly.export_version_unknown, 3L));
        assertThat(decoder.stats()).isEmpty();
    }

    @Test
    void decode_reusedFlowObject_leaksNoFieldsBetweenSamples() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 2);
        flowSample(x, 1, 7, 100, ETHERNET_TCP_SYN, 64);
        x.u32(1).open()
                .u32(2).u32(7).u32(1).u32(101).u32(0).u32(7).u32(0).u32(1);
        x.u32(3).open()                                     // ICMP: no ports, no flags
                .u32(28).u32(1).ip("10.0.0.3").ip("10.0.0.4").u32(0).u32(0).u32(0).u32(0)
                .close();
        decode(x.close().bytes());

        assertThat(flows).hasSize(2);
        assertThat(flows.get(1).tcpFlags()).isZero();
        assertThat(flows.get(1).srcPort()).isZero();
        assertThat(flows.get(1).srcHi()).isZero();
    }
    @Test
    void samplingRateBeyondTwoToThe24_notBelieved() {
        // One forged sample at 1 in 2 billion would stand for 2 billion packets.
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 2);
        flowSample(x, 1, 7, (1L << 24) + 1, ETHERNET_TCP_SYN, 64);
        flowSample(x, 2, 7, 100, ETHERNET_TCP_SYN, 64);

        assertThat(decode(x.bytes())).isEqualTo(1);
        assertThat(anomalies.get(Anomaly.export_sampling_rate_implausible)).isEqualTo(1);
        assertThat(onlyStats().implausible).isEqualTo(1);
        assertThat(onlyStats().records).isEqualTo(1);
    }

    @Test
    void sampledIpv4OfImpossibleLength_notBelieved() {
        Xdr x = datagram(AGENT, SUB_AGENT, 1, 1000, 1);
        x.u32(1).open().u32(1).u32(7).u32(10).u32(10).u32(0).u32(7).u32(0).u32(1);
        x.u32(3).open()                 // sampled IPv4
                .u32(3_000_000_000L)    // length: no IP packet is 3 GB
                .u32(6).ip("10.0.0.2").ip("10.0.0.1").u32(40000).u32(23).u32(0x02).u32(0)
                .close();
        x.close();

        assertThat(decode(x.bytes())).isZero();
        assertThat(anomalies.get(Anomaly.export_record_size_implausible)).isEqualTo(1);
    }
}
