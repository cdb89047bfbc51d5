package io.bulwark.decode.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.netflow.ExportBytes.Flow;
import io.bulwark.decode.netflow.ExportBytes.Run;
import io.bulwark.flow.IpAddr;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NetflowV5Test {
    static final long SECS = 1_700_000_000L;
    static final long EXPORT_MS = SECS * 1000 + 500;

    /** Header: 2 records, sysUptime 100 s, export time SECS.5, engine 1/2, sequence {@code seq}. */
    static ExportBytes header(int count, long uptime, long seq, int sampling) {
        return new ExportBytes()
                .u16(5)                 // version
                .u16(count)             // count
                .u32(uptime)            // sysUptime, ms
                .u32(SECS)              // unix_secs
                .u32(500_000_000)       // unix_nsecs
                .u32(seq)               // flow_sequence: flows exported before this packet
                .u8(1).u8(2)            // engine_type, engine_id
                .u16(sampling);         // sampling mode (2 bits), interval (14 bits)
    }

    static ExportBytes tcpRecord(ExportBytes b, long first, long last) {
        return b.ip("10.0.0.1")        // srcaddr
                .ip("10.0.0.2")         // dstaddr
                .ip("0.0.0.0")          // nexthop
                .u16(1).u16(2)          // input, output ifIndex
                .u32(10)                // dPkts
                .u32(600)               // dOctets
                .u32(first)             // first, sysUptime ms
                .u32(last)              // last
                .u16(40000).u16(23)     // srcport, dstport
                .u8(0)                  // pad1
                .u8(0x12)               // tcp_flags SYN|ACK
                .u8(6)                  // prot TCP
                .u8(0)                  // tos
                .u16(0).u16(0)          // src_as, dst_as
                .u8(24).u8(24)          // src_mask, dst_mask
                .u16(0);                // pad2
    }

    static ExportBytes icmpRecord(ExportBytes b) {
        return b.ip("10.0.0.2").ip("10.0.0.1").ip("0.0.0.0")
                .u16(2).u16(1)
                .u32(1).u32(56)
                .u32(99_500).u32(99_500)
                .u16(0).u16(0x0301)     // ICMP: dstport = type 3 * 256 + code 1
                .u8(0).u8(0).u8(1).u8(0)
                .u16(0).u16(0).u8(0).u8(0).u16(0);
    }

    static byte[] twoRecords(long seq) {
        return icmpRecord(tcpRecord(header(2, 100_000, seq, 0), 90_000, 99_000)).bytes();
    }

    @Test
    void v5_twoRecords_decodedFieldByField() {
        Run r = new Run();

        assertThat(r.feed(twoRecords(1000))).isEqualTo(2);

        Flow tcp = r.flows.get(0);
        assertThat(tcp.source()).isEqualTo(ExportedFlow.Source.netflow5);
        assertThat(tcp.ipVersion()).isEqualTo(4);
        assertThat(tcp.src()).isEqualTo(IpAddr.parse("10.0.0.1"));
        assertThat(tcp.dst()).isEqualTo(IpAddr.parse("10.0.0.2"));
        assertThat(tcp.srcPort()).isEqualTo(40000);
        assertThat(tcp.dstPort()).isEqualTo(23);
        assertThat(tcp.protocol()).isEqualTo(6);
        assertThat(tcp.tcpFlags()).isEqualTo(0x12);
        assertThat(tcp.packets()).isEqualTo(10);
        assertThat(tcp.bytes()).isEqualTo(600);
        assertThat(tcp.startNanos()).isEqualTo((EXPORT_MS - 10_000) * 1_000_000L);
        assertThat(tcp.endNanos()).isEqualTo((EXPORT_MS - 1_000) * 1_000_000L);
        assertThat(tcp.samplingRate()).isEqualTo(1);
        assertThat(tcp.exporter()).isEqualTo(ExportBytes.EXPORTER);
        assertThat(tcp.domain()).isEqualTo(0x0102);
        assertThat(tcp.exportNanos()).isEqualTo(EXPORT_MS * 1_000_000L);
        Flow icmp = r.flows.get(1);
        assertThat(icmp.protocol()).isEqualTo(1);
        assertThat(icmp.srcPort()).as("ICMP type").isEqualTo(3);
        assertThat(icmp.dstPort()).as("ICMP code").isEqualTo(1);
        assertThat(r.anomalies.total()).isZero();
        assertThat(r.stats().packets).isEqualTo(1);
        assertThat(r.stats().records).isEqualTo(2);
        assertThat(r.stats().source).isEqualTo(ExportedFlow.Source.netflow5);
    }

    @Test
    void v5_samplingInterval_scalesCounts() {
        Run r = new Run();
        // mode 01 (deterministic) in the top two bits, interval 100
        r.feed(tcpRecord(header(1, 100_000, 0, 0x4000 | 100), 90_000, 99_000).bytes());

        assertThat(r.flows).singleElement().satisfies(f -> {
            assertThat(f.samplingRate()).isEqualTo(100);
            assertThat(f.packets()).isEqualTo(1000);
            assertThat(f.bytes()).isEqualTo(60_000);
        });
    }

    @Test
    void v5_uptimeWrapped_flowBeforeWrapKeepsItsTime() {
        Run r = new Run();
        // The header's sysUptime wrapped to 5 s; the flow began 10 s earlier, before the wrap.
        long first = (1L << 32) - 5_000;
        r.feed(tcpRecord(header(1, 5_000, 0, 0), first, 4_000).bytes());

        assertThat(r.flows.get(0).startNanos()).isEqualTo((EXPORT_MS - 10_000) * 1_000_000L);
        assertThat(r.flows.get(0).endNanos()).isEqualTo((EXPORT_MS - 1_000) * 1_000_000L);
    }

    @Test
    void v5_truncatedAtEveryLength_neverThrowsAndDeliversCompleteRecords() {
        byte[] whole = twoRecords(0);
        for (int cut = 0; cut < whole.length; cut++) {
            Run r = new Run();
            int n = r.feed(Arrays.copyOf(whole, cut));
            int complete = cut < 24 ? 0 : Math.min(2, (cut - 24) / 48);
            assertThat(n).as("cut at %d", cut).isEqualTo(complete);
            assertThat(r.anomalies.get(Anomaly.export_truncated)).as("cut at %d", cut).isEqualTo(1);
        }
    }

    @Test
    void v5_absurdCount_countedAndOnlyPresentRecordsDecoded() {
        byte[] b = ExportBytes.put16(twoRecords(0), 2, 65_535);
        Run r = new Run();

        assertThat(r.feed(b)).isEqualTo(2);
        assertThat(r.anomalies.get(Anomaly.export_count_mismatch)).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_truncated)).isEqualTo(1);
        assertThat(r.stats().malformed).isEqualTo(1);
    }

    @Test
    void v5_sequenceWrapsAround_notAGap() {
        Run r = new Run();
        r.feed(twoRecords(0xffff_fffeL)); // 2 flows: the next packet starts at 0
        r.feed(twoRecords(0));
        r.feed(twoRecords(2));

        assertThat(r.stats().sequenceGaps).isZero();
        assertThat(r.anomalies.get(Anomaly.export_sequence_gap)).isZero();
    }

    @Test
    void v5_lostPacket_countedAsGapOfItsFlows() {
        Run r = new Run();
        r.feed(twoRecords(10));
        r.feed(twoRecords(16)); // 12 and 14 were lost: 4 flows

        assertThat(r.stats().sequenceGaps).isEqualTo(4);
        assertThat(r.anomalies.get(Anomaly.export_sequence_gap)).isEqualTo(1);
    }

    @Test
    void v5_reorderedPacket_refillsTheGap() {
        Run r = new Run();
        r.feed(twoRecords(10));
        r.feed(twoRecords(14)); // 12 arrives late
        r.feed(twoRecords(12));
        r.feed(twoRecords(16));

        assertThat(r.stats().sequenceGaps).isZero();
        assertThat(r.flows).hasSize(8);
    }

    @Test
    void v5_moreBytesThanTheCountSays_notBelievedAtAll() {
        byte[] whole = twoRecords(0);
        byte[] longer = Arrays.copyOf(whole, whole.length + 48);
        Run r = new Run();

        assertThat(r.feed(longer)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_count_mismatch)).isEqualTo(1);
        assertThat(r.stats().malformed).isEqualTo(1);
        assertThat(r.feed(Arrays.copyOf(whole, whole.length + 1))).isZero();
    }

    @Test
    void v5_headerNanosecondsOfASecondOrMore_notBelieved() {
        byte[] b = twoRecords(0);
        java.nio.ByteBuffer.wrap(b).putInt(12, 1_000_000_000);
        Run r = new Run();

        assertThat(r.feed(b)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_header_invalid)).isEqualTo(1);
        assertThat(r.stats().malformed).isEqualTo(1);
    }

    @Test
    void v5_prefixMaskAbove32_recordDroppedOthersKept() {
        byte[] b = twoRecords(0);
        b[24 + 44] = 33;        // the first record's src_mask
        Run r = new Run();

        assertThat(r.feed(b)).isEqualTo(1);
        assertThat(r.flows.get(0).protocol()).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_record_fields_invalid)).isEqualTo(1);
        assertThat(r.stats().implausible).isEqualTo(1);
        assertThat(r.stats().records).isEqualTo(1);
    }

    @Test
    void v5_recordNoLinkCouldCarry_countedAndDropped() {
        // Issue 26: one v5 record claimed 2,130,569,217 packets, and became a high-severity
        // ddos_target. In 32-bit octets that is at most two bytes a packet.
        byte[] b = twoRecords(0);
        java.nio.ByteBuffer.wrap(b).putInt(24 + 16, 2_130_569_217)   // dPkts
                .putInt(24 + 20, -1);                                 // dOctets 4,294,967,295
        Run r = new Run();

        assertThat(r.feed(b)).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_record_size_implausible)).isEqualTo(1);
        assertThat(r.stats().implausible).isEqualTo(1);
        assertThat(r.stats().malformed).as("the datagram itself is whole").isZero();

        // 100 million 40-byte packets within one millisecond: 100 Gb/s carries 148,810.
        java.nio.ByteBuffer.wrap(b).putInt(24 + 16, 100_000_000).putInt(24 + 20, (int) 4_000_000_000L)
                .putInt(24 + 24, 99_000);                             // first = last
        assertThat(r.feed(b)).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_record_rate_implausible)).isEqualTo(1);
        assertThat(r.stats().implausible).isEqualTo(2);
    }

    @Test
    void v5_recordEndingAfterItsExport_countedAndDropped() {
        Run r = new Run();
        // last = 10 minutes past the header's sysUptime
        r.feed(tcpRecord(header(1, 100_000, 0, 0), 90_000, 700_000).bytes());

        assertThat(r.flows).isEmpty();
        assertThat(r.anomalies.get(Anomaly.export_record_time_implausible)).isEqualTo(1);
    }

    @Test
    void v5_unknownVersion_countedNothingDelivered() {
        Run r = new Run();
        byte[] b = ExportBytes.put16(twoRecords(0), 0, 7);

        assertThat(r.feed(b)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_version_unknown)).isEqualTo(1);
        assertThat(r.decoder.stats()).isEmpty();
    }
}
