package io.bulwark.decode.capture;

import static io.bulwark.decode.capture.CaptureBytes.frame;
import static io.bulwark.decode.capture.CaptureBytes.readAll;
import static io.bulwark.decode.capture.CaptureBytes.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.capture.CaptureBytes.Frame;
import io.bulwark.decode.capture.CaptureBytes.Read;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PcapngSourceTest {
    private static final ByteOrder BE = ByteOrder.BIG_ENDIAN;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** if_tsresol 2^-20 s: bit 7 set, exponent 20. */
    private static final int TSRESOL_2_POW_20 = 0x80 | 20;

    @TempDir
    Path dir;

    /**
     * Three interfaces, each with its own link type and resolution, and one packet on each,
     * then a Simple Packet Block (interface 0). Block offsets are in the comments; the
     * truncation test relies on them.
     */
    private static byte[] threeInterfaces(ByteOrder order) {
        CaptureBytes c = CaptureBytes.pcapng(order);                      //   0 SHB, 28 bytes
        c.idb(LinkType.ETHERNET, 65_535, c.tsresol(6));                   //  28 IDB 0, 32 bytes
        c.idb(LinkType.RAW, 0, c.tsresol(9));                             //  60 IDB 1, 32 bytes
        c.idb(LinkType.ETHERNET, 0, c.tsresol(TSRESOL_2_POW_20));         //  92 IDB 2, 32 bytes
        c.epb(0, 1_500_000, frame(0xa0, 60));                             // 124 1.5 s in us, 92 bytes
        c.epb(1, 2_000_000_007L, frame(0xa1, 21));                        // 216 in ns, 21 padded to 24: 56
        c.epb(2, (3L << 20) | (1L << 19), frame(0xa2, 40));               // 272 3.5 s in 2^-20 s, 72 bytes
        c.spb(1514, frame(0xa3, 16));                                     // 344 16 of 1514 bytes, 32 bytes
        return c.bytes();                                                 // 376
    }

    private Read read(byte[] bytes, AnomalyCounters anomalies) throws Exception {
        return readAll(write(dir, "t.pcapng", bytes), anomalies);
    }

    private BadInputException openFails(byte[] bytes) throws Exception {
        Path p = write(dir, "bad.pcapng", bytes);
        return catchThrowableOfType(BadInputException.class, () -> readAll(p, new AnomalyCounters()));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pcapng_eitherByteOrder_readsEveryInterfaceAtItsResolution(boolean littleEndian) throws Exception {
        AnomalyCounters anomalies = new AnomalyCounters();
        Read r = read(threeInterfaces(littleEndian ? LE : BE), anomalies);

        assertThat(r.format()).isEqualTo("pcapng");
        assertThat(r.stopReason()).isNull();
        assertThat(anomalies.total()).isZero();
        assertThat(r.position()).isEqualTo(376);
        assertThat(r.frames()).extracting(Frame::interfaceId).containsExactly(0, 1, 2, 0);
        assertThat(r.frames()).extracting(Frame::linkType)
                .containsExactly(LinkType.ETHERNET, LinkType.RAW, LinkType.ETHERNET, LinkType.ETHERNET);
        // The SPB has no timestamp of its own and repeats the one before it.
        assertThat(r.frames()).extracting(Frame::tsNanos)
                .containsExactly(1_500_000_000L, 2_000_000_007L, 3_500_000_000L, 3_500_000_000L);
        assertThat(r.frames()).extracting(Frame::caplen).containsExactly(60, 21, 40, 16);
        assertThat(r.frames()).extracting(Frame::wirelen).containsExactly(60, 21, 40, 1514);
        assertThat(r.frames()).extracting(Frame::fileOffset).containsExactly(124L, 216L, 272L, 344L);
        assertThat(r.frames()).extracting(Frame::recordLength).containsExactly(92, 56, 72, 32);
        assertThat(r.frames().get(1).data()).isEqualTo(frame(0xa1, 21));
        assertThat(r.frames().get(3).data()).isEqualTo(frame(0xa3, 16));
    }

    /** Enhanced packet blocks of the largest accepted size straddle the reader's window at many offsets. */
    @Test
    void pcapng_largestPacketsAcrossWindowBoundaries_readsEveryPacketWhole() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE).idb(LinkType.ETHERNET, 0);
        for (int i = 0; i < 12; i++) {
            c.epb(0, i, frame(i, PcapSource.MAX_CAPLEN));
            c.epb(0, i, frame(0x80 + i, 61 + 997 * i));
        }
        AnomalyCounters anomalies = new AnomalyCounters();
        Read r = read(c.bytes(), anomalies);

        assertThat(r.stopReason()).isNull();
        assertThat(anomalies.total()).isZero();
        assertThat(r.frames()).hasSize(24);
        for (int i = 0; i < 12; i++) {
            assertThat(r.frames().get(2 * i).data()).isEqualTo(frame(i, PcapSource.MAX_CAPLEN));
            assertThat(r.frames().get(2 * i + 1).data()).isEqualTo(frame(0x80 + i, 61 + 997 * i));
        }
    }

    @Test
    void pcapng_truncatedAtEveryLength_keepsPacketsBeforeTheCut() throws Exception {
        byte[] whole = threeInterfaces(LE);
        Set<Integer> blockEnds = Set.of(28, 60, 92, 124, 216, 272, 344, 376);
        int[] packetEnds = {216, 272, 344, 376};
        for (int cut = 0; cut < whole.length; cut++) {
            byte[] part = Arrays.copyOf(whole, cut);
            if (cut < 28) {
                assertThat(openFails(part)).as("cut at %d", cut).isNotNull();
                continue;
            }
            AnomalyCounters anomalies = new AnomalyCounters();
            Read r = read(part, anomalies);
            int c = cut;
            long complete = Arrays.stream(packetEnds).filter(end -> end <= c).count();
            assertThat(r.frames()).as("cut at %d", cut).hasSize((int) complete);
            if (blockEnds.contains(cut)) {
                assertThat(r.stopReason()).as("cut at %d", cut).isNull();
                assertThat(anomalies.total()).isZero();
            } else {
                assertThat(r.stopReason()).as("cut at %d", cut).startsWith("truncated block");
                assertThat(anomalies.get(Anomaly.capture_truncated_record)).isEqualTo(1);
            }
        }
    }

    @Test
    void pcapng_truncatedSectionHeader_throwsWithReason() throws Exception {
        BadInputException e = openFails(Arrays.copyOf(threeInterfaces(BE), 20));

        assertThat(e.reason()).isEqualTo("truncated section header (20 of 28 bytes)");
        assertThat(e.offset()).isZero();
    }

    @Test
    void pcapng_badByteOrderMagic_throwsWithReason() throws Exception {
        byte[] bytes = threeInterfaces(BE);
        bytes[8] = 0x4d; // magic now 4d2b3c4d: neither order

        BadInputException e = openFails(bytes);

        assertThat(e.reason()).isEqualTo("bad byte-order magic 0x4d2b3c4d in section header");
        assertThat(e.offset()).isEqualTo(8);
    }

    @Test
    void pcapng_majorVersion2_throwsUnsupportedVersion() throws Exception {
        byte[] bytes = new CaptureBytes(BE).section(BE, 2).bytes();

        assertThat(openFails(bytes).reason()).isEqualTo("unsupported pcapng version 2.0");
    }

    @Test
    void pcapng_sectionHeaderLengthDamaged_throwsWithReason() throws Exception {
        byte[] zero = new CaptureBytes(BE).block(Captures.PCAPNG_SHB, 0, shbBody(BE), 0).bytes();
        byte[] trailer = new CaptureBytes(LE).block(Captures.PCAPNG_SHB, 28, shbBody(LE), 32).bytes();

        assertThat(openFails(zero).reason()).isEqualTo("bad section header length 0");
        assertThat(openFails(trailer).reason()).isEqualTo("block length 28 but trailer says 32");
    }

    /** SHB body: byte-order magic, version 1.0, section length -1. */
    private static byte[] shbBody(ByteOrder order) {
        return new CaptureBytes(order).u32(PcapngSource.BYTE_ORDER_MAGIC).u16(1).u16(0).u64(-1).bytes();
    }

    @Test
    void pcapng_twoSections_interfacesResetAndByteOrderChanges() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE);
        c.idb(LinkType.RAW, 0);                   // section 1, interface 0: raw IP, microseconds
        c.idb(LinkType.RAW, 0);                   // section 1, interface 1
        c.epb(1, 7_000_000, frame(1, 20));        // 7 s
        c.section(LE);                            // section 2: little-endian, interfaces forgotten
        c.idb(LinkType.ETHERNET, 0, c.tsresol(9));
        c.epb(0, 8_000_000_000L, frame(2, 60));   // 8 s in ns
        c.epb(1, 9_000_000_000L, frame(3, 60));   // interface 1 existed only in section 1
        c.epb(0, 10_000_000_000L, frame(4, 60));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.stopReason()).isNull();
        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(7_000_000_000L, 8_000_000_000L, 10_000_000_000L);
        assertThat(r.frames()).extracting(Frame::linkType).containsExactly(LinkType.RAW, LinkType.ETHERNET, LinkType.ETHERNET);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(Anomaly.capture_unknown_interface, 1L));
    }

    @Test
    void pcapng_laterSectionUnsupportedVersion_skippedUntilNextSection() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE).idb(LinkType.RAW, 0).epb(0, 1, frame(1, 20));
        c.section(BE, 2).idb(LinkType.RAW, 0).epb(0, 2, frame(2, 20)); // version 2.0: not read
        c.section(BE).idb(LinkType.RAW, 0).epb(0, 3, frame(3, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(1_000L, 3_000L);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(Anomaly.capture_section_unsupported, 1L));
    }

    @Test
    void pcapng_tsoffset_addsSeconds() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE);
        c.idb(LinkType.RAW, 0, c.tsoffset(1_700_000_000L), c.tsresol(3)); // ms after 2023-11-14
        c.idb(LinkType.RAW, 0, c.tsoffset(-10));                          // default us, 10 s earlier
        c.epb(0, 1_500, frame(1, 20));
        c.epb(1, 11_000_000, frame(2, 20));

        Read r = read(c.bytes(), new AnomalyCounters());

        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(1_700_000_001_500_000_000L, 1_000_000_000L);
    }

    @Test
    void pcapng_binaryResolution_roundsDown() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE);
        c.idb(LinkType.RAW, 0, c.tsresol(0x80 | 10)); // 1/1024 s
        c.epb(0, 1, frame(1, 20));                    // 976562.5 ns

        assertThat(read(c.bytes(), new AnomalyCounters()).frames().get(0).tsNanos()).isEqualTo(976_562L);
    }

    @Test
    void pcapng_timestampBeyondLong_countedAndPreviousKept() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE);
        c.idb(LinkType.RAW, 0, c.tsresol(0)); // whole seconds
        c.epb(0, 5, frame(1, 20));
        c.epb(0, 1L << 40, frame(2, 20));     // 2^40 s is about 1.1e21 ns: no long holds it
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(5_000_000_000L, 5_000_000_000L);
        assertThat(anomalies.get(Anomaly.capture_timestamp_out_of_range)).isEqualTo(1);
    }

    @Test
    void pcapng_simplePacket_capturedLengthIsSmallestOfOriginalRoomAndSnaplen() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE);
        c.idb(LinkType.ETHERNET, 64);
        c.spb(1514, frame(1, 100)); // snaplen wins: 64
        c.spb(10, frame(2, 12));    // original length wins: 10
        c.spb(1514, frame(3, 20));  // room in the block wins: 20

        Read r = read(c.bytes(), new AnomalyCounters());

        assertThat(r.frames()).extracting(Frame::caplen).containsExactly(64, 10, 20);
        assertThat(r.frames()).extracting(Frame::wirelen).containsExactly(1514, 10, 1514);
        assertThat(r.frames()).extracting(Frame::tsNanos).containsOnly(0L);
    }

    @Test
    void pcapng_obsoletePacketBlock_readLikeEnhanced() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE).idb(LinkType.RAW, 0).idb(LinkType.ETHERNET, 0);
        c.opb(1, 42, frame(7, 30));

        Read r = read(c.bytes(), new AnomalyCounters());

        assertThat(r.frames()).singleElement().satisfies(f -> {
            assertThat(f.interfaceId()).isEqualTo(1);
            assertThat(f.linkType()).isEqualTo(LinkType.ETHERNET);
            assertThat(f.tsNanos()).isEqualTo(42_000L);
            assertThat(f.data()).isEqualTo(frame(7, 30));
        });
    }

    @Test
    void pcapng_knownNonPacketBlocks_skippedWithoutAnomaly() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE).idb(LinkType.RAW, 0);
        for (int type : new int[] {PcapngSource.BT_NRB, PcapngSource.BT_ISB, PcapngSource.BT_JOURNAL,
                PcapngSource.BT_DSB, PcapngSource.BT_CUSTOM, PcapngSource.BT_CUSTOM_NO_COPY}) {
            c.block(type, frame(0xee, 13)); // contents never looked at
        }
        c.epb(0, 1, frame(1, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).hasSize(1);
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void pcapng_unknownBlockType_skippedAndCounted() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE).idb(LinkType.RAW, 0);
        c.block(0x1234, frame(0, 8));
        c.block(0x8000_0001, new byte[0]); // local-use type, empty body
        c.epb(0, 1, frame(1, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).hasSize(1);
        assertThat(anomalies.get(Anomaly.capture_unknown_block)).isEqualTo(2);
        assertThat(anomalies.firstOffset(Anomaly.capture_unknown_block)).isEqualTo(52);
    }

    @Test
    void pcapng_packetForUndefinedInterface_countedAndSkipped() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE);
        c.spb(60, frame(0, 60));         // before any IDB: no interface 0 yet
        c.idb(LinkType.ETHERNET, 0);
        c.epb(1, 1, frame(1, 60));       // only interface 0 exists
        c.epb(0xffff_ffffL, 1, frame(2, 60));
        c.epb(0, 2, frame(3, 60));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(2_000L);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(Anomaly.capture_unknown_interface, 3L));
        assertThat(anomalies.firstOffset(Anomaly.capture_unknown_interface)).isEqualTo(28);
    }

    @Test
    void pcapng_unsupportedLinkType_packetsCountedAndSkipped() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE);
        c.idb(147, 0);                   // LINKTYPE_USER0: not decoded
        c.idb(LinkType.RAW, 0);
        c.epb(0, 1, frame(1, 20));
        c.epb(1, 2, frame(2, 20));
        c.epb(0, 3, frame(3, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::interfaceId).containsExactly(1);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(Anomaly.capture_link_type_unsupported, 2L));
    }

    @Test
    void pcapng_caplenAbsurd_blockSkippedAndReadingGoesOn() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE).idb(LinkType.RAW, 64);
        c.epb(0, 1, 300_000, 300_000, frame(1, 20));       // beyond MAX_CAPLEN
        c.epb(0, 2, 0xffff_ffffL, 20, frame(2, 20));       // beyond MAX_CAPLEN and the block
        c.epb(0, 3, 40, 40, frame(3, 20));                 // more than the block holds
        c.epb(0, 4, frame(4, 100));                        // over snaplen 64: noted, delivered
        c.epb(0, 5, frame(5, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.stopReason()).isNull();
        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(4_000L, 5_000L);
        assertThat(r.frames()).extracting(Frame::caplen).containsExactly(100, 20);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(
                Anomaly.capture_caplen_too_large, 2L,
                Anomaly.capture_caplen_exceeds_block, 1L,
                Anomaly.capture_caplen_exceeds_snaplen, 1L));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 8, 13, 30, 0xffff_ffffL})
    void pcapng_blockLengthMalformed_stopsWithReason(long len) throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE).idb(LinkType.RAW, 0).epb(0, 1, frame(1, 20)); // 52..104
        c.block(PcapngSource.BT_EPB, len, frame(2, 20), len);
        c.epb(0, 3, frame(3, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).hasSize(1);
        assertThat(r.stopReason()).isEqualTo("bad block length " + len);
        assertThat(r.stopOffset()).isEqualTo(104);
        assertThat(anomalies.get(Anomaly.capture_bad_block_length)).isEqualTo(1);
    }

    @Test
    void pcapng_blockLengthPastEndOfFile_stopsWithReason() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE).idb(LinkType.RAW, 0);
        c.block(PcapngSource.BT_EPB, 0xffff_fffcL, frame(2, 20), 0xffff_fffcL);
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).isEmpty();
        assertThat(r.stopReason()).isEqualTo("truncated block (32 of 4294967292 bytes)");
        assertThat(anomalies.get(Anomaly.capture_truncated_record)).isEqualTo(1);
    }

    @Test
    void pcapng_trailerDiffersFromHeader_stopsWithReason() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE).idb(LinkType.RAW, 0);
        c.block(PcapngSource.BT_EPB, 48, frame(2, 36), 44); // 48 bytes long, trailer says 44
        c.epb(0, 3, frame(3, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).isEmpty();
        assertThat(r.stopReason()).isEqualTo("block length 48 but trailer says 44");
        assertThat(anomalies.get(Anomaly.capture_bad_block_length)).isEqualTo(1);
    }

    @Test
    void pcapng_tooManyInterfaces_extraCountedAndTheirPacketsSkipped() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(LE);
        for (int i = 0; i <= PcapngSource.MAX_INTERFACES; i++) {
            c.idb(LinkType.RAW, 0);
        }
        c.epb(PcapngSource.MAX_INTERFACES - 1, 1, frame(1, 20));
        c.epb(PcapngSource.MAX_INTERFACES, 2, frame(2, 20));
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::interfaceId).containsExactly(PcapngSource.MAX_INTERFACES - 1);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(
                Anomaly.capture_too_many_interfaces, 1L, Anomaly.capture_unknown_interface, 1L));
    }

    @Test
    void pcapng_optionsMalformed_countedAndInterfaceKept() throws Exception {
        CaptureBytes c = CaptureBytes.pcapng(BE);
        byte[] wideTsresol = new CaptureBytes(BE).u16(PcapngSource.OPT_TSRESOL).u16(2).u16(9).u16(0).bytes();
        byte[] overrun = new CaptureBytes(BE).u16(PcapngSource.OPT_TSOFFSET).u16(400).bytes();
        c.idb(LinkType.RAW, 0, wideTsresol, overrun);
        c.epb(0, 1, frame(1, 20)); // default resolution: microseconds
        AnomalyCounters anomalies = new AnomalyCounters();

        Read r = read(c.bytes(), anomalies);

        assertThat(r.frames()).extracting(Frame::tsNanos).containsExactly(1_000L);
        assertThat(anomalies.nonZero()).isEqualTo(Map.of(Anomaly.capture_bad_option, 2L));
    }

    @Test
    void toNanos_everyResolution_matchesExactArithmetic() {
        Random random = new Random(7);
        BigInteger nanosPerSecond = BigInteger.valueOf(1_000_000_000L);
        BigInteger longMax = BigInteger.valueOf(Long.MAX_VALUE);
        long[] edges = {0, 1, 5, 999, 1L << 32, Long.MAX_VALUE, Long.MIN_VALUE, -1};
        for (int tsresol = 0; tsresol < 256; tsresol++) {
            int n = tsresol & 0x7f;
            BigInteger perSecond = (tsresol & 0x80) == 0 ? BigInteger.TEN.pow(n) : BigInteger.TWO.pow(n);
            for (int k = 0; k < 200; k++) {
                long units = k < edges.length ? edges[k] : random.nextLong() >>> random.nextInt(64);
                BigInteger exact = new BigInteger(Long.toUnsignedString(units)).multiply(nanosPerSecond).divide(perSecond);
                long expected = exact.compareTo(longMax) > 0 ? PcapngSource.OUT_OF_RANGE : exact.longValueExact();

                assertThat(PcapngSource.toNanos(units, tsresol))
                        .as("units %s at tsresol 0x%02x", Long.toUnsignedString(units), tsresol)
                        .isEqualTo(expected);
            }
        }
    }
}
