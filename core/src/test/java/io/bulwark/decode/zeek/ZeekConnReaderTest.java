package io.bulwark.decode.zeek;

import static io.bulwark.decode.zeek.ConnLogSamples.CLOSE;
import static io.bulwark.decode.zeek.ConnLogSamples.HEADER;
import static io.bulwark.decode.zeek.ConnLogSamples.HTTP;
import static io.bulwark.decode.zeek.ConnLogSamples.NTP;
import static io.bulwark.decode.zeek.ConnLogSamples.PING;
import static io.bulwark.decode.zeek.ConnLogSamples.PING6;
import static io.bulwark.decode.zeek.ConnLogSamples.UNSET;
import static io.bulwark.decode.zeek.ConnLogSamples.tabs;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.flow.CommunityId;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TSV form. JSON is in {@link ZeekConnReaderJsonTest}, open errors in {@link ZeekConnReaderOpenTest}. */
class ZeekConnReaderTest {
    @TempDir
    Path dir;
    private final AnomalyCounters anomalies = new AnomalyCounters();

    @Test
    void next_udpRow_mapsEveryField() throws Exception {
        List<FlowRecord> flows = read(HEADER + NTP + CLOSE);

        assertThat(flows).hasSize(1);
        FlowRecord f = flows.get(0);
        assertThat(f.uid()).isEqualTo("C5JLGOoxIw2dBZt47");
        assertThat(f.src()).isEqualTo(IpAddr.parse("192.168.100.113"));
        assertThat(f.srcPort()).isEqualTo(123);
        assertThat(f.dst()).isEqualTo(IpAddr.parse("81.2.254.224"));
        assertThat(f.dstPort()).isEqualTo(123);
        assertThat(f.protocol()).isEqualTo(17);
        assertThat(f.startNanos()).isEqualTo(1_533_042_911_474_174_000L);
        assertThat(f.durationNanos()).isEqualTo(5_490_000L);
        // orig_ip_bytes/resp_ip_bytes (76), not the payload bytes (48)
        assertThat(new long[] {f.packetsOut(), f.bytesOut(), f.packetsIn(), f.bytesIn()}).containsExactly(1, 76, 1, 76);
        assertThat(f.tcpFlagsOut()).isZero();
        assertThat(f.tcpFlagsIn()).isZero();
        assertThat(f.state()).isEqualTo("SF");
        assertThat(f.samplingRate()).isEqualTo(1);
        assertThat(f.exporter()).isEqualTo("conn.log");
        assertThat(f.fromPackets()).isFalse();
        assertThat(f.firstOffset()).isEqualTo(HEADER.length());
        assertThat(f.endReason()).isEqualTo(FlowRecord.EndReason.exported);
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void next_tcpRow_takesFlagsFromHistory() throws Exception {
        FlowRecord f = read(HEADER + HTTP).get(0);

        // ShADadttFf: S, A, D (PSH|ACK), F from the originator; h (SYN|ACK), a, d, f from the responder
        assertThat(f.protocol()).isEqualTo(6);
        assertThat(f.tcpFlagsOut()).isEqualTo(ConnFields.SYN | ConnFields.ACK | ConnFields.PSH | ConnFields.FIN);
        assertThat(f.tcpFlagsIn()).isEqualTo(ConnFields.SYN | ConnFields.ACK | ConnFields.PSH | ConnFields.FIN);
        assertThat(new long[] {f.packetsOut(), f.bytesOut(), f.packetsIn(), f.bytesIn()})
                .containsExactly(54, 3371, 50, 69224);
        assertThat(f.endNanos()).isEqualTo(1_547_127_291_935_087_000L);
    }

    @Test
    void next_unsetDuration_endsAtStart() throws Exception {
        FlowRecord f = read(HEADER + UNSET).get(0);

        assertThat(f.endNanos()).isEqualTo(f.startNanos());
        assertThat(f.state()).isEqualTo("S0");
        assertThat(f.packetsIn()).isZero();
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void next_icmp_keepsTypeAndCodeAsPorts() throws Exception {
        List<FlowRecord> flows = read(HEADER + PING + PING6);

        FlowRecord v4 = flows.get(0);
        assertThat(v4.protocol()).isEqualTo(1);
        assertThat(v4.srcPort()).isEqualTo(8);
        assertThat(v4.dstPort()).isZero();
        assertThat(v4.communityId()).isEqualTo(CommunityId.v1(0, v4.dst(), v4.src(), 1, 0, 0));
        assertThat(flows.get(1).protocol()).isEqualTo(58);
        assertThat(flows.get(1).srcPort()).isEqualTo(128);
    }

    @Test
    void next_columnsReorderedWithOtherSeparatorAndTokens_foundByName() throws Exception {
        // The same NTP row, columns shuffled, an extra column, comma separator, unset "NONE".
        String log = "#separator \\x2c\n#unset_field,NONE\n#empty_field,EMPTY\n#path,conn\n"
                + "#fields,extra,resp_ip_bytes,id.resp_h,id.resp_p,history,ts,proto,id.orig_h,id.orig_p,uid,duration"
                + ",conn_state,orig_pkts,orig_ip_bytes,resp_pkts\n"
                + "x\\x2cy,76,81.2.254.224,123,EMPTY,1533042911.474174,udp,192.168.100.113,123,C5JLGOoxIw2dBZt47"
                + ",0.005490,SF,1,76,1\n"
                + "NONE,76,81.2.254.224,123,-,1533042911.474174,udp,192.168.100.113,123,NONE,NONE,NONE,1,76,1\n";

        List<FlowRecord> flows = read(log);
        FlowRecord plain = read(HEADER + NTP).get(0);

        assertThat(flows).hasSize(2);
        assertThat(sameFlow(flows.get(0), plain)).isTrue();
        // "NONE" is unset here, so the uid is derived and the state is unknown
        assertThat(flows.get(1).uid()).startsWith("C").isNotEqualTo(plain.uid());
        assertThat(flows.get(1).state()).isEqualTo("-");
        assertThat(flows.get(1).durationNanos()).isZero();
    }

    @Test
    void next_escapedValue_isUnescaped() throws Exception {
        FlowRecord f = read(HEADER + NTP.replace("\tSF\t", "\tS\\x46\t")).get(0);

        assertThat(f.state()).isEqualTo("SF");
    }

    @Test
    void next_concatenatedLogs_readsEveryBlock() throws Exception {
        String second = tabs("#separator \\x09\n#path|conn\n#fields|proto|ts|id.orig_h|id.orig_p|id.resp_h|id.resp_p\n"
                + "udp|1533042911.474174|192.168.100.113|123|81.2.254.224|123\n");

        List<FlowRecord> flows = read(HEADER + NTP + CLOSE + second);

        assertThat(flows).hasSize(2);
        assertThat(flows.get(1).startNanos()).isEqualTo(flows.get(0).startNanos());
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void next_malformedRows_areCountedAndSkipped() throws Exception {
        String[] bad = {
            NTP.replace("\t(empty)\n", "\n"),                   // a column short
            NTP.replace("\n", "\textra\n"),                      // a column over
            NTP.replace("192.168.100.113", "192.168.100.300"),  // not an address
            NTP.replace("\t123\t81", "\t70000\t81"),             // port out of range
            NTP.replace("1533042911.474174", "1533042911,474"),  // not a time
            NTP.replace("\tudp\t", "\tsctp\t"),                  // not a Zeek transport
            NTP.replace("\t1\t76\t1\t76\t", "\t1\t-76\t1\t76\t"),  // negative count
            NTP.replace("\t0.005490\t", "\t1e999\t"),            // duration overflows
            tabs("-|Cx|1.2.3.4|1|5.6.7.8|2|udp|-|-|-|-|S0|-|-|0|D|1|76|0|0|-\n"),  // unset ts
            "\n",                                                // empty line
            "x".repeat(LineSource.MAX_LINE + 1) + "\n",          // over the line bound
        };
        String log = HEADER + NTP + String.join("", bad) + HTTP;

        List<FlowRecord> flows = read(log);

        assertThat(flows).extracting(FlowRecord::uid).containsExactly("C5JLGOoxIw2dBZt47", "CXY5uG2sSmjJ0grfY2");
        assertThat(anomalies.get(Anomaly.zeek_line_malformed)).isEqualTo(bad.length);
        assertThat(anomalies.firstOffset(Anomaly.zeek_line_malformed)).isEqualTo(HEADER.length() + NTP.length());
        assertThat(flows.get(1).firstOffset()).isEqualTo(log.length() - HTTP.length());
    }

    @Test
    void next_lastLineCutOff_isCountedAndStopsWithReason() throws Exception {
        String log = HEADER + NTP + HTTP.substring(0, 40);
        try (ZeekConnReader r = open(log)) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNull();

            assertThat(anomalies.get(Anomaly.zeek_line_truncated)).isEqualTo(1);
            assertThat(anomalies.firstOffset(Anomaly.zeek_line_truncated)).isEqualTo(HEADER.length() + NTP.length());
            assertThat(r.stopReason()).contains("offset " + (HEADER.length() + NTP.length())).doesNotContain("\n");
        }
    }

    @Test
    void next_truncatedAtEveryLength_neverThrowsAndKeepsWholeRows() throws Exception {
        String log = HEADER + NTP + HTTP + CLOSE;
        List<FlowRecord> whole = read(log);
        for (int n = 1; n < log.length(); n++) {
            List<FlowRecord> flows = new ArrayList<>();
            try (ZeekConnReader r = open(log.substring(0, n))) {
                for (FlowRecord f; (f = r.next()) != null; ) {
                    flows.add(f);
                }
            } catch (BadInputException e) {
                // Cut inside the header: refused as a whole, which is allowed.
                assertThat(n).isLessThanOrEqualTo(HEADER.length());
                continue;
            }
            assertThat(flows.size()).isLessThanOrEqualTo(whole.size());
            assertThat(flows).isEqualTo(whole.subList(0, flows.size()));
        }
    }

    @Test
    void position_afterLastRow_equalsSize() throws Exception {
        try (ZeekConnReader r = open(HEADER + NTP + HTTP + CLOSE)) {
            while (r.next() != null) {
                assertThat(r.position()).isLessThan(r.size());
            }
            assertThat(r.position()).isEqualTo(r.size());
            assertThat(r.stopReason()).isNull();
            assertThat(r.next()).isNull();
        }
    }

    /** Equal in everything but where it was read from. */
    static boolean sameFlow(FlowRecord a, FlowRecord b) {
        return new FlowRecord(a.uid(), a.src(), a.srcPort(), a.dst(), a.dstPort(), a.protocol(), a.startNanos(),
                a.endNanos(), a.packetsOut(), a.bytesOut(), a.packetsIn(), a.bytesIn(), a.tcpFlagsOut(),
                a.tcpFlagsIn(), a.state(), a.samplingRate(), b.exporter(), a.fromPackets(), b.firstOffset(),
                a.endReason()).equals(b);
    }

    private ZeekConnReader open(String text) throws IOException, BadInputException {
        Path p = dir.resolve("conn.log");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return ZeekConnReader.open(p, anomalies);
    }

    private List<FlowRecord> read(String text) throws IOException, BadInputException {
        List<FlowRecord> out = new ArrayList<>();
        try (ZeekConnReader r = open(text)) {
            for (FlowRecord f; (f = r.next()) != null; ) {
                out.add(f);
            }
        }
        return out;
    }
}
