package io.bulwark.decode.zeek;

import static io.bulwark.decode.zeek.ConnLogSamples.HEADER;
import static io.bulwark.decode.zeek.ConnLogSamples.HTTP;
import static io.bulwark.decode.zeek.ConnLogSamples.NTP;
import static io.bulwark.decode.zeek.ConnLogSamples.UNSET;
import static io.bulwark.decode.zeek.ZeekConnReaderTest.sameFlow;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.flow.FlowRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON-lines form (LogAscii::use_json), and telling the forms apart by content. */
class ZeekConnReaderJsonTest {
    // ConnLogSamples' NTP, HTTP and UNSET rows as Zeek's JSON writer prints them: unset
    // fields (service, local_orig, ...) are left out, numbers are bare, sets are arrays.
    static final String NTP_JSON = "{\"ts\":1533042911.474174,\"uid\":\"C5JLGOoxIw2dBZt47\",\"id.orig_h\":\"192.168.100.113\","
            + "\"id.orig_p\":123,\"id.resp_h\":\"81.2.254.224\",\"id.resp_p\":123,\"proto\":\"udp\",\"duration\":0.00549,"
            + "\"orig_bytes\":48,\"resp_bytes\":48,\"conn_state\":\"SF\",\"missed_bytes\":0,\"history\":\"Dd\","
            + "\"orig_pkts\":1,\"orig_ip_bytes\":76,\"resp_pkts\":1,\"resp_ip_bytes\":76,\"tunnel_parents\":[]}\n";
    static final String HTTP_JSON = "{\"ts\":1547127288.026074,\"uid\":\"CXY5uG2sSmjJ0grfY2\",\"id.orig_h\":\"192.168.1.197\","
            + "\"id.orig_p\":58312,\"id.resp_h\":\"104.24.96.120\",\"id.resp_p\":80,\"proto\":\"tcp\",\"service\":\"http\","
            + "\"duration\":3.909013,\"orig_bytes\":83,\"resp_bytes\":67212,\"conn_state\":\"SF\",\"local_orig\":false,"
            + "\"missed_bytes\":4380,\"history\":\"ShADadttFf\",\"orig_pkts\":54,\"orig_ip_bytes\":3371,\"resp_pkts\":50,"
            + "\"resp_ip_bytes\":69224}\n";
    static final String UNSET_JSON = "{\"ts\":1547157330.030005,\"uid\":\"Cb4VXV3tOHGjcsI0cf\",\"id.orig_h\":\"192.168.1.197\","
            + "\"id.orig_p\":123,\"id.resp_h\":\"82.113.53.40\",\"id.resp_p\":123,\"proto\":\"udp\",\"conn_state\":\"S0\","
            + "\"missed_bytes\":0,\"history\":\"D\",\"orig_pkts\":1,\"orig_ip_bytes\":76,\"resp_pkts\":0,\"resp_ip_bytes\":0}\n";

    @TempDir
    Path dir;
    private final AnomalyCounters anomalies = new AnomalyCounters();

    @Test
    void next_jsonRows_equalTheTsvRows() throws Exception {
        List<FlowRecord> json = read(NTP_JSON + HTTP_JSON + UNSET_JSON);
        List<FlowRecord> tsv = read(HEADER + NTP + HTTP + UNSET);

        assertThat(json).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(sameFlow(json.get(i), tsv.get(i))).as("row %d", i).isTrue();
        }
        assertThat(json.get(1).firstOffset()).isEqualTo(NTP_JSON.length());
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void next_isoTimestampAndCrLf_readTheSame() throws Exception {
        String iso = NTP_JSON.replace("1533042911.474174", "\"2018-07-31T13:15:11.474174Z\"").replace("}\n", "}\r\n");

        FlowRecord f = read(iso).get(0);

        assertThat(f.startNanos()).isEqualTo(1_533_042_911_474_174_000L);
        assertThat(f.endNanos()).isEqualTo(1_533_042_911_479_664_000L);
    }

    @Test
    void next_badJsonRows_areCountedAndSkipped() throws Exception {
        String[] bad = {
            NTP_JSON.replace("}\n", "\n"),                                   // not closed
            NTP_JSON.replace("\"ts\":", "\"ts\":1,\"ts\":"),                 // a known key twice
            NTP_JSON.replace("{", "{\"_path\":\"dns\","),                    // another log's row
            NTP_JSON.replace("\"id.orig_p\":123", "\"id.orig_p\":[123]"),    // nested where a port goes
            NTP_JSON.replace("\"proto\":\"udp\",", ""),                     // required field absent
            NTP_JSON.replace("\"id.orig_h\":\"192.168.100.113\"", "\"id.orig_h\":null"),
            NTP_JSON.replace("\"orig_pkts\":1", "\"orig_pkts\":1.5"),        // a count is whole
            "# comment\n",
            "\n",
        };

        List<FlowRecord> flows = read(NTP_JSON + String.join("", bad) + HTTP_JSON.replace("{", "{\"_path\":\"conn\","));

        assertThat(flows).extracting(FlowRecord::uid).containsExactly("C5JLGOoxIw2dBZt47", "CXY5uG2sSmjJ0grfY2");
        assertThat(anomalies.get(Anomaly.zeek_line_malformed)).isEqualTo(bad.length);
        assertThat(anomalies.firstOffset(Anomaly.zeek_line_malformed)).isEqualTo(NTP_JSON.length());
    }

    @Test
    void next_jsonCutOff_isCountedAsTruncated() throws Exception {
        try (ZeekConnReader r = open(NTP_JSON + HTTP_JSON.substring(0, 100))) {
            assertThat(r.next()).isNotNull();
            assertThat(r.next()).isNull();
            assertThat(r.stopReason()).contains("offset " + NTP_JSON.length());
        }
        assertThat(anomalies.get(Anomaly.zeek_line_truncated)).isEqualTo(1);
    }

    @Test
    void looksLikeZeek_tsvAndJsonHeads_areRecognised() {
        assertThat(looks(HEADER)).isTrue();
        assertThat(looks(NTP_JSON + HTTP_JSON)).isTrue();
        // a head that ends inside the first line: judged by its keys
        assertThat(looks(NTP_JSON.substring(0, 90))).isTrue();
    }

    @Test
    void looksLikeZeek_otherContent_isRejected() {
        assertThat(looks("")).isFalse();
        assertThat(looks("#separ")).isFalse();
        assertThat(looks("#fields\tts\n")).isFalse();
        assertThat(looks("{\"ts\":1,\"query\":\"a\"}\n")).isFalse();
        assertThat(looks("{\"ts\":1,\"id.orig_h\":\"1.2.3.4\"\n")).isFalse();   // first line is not an object
        assertThat(looks("ts,uid,id.orig_h\n")).isFalse();
        byte[] pcap = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0};
        assertThat(ZeekConnReader.looksLikeZeek(pcap, pcap.length)).isFalse();
        // n, not the array length, says how much is valid
        byte[] head = HEADER.getBytes(StandardCharsets.US_ASCII);
        assertThat(ZeekConnReader.looksLikeZeek(head, 5)).isFalse();
    }

    private static boolean looks(String head) {
        byte[] b = head.getBytes(StandardCharsets.UTF_8);
        return ZeekConnReader.looksLikeZeek(b, b.length);
    }

    private ZeekConnReader open(String text) throws IOException, BadInputException {
        Path p = dir.resolve("conn.json");
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
