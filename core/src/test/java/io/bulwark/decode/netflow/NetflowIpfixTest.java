package io.bulwark.decode.netflow;

import static io.bulwark.decode.netflow.IpfixFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.netflow.ExportBytes.Flow;
import io.bulwark.decode.netflow.ExportBytes.Run;
import io.bulwark.flow.IpAddr;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class NetflowIpfixTest {
    private static final long NS = 1_000_000_000L;

    @Test
    void ipfix_threeTemplatesAndData_decodedFieldByField() {
        Run r = new Run();

        assertThat(r.feed(templatesAndData(0))).isEqualTo(4);

        Flow v4 = r.flows.get(0);
        assertThat(v4.source()).isEqualTo(ExportedFlow.Source.ipfix);
        assertThat(v4.src()).isEqualTo(IpAddr.parse("10.1.1.1"));
        assertThat(v4.dst()).isEqualTo(IpAddr.parse("10.1.1.2"));
        assertThat(v4.srcPort()).isEqualTo(50000);
        assertThat(v4.dstPort()).isEqualTo(80);
        assertThat(v4.tcpFlags()).isEqualTo(0x18);
        assertThat(v4.bytes()).isEqualTo(1500);
        assertThat(v4.packets()).isEqualTo(3);
        assertThat(v4.startNanos()).isEqualTo(SECS * NS - 2 * NS);
        assertThat(v4.endNanos()).isEqualTo(SECS * NS - NS / 2);
        assertThat(v4.domain()).isEqualTo(DOMAIN);
        assertThat(v4.exportNanos()).isEqualTo(SECS * NS);
        assertThat(v4.reversePackets()).isZero();

        Flow v6 = r.flows.get(1);
        assertThat(v6.ipVersion()).isEqualTo(6);
        assertThat(v6.src()).isEqualTo(IpAddr.parse("2001:db8::1"));
        assertThat(v6.dst()).isEqualTo(IpAddr.parse("2001:db8::2"));
        assertThat(v6.protocol()).isEqualTo(58);
        assertThat(v6.srcPort()).as("ICMPv6 type").isEqualTo(128);
        assertThat(v6.dstPort()).as("ICMPv6 code").isZero();
        assertThat(v6.packets()).isEqualTo(1);
        assertThat(v6.bytes()).isEqualTo(104);
        assertThat(v6.startNanos()).isEqualTo(SECS * NS + NS / 2);
        assertThat(v6.endNanos()).isEqualTo(SECS * NS + NS);
        Flow v6Long = r.flows.get(2);
        assertThat(v6Long.srcPort()).as("record after a 300-byte variable field").isEqualTo(129);
        assertThat(v6Long.bytes()).isEqualTo(104);

        Flow bi = r.flows.get(3);
        assertThat(bi.protocol()).isEqualTo(17);
        assertThat(bi.bytes()).isEqualTo(100);
        assertThat(bi.packets()).isEqualTo(2);
        assertThat(bi.reverseBytes()).isEqualTo(300);
        assertThat(bi.reversePackets()).isEqualTo(2);
        assertThat(bi.startNanos()).isEqualTo((SECS - 10) * NS);
        assertThat(bi.endNanos()).isEqualTo((SECS - 9) * NS);

        assertThat(r.anomalies.total()).isZero();
        assertThat(r.decoder.templateCount()).isEqualTo(3);
        assertThat(r.stats().records).isEqualTo(4);
    }

    @Test
    void ipfix_optionsTemplate_samplingAndSystemInitTimeApplied() {
        Run r = new Run();

        assertThat(r.feed(optionsAndUptimeData(0))).isEqualTo(1);

        Flow f = r.flows.get(0);
        assertThat(f.samplingRate()).isEqualTo(10);
        assertThat(f.packets()).isEqualTo(20);
        assertThat(f.bytes()).isEqualTo(2000);
        assertThat(f.startNanos()).isEqualTo(SECS * NS - 2 * NS);
        assertThat(f.endNanos()).isEqualTo(SECS * NS - NS);
        assertThat(r.anomalies.total()).isZero();
    }

    @Test
    void ipfix_samplingRemembered_appliesToLaterMessagesOfTheDomain() {
        Run r = new Run();
        r.feed(optionsAndUptimeData(0));
        r.feed(templatesAndData(2));

        assertThat(r.flows.get(1).samplingRate()).isEqualTo(10);
        assertThat(r.flows.get(1).bytes()).isEqualTo(15_000);
    }

    @Test
    void ipfix_recordCarriesItsOwnSamplingInterval_overridesTheDomainRate() {
        Run r = new Run();
        r.feed(optionsAndUptimeData(0)); // the domain samples 1 in 10
        byte[] m = done(header(SECS, 2)
                .u16(2).u16(4 + 4 + 6 * 4)
                .u16(310).u16(6)
                .u16(8).u16(4)          // sourceIPv4Address
                .u16(12).u16(4)         // destinationIPv4Address
                .u16(4).u16(1)          // protocolIdentifier
                .u16(2).u16(4)          // packetDeltaCount
                .u16(1).u16(4)          // octetDeltaCount
                .u16(34).u16(2)         // samplingInterval, reduced to 2 bytes
                .u16(310).u16(4 + 19)
                .ip("10.3.3.3").ip("10.3.3.4").u8(17).u32(5).u32(500).u16(100));
        r.feed(m);

        assertThat(r.flows.get(1).samplingRate()).isEqualTo(100);
        assertThat(r.flows.get(1).packets()).isEqualTo(500);
    }

    @Test
    void ipfix_dataTemplateWithoutAddresses_notDeliveredButCountedInSequence() {
        Run r = new Run();
        byte[] table = done(header(SECS, 0)
                .u16(2).u16(4 + 4 + 2 * 4)
                .u16(320).u16(2)
                .u16(10).u16(4)         // ingressInterface
                .u16(82).u16(65535)     // interfaceName: an interface table, not flows
                .u16(320).u16(4 + 4 + 1 + 4 + 3)
                .u32(1).u8(4).bytes("eth0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)).zeros(3));
        r.feed(table);
        r.feed(templatesAndData(1)); // the sequence counted the interface record

        assertThat(r.flows).hasSize(4);
        assertThat(r.anomalies.total()).isZero();
        assertThat(r.stats().records).isEqualTo(4);
    }

    @Test
    void ipfix_selectorIdAsScope_recordsScaledByTheirSelector() {
        byte[] m = done(header(SECS, 0)
                .u16(3).u16(4 + 6 + 2 * 4 + 2)
                .u16(410).u16(2).u16(1) // options template 410, 2 fields, 1 scope field
                .u16(302).u16(2)        // scope: selectorId, reduced to 2 bytes
                .u16(34).u16(4)         // samplingInterval
                .u16(0)
                .u16(410).u16(4 + 2 * 6)
                .u16(7).u32(64)         // selector 7: 1 in 64
                .u16(8).u32(2)          // selector 8: 1 in 2
                .u16(2).u16(4 + 4 + 6 * 4)
                .u16(311).u16(6)
                .u16(8).u16(4).u16(12).u16(4).u16(4).u16(1).u16(2).u16(4).u16(1).u16(4).u16(302).u16(2)
                .u16(311).u16(4 + 19)
                .ip("10.4.4.4").ip("10.4.4.5").u8(17).u32(3).u32(300).u16(7));
        Run r = new Run();
        r.feed(m);

        assertThat(r.flows).singleElement().satisfies(f -> {
            assertThat(f.samplingRate()).isEqualTo(64);
            assertThat(f.packets()).isEqualTo(192);
        });
    }

    @Test
    void ipfix_templateWithdrawn_laterDataWaitsForATemplate() {
        Run r = new Run();
        r.feed(templatesAndData(0));
        byte[] withdraw = done(header(SECS, 4)
                .u16(2).u16(8)          // template set, length 8
                .u16(300).u16(0));      // template 300, field count 0: withdrawn
        r.feed(withdraw);
        r.feed(done(data300(header(SECS, 4))));

        assertThat(r.decoder.templateCount()).isEqualTo(2);
        assertThat(r.flows).hasSize(4);
        assertThat(r.decoder.pendingSets()).isEqualTo(1);
        assertThat(r.anomalies.total()).isZero();
    }

    @Test
    void ipfix_withdrawAll_removesEveryTemplateOfTheDomain() {
        Run r = new Run();
        r.feed(optionsAndUptimeData(0));
        r.feed(templatesAndData(2));
        r.feed(done(header(SECS, 6).u16(2).u16(8).u16(2).u16(0))); // template id 2: all templates

        assertThat(r.decoder.templateCount()).as("the options template stays").isEqualTo(1);
        r.feed(done(header(SECS, 6).u16(3).u16(8).u16(3).u16(0))); // template id 3: all options templates
        assertThat(r.decoder.templateCount()).isZero();
        assertThat(r.anomalies.total()).isZero();
    }

    @Test
    void ipfix_withdrawUnknownTemplate_counted() {
        Run r = new Run();
        r.feed(done(header(SECS, 0).u16(2).u16(8).u16(999).u16(0)));

        assertThat(r.anomalies.get(Anomaly.export_template_withdrawn_unknown)).isEqualTo(1);
    }

    @Test
    void ipfix_templateRedefined_newLayoutUsed() {
        Run r = new Run();
        r.feed(templatesAndData(0));
        byte[] redefined = done(header(SECS, 4)
                .u16(2).u16(4 + 4 + 6 * 4)
                .u16(300).u16(6)        // template 300, now addresses, destination port and counts
                .u16(8).u16(4).u16(12).u16(4).u16(11).u16(2).u16(4).u16(1).u16(2).u16(4).u16(1).u16(4)
                .u16(300).u16(4 + 19 + 1)
                .ip("10.9.9.1").ip("10.9.9.9").u16(443).u8(6).u32(1).u32(40).u8(0));
        r.feed(redefined);

        assertThat(r.flows).hasSize(5);
        assertThat(r.flows.get(4).dst()).isEqualTo(IpAddr.parse("10.9.9.9"));
        assertThat(r.flows.get(4).dstPort()).isEqualTo(443);
        assertThat(r.decoder.templateCount()).isEqualTo(3);
    }

    @Test
    void ipfix_templateNotRefreshed_expiresAfterThirtyMinutesOfExportTime() {
        Run r = new Run();
        r.feed(templatesAndData(0));
        r.feed(done(data300(header(SECS + 1800, 4))));
        assertThat(r.flows).hasSize(5);
        r.feed(done(data300(header(SECS + 1801, 5))));

        assertThat(r.flows).hasSize(5);
        assertThat(r.decoder.pendingSets()).isEqualTo(1);
    }

    @Test
    void ipfix_dataBeforeTemplate_replayedOnTemplate() {
        Run r = new Run();
        r.feed(done(data302(data300(header(SECS, 0)))));
        assertThat(r.flows).isEmpty();

        assertThat(r.feed(done(template300(header(SECS, 2))))).isEqualTo(1);
        assertThat(r.feed(done(template302(header(SECS, 2))))).isEqualTo(1);
        assertThat(r.flows).extracting(Flow::dstPort).containsExactly(80, 53);
        assertThat(r.decoder.pendingSets()).isZero();
        assertThat(r.anomalies.total()).isZero();
    }

    @Test
    void ipfix_sequenceCountsDataRecords_wrapIsNotAGap() {
        Run r = new Run();
        r.feed(templatesAndData(0xffff_fffdL)); // 4 records: the next message starts at 1
        r.feed(templatesAndData(1));
        r.feed(templatesAndData(5));

        assertThat(r.stats().sequenceGaps).isZero();
        r.feed(templatesAndData(20));
        assertThat(r.stats().sequenceGaps).isEqualTo(11);
        assertThat(r.anomalies.get(Anomaly.export_sequence_gap)).isEqualTo(1);
    }

    @Test
    void ipfix_reorderedMessages_notAGap() {
        Run r = new Run();
        r.feed(templatesAndData(0));
        r.feed(templatesAndData(8));
        r.feed(templatesAndData(4)); // late
        r.feed(templatesAndData(12));

        assertThat(r.stats().sequenceGaps).isZero();
    }

    @Test
    void ipfix_truncatedAtEveryLength_neverThrowsAndDeliversRecordsOfWholeSets() {
        byte[] whole = templatesAndData(0);
        int templates = 16 + 48 + 52 + 72;
        int[] setEnds = {templates + 48, templates + 48 + 429, templates + 48 + 429 + 44};
        assertThat(setEnds[2]).isEqualTo(whole.length);
        for (int cut = 0; cut < whole.length; cut++) {
            Run r = new Run();
            int n = r.feed(Arrays.copyOf(whole, cut));
            int expected = cut >= setEnds[1] ? 3 : cut >= setEnds[0] ? 1 : 0;
            assertThat(n).as("cut at %d", cut).isEqualTo(expected);
            assertThat(r.anomalies.get(Anomaly.export_truncated)).as("cut at %d", cut).isEqualTo(1);
            if (cut >= 2) {
                assertThat(r.stats().malformed).isEqualTo(1);
            }
        }
    }

    @Test
    void ipfix_absurdTemplates_ignoredAndCounted() {
        byte[][] absurd = {
            // 40000 fields in a 12-byte set
            done(header(SECS, 0).u16(2).u16(12).u16(300).u16(40_000).u16(8).u16(4)),
            // a zero-length field
            done(header(SECS, 0).u16(2).u16(12).u16(300).u16(1).u16(8).u16(0)),
            // records of 3 x 65000 bytes: no datagram can carry one
            done(header(SECS, 0).u16(2).u16(20).u16(300).u16(3).u16(1).u16(65_000).u16(2).u16(65_000)
                    .u16(3).u16(65_000)),
            // template id below 256
            done(header(SECS, 0).u16(2).u16(12).u16(255).u16(1).u16(8).u16(4)),
            // options template with no scope field
            done(header(SECS, 0).u16(3).u16(14).u16(400).u16(1).u16(0).u16(8).u16(4).u16(0)),
            // enterprise bit set, enterprise number cut off by the set end
            done(header(SECS, 0).u16(2).u16(12).u16(300).u16(1).u16(0x8001).u16(4)),
        };
        for (byte[] m : absurd) {
            Run r = new Run();
            r.feed(m);
            assertThat(r.anomalies.get(Anomaly.export_template_invalid)).isEqualTo(1);
            assertThat(r.decoder.templateCount()).isZero();
        }
    }

    @Test
    void ipfix_zeroAndHugeSetLengths_stopTheMessageKeepingEarlierRecords() {
        for (int badLength : new int[] {0, 3, 65_535}) {
            byte[] m = done(data300(template300(header(SECS, 0))).u16(300).u16(badLength).zeros(48));
            Run r = new Run();

            assertThat(r.feed(m)).as("set length %d", badLength).isEqualTo(1);
            assertThat(r.anomalies.get(Anomaly.export_set_invalid)).isEqualTo(1);
        }
    }

    @Test
    void ipfix_variableFieldBeyondSet_recordInvalid() {
        byte[] m = done(template301(header(SECS, 0))
                .u16(301).u16(4 + 62)   // long enough for a record (59 bytes at least)...
                .ip("2001:db8::1").ip("2001:db8::2").u8(58).u16(0).u32(0)
                .u8(255).u16(300)       // ...but the variable field claims 300 bytes
                .zeros(20));
        Run r = new Run();

        assertThat(r.feed(m)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_record_invalid)).isEqualTo(1);
    }

    @Test
    void ipfix_messageLengthBelowHeader_truncated() {
        byte[] m = ExportBytes.put16(templatesAndData(0), 2, 8);
        Run r = new Run();

        assertThat(r.feed(m)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_truncated)).isEqualTo(1);
    }
    @Test
    void ipfix_templateWithOneAddress_recordsNotFlows() {
        byte[] m = done(header(SECS, 0)
                .u16(2).u16(4 + 4 + 4 * 4)
                .u16(320).u16(4)
                .u16(8).u16(4)          // sourceIPv4Address, and no destination
                .u16(4).u16(1).u16(2).u16(4).u16(1).u16(4)
                .u16(320).u16(4 + 13)
                .ip("10.5.5.5").u8(17).u32(1).u32(80));
        Run r = new Run();

        assertThat(r.feed(m)).isZero();
        assertThat(r.anomalies.get(Anomaly.export_record_fields_invalid)).isEqualTo(1);
        assertThat(r.stats().implausible).isEqualTo(1);
    }

    @Test
    void ipfix_recordWithoutTimes_isAnInstantOfTheExportSecond() {
        ExportBytes template = header(SECS, 0)
                .u16(2).u16(4 + 4 + 5 * 4)
                .u16(321).u16(5)
                .u16(8).u16(4).u16(12).u16(4).u16(4).u16(1).u16(2).u16(4).u16(1).u16(4)
                .u16(321).u16(4 + 2 * 17)
                // a second's worth of a busy link fits...
                .ip("10.6.6.6").ip("10.6.6.7").u8(17).u32(1_000_000).u32(100_000_000)
                // ...200 million packets in that second do not (100 Gb/s carries 148.8 million)
                .ip("10.6.6.6").ip("10.6.6.8").u8(17).u32(200_000_000).u32(4_000_000_000L);
        Run r = new Run();

        assertThat(r.feed(done(template))).isEqualTo(1);
        assertThat(r.flows.get(0).startNanos()).isEqualTo(SECS * NS).isEqualTo(r.flows.get(0).endNanos());
        assertThat(r.anomalies.get(Anomaly.export_record_rate_implausible)).isEqualTo(1);
    }
}
