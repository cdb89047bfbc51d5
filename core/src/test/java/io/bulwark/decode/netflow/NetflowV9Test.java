package io.bulwark.decode.netflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.netflow.ExportBytes.Flow;
import io.bulwark.decode.netflow.ExportBytes.Run;
import io.bulwark.flow.IpAddr;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NetflowV9Test {
    static final long SECS = 1_700_000_000L;

    static ExportBytes header(int count, long uptime, long seq) {
        return new ExportBytes()
                .u16(9)                 // version
                .u16(count)             // count: records of all kinds
                .u32(uptime)            // sysUptime, ms
                .u32(SECS)              // unix_secs
                .u32(seq)               // sequence: export packets
                .u32(7);                // source id
    }

    /** Template flowset: template 256, 10 fields, 30-byte records (softflowd's minus interfaces). */
    static ExportBytes template(ExportBytes b) {
        return b.u16(0).u16(4 + 4 + 10 * 4) // flowset id 0, length 48
                .u16(256).u16(10)       // template id, field count
                .u16(8).u16(4)          // IPV4_SRC_ADDR
                .u16(12).u16(4)         // IPV4_DST_ADDR
                .u16(7).u16(2)          // L4_SRC_PORT
                .u16(11).u16(2)         // L4_DST_PORT
                .u16(4).u16(1)          // PROTOCOL
                .u16(6).u16(1)          // TCP_FLAGS
                .u16(2).u16(4)          // IN_PKTS (reduced size: 4 of 8 bytes)
                .u16(1).u16(4)          // IN_BYTES
                .u16(22).u16(4)         // FIRST_SWITCHED, sysUptime ms
                .u16(21).u16(4);        // LAST_SWITCHED
    }

    /** Options template flowset: template 257, scope System, options samplingInterval and algorithm. */
    static ExportBytes optionsTemplate(ExportBytes b) {
        return b.u16(1).u16(24)         // flowset id 1, length 24 (2 bytes padding)
                .u16(257)               // template id
                .u16(4)                 // option scope length, bytes
                .u16(8)                 // option length, bytes
                .u16(1).u16(4)          // scope: System (scope types are not IEs: 1 is not octets)
                .u16(34).u16(4)         // SAMPLING_INTERVAL
                .u16(35).u16(1)         // SAMPLING_ALGORITHM
                .u16(0);                // padding
    }

    static ExportBytes optionsData(ExportBytes b, int interval) {
        return b.u16(257).u16(16)       // data flowset of template 257, length 16
                .u32(0)                 // scope: system 0
                .u32(interval)          // 1 in N
                .u8(1)                  // deterministic
                .zeros(3);              // padding
    }

    static ExportBytes data(ExportBytes b, long first) {
        return b.u16(256).u16(4 + 2 * 30 + 2) // data flowset of template 256, two records, 2 padding
                .ip("10.0.0.1").ip("10.0.0.2").u16(40000).u16(23).u8(6).u8(0x02)
                .u32(3).u32(180).u32(first).u32(99_000)
                .ip("10.0.0.2").ip("10.0.0.9").u16(0).u16(0x0800).u8(1).u8(0) // ICMP echo request, no IE 32
                .u32(1).u32(84).u32(99_000).u32(99_000)
                .u16(0);
    }

    static byte[] full(long seq, int interval) {
        return data(optionsData(optionsTemplate(template(header(5, 100_000, seq))), interval), 90_000).bytes();
    }

    @Test
    void v9_templateOptionsAndData_decodedWithSamplingApplied() {
        Run r = new Run();

        assertThat(r.feed(full(1, 10))).isEqualTo(2);

        Flow tcp = r.flows.get(0);
        assertThat(tcp.source()).isEqualTo(ExportedFlow.Source.netflow9);
        assertThat(tcp.src()).isEqualTo(IpAddr.parse("10.0.0.1"));
        assertThat(tcp.dst()).isEqualTo(IpAddr.parse("10.0.0.2"));
        assertThat(tcp.srcPort()).isEqualTo(40000);
        assertThat(tcp.dstPort()).isEqualTo(23);
        assertThat(tcp.protocol()).isEqualTo(6);
        assertThat(tcp.tcpFlags()).isEqualTo(2);
        assertThat(tcp.samplingRate()).isEqualTo(10);
        assertThat(tcp.packets()).isEqualTo(30);
        assertThat(tcp.bytes()).isEqualTo(1800);
        assertThat(tcp.startNanos()).isEqualTo((SECS * 1000 - 10_000) * 1_000_000L);
        assertThat(tcp.endNanos()).isEqualTo((SECS * 1000 - 1_000) * 1_000_000L);
        assertThat(tcp.domain()).isEqualTo(7);
        assertThat(tcp.exportNanos()).isEqualTo(SECS * 1_000_000_000L);
        Flow icmp = r.flows.get(1);
        assertThat(icmp.srcPort()).as("ICMP type").isEqualTo(8);
        assertThat(icmp.dstPort()).as("ICMP code").isZero();
        assertThat(r.anomalies.total()).isZero();
        assertThat(r.stats().records).isEqualTo(2);
        assertThat(r.decoder.templateCount()).isEqualTo(2);
    }

    @Test
    void v9_samplersAnnouncedByOptions_eachRecordScaledByItsSampler() {
        byte[] b = header(6, 100_000, 1)
                .u16(1).u16(4 + 6 + 4 + 8 + 2) // options template flowset
                .u16(260).u16(4).u16(8) // template 260: scope 4 bytes, options 8 bytes
                .u16(1).u16(4)          // scope System
                .u16(48).u16(1)         // FLOW_SAMPLER_ID
                .u16(34).u16(4)         // SAMPLING_INTERVAL
                .u16(0)
                .u16(260).u16(4 + 2 * 9 + 2) // two sampler records, 2 bytes padding
                .u32(0).u8(1).u32(100)  // sampler 1: 1 in 100
                .u32(0).u8(2).u32(1000) // sampler 2: 1 in 1000
                .u16(0)
                .u16(0).u16(4 + 4 + 6 * 4) // template flowset
                .u16(261).u16(6)
                .u16(8).u16(4).u16(12).u16(4).u16(4).u16(1).u16(2).u16(4).u16(1).u16(4)
                .u16(48).u16(1)         // FLOW_SAMPLER_ID of the record
                .u16(261).u16(4 + 2 * 18)
                .ip("10.0.0.1").ip("10.0.0.2").u8(17).u32(1).u32(60).u8(2)
                .ip("10.0.0.3").ip("10.0.0.4").u8(17).u32(1).u32(60).u8(1)
                .bytes();
        Run r = new Run();
        r.feed(b);

        assertThat(r.flows).extracting(Flow::samplingRate).containsExactly(1000, 100);
        assertThat(r.flows).extracting(Flow::packets).containsExactly(1000L, 100L);
        assertThat(r.anomalies.total()).isZero();
    }

    @Test
    void v9_templateRefreshedUnchanged_keepsOneTemplate() {
        Run r = new Run();
        r.feed(full(1, 1));
        r.feed(full(2, 1));

        assertThat(r.flows).hasSize(4);
        assertThat(r.decoder.templateCount()).isEqualTo(2);
        assertThat(r.stats().sequenceGaps).isZero();
    }

    @Test
    void v9_uptimeWrappedBetweenFlowAndExport_startBeforeExport() {
        Run r = new Run();
        // Header sysUptime wrapped to 1 s; the flow started 3 s before the wrap.
        byte[] b = data(template(header(3, 1_000, 1)), (1L << 32) - 3_000).bytes();
        r.feed(b);

        assertThat(r.flows.get(0).startNanos()).isEqualTo((SECS * 1000 - 4_000) * 1_000_000L);
    }

    @Test
    void v9_dataBeforeTemplate_replayedWhenTemplateArrives() {
        Run r = new Run();

        assertThat(r.feed(data(header(2, 100_000, 1), 90_000).bytes())).isZero();
        assertThat(r.decoder.pendingSets()).isEqualTo(1);
        assertThat(r.feed(template(header(1, 100_500, 2)).bytes())).isEqualTo(2);

        assertThat(r.flows).extracting(Flow::dstPort).containsExactly(23, 0);
        // Decoded with its own header's time, not the template packet's.
        assertThat(r.flows.get(0).startNanos()).isEqualTo((SECS * 1000 - 10_000) * 1_000_000L);
        assertThat(r.decoder.pendingSets()).isZero();
        assertThat(r.decoder.pendingBytes()).isZero();
        assertThat(r.anomalies.total()).isZero();
        assertThat(r.stats().templateMisses).isZero();
    }

    @Test
    void v9_templateNeverArrives_countedAsMissWhenPendingExpires() {
        Run r = new Run();
        r.feed(data(header(2, 100_000, 1), 90_000).bytes());
        byte[] later = header(0, 200_000, 2).bytes();
        ExportBytes.put16(later, 8, (int) ((SECS + 61) >>> 16)); // unix_secs + 61 s
        ExportBytes.put16(later, 10, (int) (SECS + 61));
        r.feed(later);

        assertThat(r.decoder.pendingSets()).isZero();
        assertThat(r.anomalies.get(Anomaly.export_template_missing)).isEqualTo(1);
        assertThat(r.stats().templateMisses).isEqualTo(1);
    }

    @Test
    void v9_lostPacket_countedAsGapOfOnePacket() {
        Run r = new Run();
        r.feed(full(1, 1));
        r.feed(full(2, 1));
        r.feed(full(5, 1));

        assertThat(r.stats().sequenceGaps).isEqualTo(2);
        assertThat(r.anomalies.get(Anomaly.export_sequence_gap)).isEqualTo(1);
    }

    @Test
    void v9_sequenceWrapsAround_notAGap() {
        Run r = new Run();
        r.feed(full(0xffff_ffffL, 1));
        r.feed(full(0, 1));

        assertThat(r.stats().sequenceGaps).isZero();
    }

    @Test
    void v9_truncatedAtEveryLength_neverThrowsAndDeliversOnlyWholeSets() {
        byte[] whole = full(1, 1);
        for (int cut = 0; cut < whole.length; cut++) {
            Run r = new Run();
            int n = r.feed(Arrays.copyOf(whole, cut));
            assertThat(n).as("cut at %d", cut).isZero();
            boolean onSetBoundary = cut == 20 || cut == 68 || cut == 92 || cut == 108;
            assertThat(r.anomalies.total()).as("cut at %d", cut).isEqualTo(onSetBoundary ? 0 : 1);
        }
    }

    @Test
    void v9_zeroLengthField_templateIgnored() {
        byte[] b = data(template(header(3, 100_000, 1)), 90_000).bytes();
        ExportBytes.put16(b, 20 + 8 + 2, 0); // IPV4_SRC_ADDR length 0
        Run r = new Run();

        assertThat(r.feed(b)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_template_invalid)).isEqualTo(1);
        assertThat(r.decoder.templateCount()).isZero();
        assertThat(r.stats().malformed).isEqualTo(1);
    }

    @Test
    void v9_fieldCountBeyondSet_templateIgnoredSetEnds() {
        byte[] b = data(template(header(3, 100_000, 1)), 90_000).bytes();
        ExportBytes.put16(b, 20 + 6, 60_000); // field count 60000 in a 48-byte set
        Run r = new Run();

        assertThat(r.feed(b)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_template_invalid)).isEqualTo(1);
        assertThat(r.decoder.templateCount()).isZero();
    }

    @Test
    void v9_setLengthZeroOrBeyondDatagram_stopsButKeepsEarlierRecords() {
        for (int badLength : new int[] {0, 2, 65_535}) {
            byte[] b = new ExportBytes().bytes(data(template(header(3, 100_000, 1)), 90_000).bytes())
                    .u16(256).u16(badLength).zeros(30).bytes();
            Run r = new Run();

            assertThat(r.feed(b)).as("set length %d", badLength).isEqualTo(2);
            assertThat(r.anomalies.get(Anomaly.export_set_invalid)).isEqualTo(1);
        }
    }
}
