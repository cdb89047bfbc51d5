package io.bulwark.decode.capture;

import static io.bulwark.decode.capture.CaptureBytes.frame;
import static io.bulwark.decode.capture.CaptureBytes.readAll;
import static io.bulwark.decode.capture.CaptureBytes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.capture.CaptureBytes.Frame;
import io.bulwark.decode.capture.CaptureBytes.Read;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PcapSourceTest {
    @TempDir
    Path dir;

    /** Two Ethernet records: 60 bytes at t=1.5 s, 14 of 1514 bytes at t=2.000001 s. */
    private static byte[] twoRecords(ByteOrder order, boolean nanos) {
        long frac = nanos ? 500_000_000 : 500_000;
        return CaptureBytes.pcap(order, nanos, 65_535, LinkType.ETHERNET)
                .record(1, frac, frame(0xaa, 60))                     // offset 24, 16 + 60 bytes
                .record(2, nanos ? 1000 : 1, 14, 1514, frame(0xbb, 14)) // offset 100, snapped
                .bytes();
    }

    @Test
    void pcap_bigEndianMicroseconds_readsEveryRecord() throws Exception {
        Read r = readAll(write(dir, "be.pcap", twoRecords(ByteOrder.BIG_ENDIAN, false)), new AnomalyCounters());

        assertThat(r.format()).isEqualTo("pcap");
        assertThat(r.stopReason()).isNull();
        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(1_500_000_000L, 2_000_001_000L);
        assertThat(r.frames()).extracting(Frame::caplen).containsExactly(60, 14);
        assertThat(r.frames()).extracting(Frame::wirelen).containsExactly(60, 1514);
        assertThat(r.frames()).extracting(Frame::fileOffset).containsExactly(24L, 100L);
        assertThat(r.frames()).extracting(Frame::recordLength).containsExactly(76, 30);
        assertThat(r.frames()).extracting(Frame::linkType).containsOnly(LinkType.ETHERNET);
        assertThat(r.frames().get(1).data()).isEqualTo(frame(0xbb, 14));
        assertThat(r.position()).isEqualTo(130);
    }

    @Test
    void pcap_littleEndianNanoseconds_readsEveryRecord() throws Exception {
        Read r = readAll(write(dir, "le.pcap", twoRecords(ByteOrder.LITTLE_ENDIAN, true)), new AnomalyCounters());

        assertThat(r.stopReason()).isNull();
        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(1_500_000_000L, 2_000_001_000L);
        assertThat(r.frames()).extracting(Frame::caplen).containsExactly(60, 14);
        assertThat(r.frames().get(0).data()).isEqualTo(frame(0xaa, 60));
    }

    /**
     * Records of the largest accepted size, with small ones between them, so that records
     * start, end and straddle the reader's 512 KiB window at many offsets: each comes back
     * whole and in order.
     */
    @Test
    void pcap_largestRecordsAcrossWindowBoundaries_readsEveryRecordWhole() throws Exception {
        CaptureBytes c = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, PcapSource.MAX_CAPLEN, LinkType.ETHERNET);
        int n = 0;
        for (int i = 0; i < 12; i++) {
            c.record(i, 0, frame(i, PcapSource.MAX_CAPLEN));
            c.record(i, 1, frame(0x80 + i, 61 + 997 * i));
            n += 2;
        }
        Read r = readAll(write(dir, "big.pcap", c.bytes()), new AnomalyCounters());

        assertThat(r.stopReason()).isNull();
        assertThat(r.frames()).hasSize(n);
        for (int i = 0; i < 12; i++) {
            assertThat(r.frames().get(2 * i).data()).isEqualTo(frame(i, PcapSource.MAX_CAPLEN));
            assertThat(r.frames().get(2 * i + 1).data()).isEqualTo(frame(0x80 + i, 61 + 997 * i));
        }
    }

    @Test
    void pcap_truncatedAtEveryLength_keepsRecordsBeforeTheCut() throws Exception {
        byte[] whole = twoRecords(ByteOrder.LITTLE_ENDIAN, false);
        for (int cut = 0; cut < whole.length; cut++) {
            Path p = write(dir, "cut.pcap", Arrays.copyOf(whole, cut));
            AnomalyCounters anomalies = new AnomalyCounters();
            if (cut < 24) {
                assertThatThrownBy(() -> readAll(p, anomalies)).as("cut at %d", cut)
                        .isInstanceOf(BadInputException.class);
                continue;
            }
            Read r = readAll(p, anomalies);
            int complete = cut >= 130 ? 2 : cut >= 100 ? 1 : 0;
            assertThat(r.frames()).as("cut at %d", cut).hasSize(complete);
            boolean onBoundary = cut == 24 || cut == 100;
            assertThat(r.stopReason()).as("cut at %d", cut).matches(s -> onBoundary == (s == null));
            assertThat(anomalies.get(Anomaly.capture_truncated_record)).isEqualTo(onBoundary ? 0 : 1);
        }
    }

    @Test
    void pcap_caplenAbsurd_stopsWithReasonAfterGoodRecords() throws Exception {
        for (long incl : new long[] {300_000, 0xffff_ffffL}) {
            byte[] bytes = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 0, LinkType.RAW)
                    .record(1, 0, frame(1, 20))
                    .record(2, 0, incl, incl, frame(2, 20)) // claims far more than follows
                    .bytes();
            AnomalyCounters anomalies = new AnomalyCounters();
            Read r = readAll(write(dir, "big.pcap", bytes), anomalies);

            assertThat(r.frames()).hasSize(1);
            assertThat(r.stopReason()).contains("record length " + incl);
            assertThat(r.stopOffset()).isEqualTo(60);
            assertThat(anomalies.get(Anomaly.capture_caplen_too_large)).isEqualTo(1);
        }
    }

    @Test
    void pcap_caplenAboveSnaplen_stopsWithReason() throws Exception {
        byte[] bytes = CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 64, LinkType.ETHERNET)
                .record(1, 0, frame(1, 100)) // 100 > snaplen 64
                .bytes();
        AnomalyCounters anomalies = new AnomalyCounters();
        Read r = readAll(write(dir, "snap.pcap", bytes), anomalies);

        assertThat(r.frames()).isEmpty();
        assertThat(r.stopReason()).isEqualTo("record length 100 exceeds snaplen 64");
        assertThat(anomalies.get(Anomaly.capture_caplen_exceeds_snaplen)).isEqualTo(1);
    }

    @Test
    void pcap_origLenAboveIntMax_wirelenClampedNotNegative() throws Exception {
        byte[] bytes = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, true, 0, LinkType.RAW)
                .record(1, 0, 20, 0xffff_ff00L, frame(1, 20)) // orig_len 4294967040: unsigned
                .bytes();

        Read r = readAll(write(dir, "orig.pcap", bytes), new AnomalyCounters());

        assertThat(r.frames()).extracting(Frame::wirelen).containsExactly(Integer.MAX_VALUE);
    }

    @Test
    void pcap_unsupportedLinkType_throwsBadInput() throws Exception {
        Path p = write(dir, "lt.pcap", CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, 0, 147).bytes());

        assertThatThrownBy(() -> readAll(p, new AnomalyCounters()))
                .isInstanceOf(BadInputException.class)
                .hasMessageContaining("unsupported link type 147");
    }
}
