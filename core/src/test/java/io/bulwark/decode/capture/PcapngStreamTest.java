package io.bulwark.decode.capture;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.packet.Packet;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * pcapng read from a non-seekable stream, as {@code bulwark capture} reads dumpcap's
 * {@code -w -}: fed in small chunks, a packet must come out as soon as its block has arrived
 * (a reader that looked ahead would block here and time out), ISB counters must reach the
 * listener, and a stream far longer than the window must read in bounded memory.
 */
class PcapngStreamTest {
    private static final Duration PATIENCE = Duration.ofSeconds(5);
    private static final long T0 = 1_700_000_000_000_000L;   // microseconds since the epoch

    /** A pipe: each read returns at most what one chunk still holds and blocks until a chunk comes. */
    private static final class Pipe extends InputStream {
        private static final byte[] EOF = new byte[0];
        private final BlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
        private byte[] current = new byte[0];
        private int at;
        private boolean ended;

        void feed(byte[] bytes, int chunk) {
            for (int i = 0; i < bytes.length; i += chunk) {
                chunks.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + chunk)));
            }
        }

        void end() {
            chunks.add(EOF);
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (!ended && at == current.length) {
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                at = 0;
                ended = current == EOF;
            }
            if (ended) {
                return -1;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static CaptureBytes header(ByteOrder order) {
        CaptureBytes c = CaptureBytes.pcapng(order);
        return c.idb(1, 262144, c.ifName("veth0"));
    }

    private static byte[] drain(CaptureBytes c) {
        return c.bytes();
    }

    @Test
    void deliversEachPacketAsSoonAsItsBlockHasArrivedAndHandsOnTheStatistics() {
        for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
            Pipe pipe = new Pipe();
            List<InterfaceStatistics> stats = new ArrayList<>();
            AnomalyCounters anomalies = new AnomalyCounters();
            byte[] head = drain(header(order));
            byte[] first = drain(new CaptureBytes(order).epb(0, T0, CaptureBytes.frame(0x11, 60)));
            pipe.feed(head, 3);
            pipe.feed(first, 5);   // nothing after the first packet yet: reading on would block
            assertTimeoutPreemptively(PATIENCE, () -> {
                try (CaptureSource src = Captures.openStream(pipe, anomalies, "pipe", stats::add)) {
                    Packet p = new Packet();
                    assertThat(src.next(p)).isTrue();
                    assertThat(p.caplen).isEqualTo(60);
                    assertThat(p.tsNanos).isEqualTo(T0 * 1000);
                    assertThat(p.buf.get(p.frameOffset)).isEqualTo((byte) 0x11);

                    CaptureBytes rest = new CaptureBytes(order).epb(0, T0 + 1000, CaptureBytes.frame(0x22, 61));
                    rest.isb(0, T0 + 2000, rest.u64option(PcapngSource.OPT_ISB_IFRECV, 1234),
                            rest.u64option(PcapngSource.OPT_ISB_IFDROP, 56), rest.u64option(PcapngSource.OPT_ISB_OSDROP, 7));
                    pipe.feed(rest.bytes(), 7);
                    pipe.end();
                    assertThat(src.next(p)).isTrue();
                    assertThat(p.caplen).isEqualTo(61);
                    assertThat(p.buf.get(p.frameOffset + 60)).isEqualTo((byte) 0x22);
                    assertThat(src.next(p)).isFalse();
                    assertThat(src.stopReason()).isNull();
                }
            });
            assertThat(stats).containsExactly(new InterfaceStatistics(0, "veth0", (T0 + 2000) * 1000, 1234, 56, 7, -1, -1));
            assertThat(anomalies.nonZero()).isEmpty();
        }
    }

    @Test
    void readsAStreamManyTimesLongerThanItsWindow() {
        CaptureBytes c = header(ByteOrder.LITTLE_ENDIAN);
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            c.epb(0, T0 + i, CaptureBytes.frame(i & 0xff, 1000 + (i % 500)));
        }
        byte[] all = c.bytes();
        assertThat(all.length).isGreaterThan(40 * MappedFile.READ_WINDOW);
        Pipe pipe = new Pipe();
        pipe.feed(all, 65_536 - 13);
        pipe.end();
        assertTimeoutPreemptively(PATIENCE, () -> {
            try (CaptureSource src = Captures.openStream(pipe, new AnomalyCounters(), "pipe", null)) {
                Packet p = new Packet();
                for (int i = 0; i < n; i++) {
                    assertThat(src.next(p)).as("packet %d", i).isTrue();
                    assertThat(p.caplen).isEqualTo(1000 + (i % 500));
                    assertThat(p.buf.get(p.frameOffset + p.caplen - 1)).isEqualTo((byte) i);
                    assertThat(p.buf.capacity()).isLessThanOrEqualTo(MappedFile.READ_WINDOW);
                }
                assertThat(src.next(p)).isFalse();
                assertThat(src.stopReason()).isNull();
                assertThat(src.position()).isEqualTo(all.length);
            }
        });
    }

    @Test
    void aStreamEndingInsideABlockStopsWithTheReasonAfterKeepingWhatCameBefore() throws Exception {
        CaptureBytes c = header(ByteOrder.LITTLE_ENDIAN).epb(0, T0, CaptureBytes.frame(1, 60));
        int whole = c.size();
        c.epb(0, T0 + 1, CaptureBytes.frame(2, 60));
        byte[] cut = Arrays.copyOf(c.bytes(), whole + 30);
        try (CaptureSource src = Captures.openStream(new ByteArrayInputStream(cut), new AnomalyCounters(), "pipe", null)) {
            Packet p = new Packet();
            assertThat(src.next(p)).isTrue();
            assertThat(src.next(p)).isFalse();
            assertThat(src.stopReason()).contains("truncated block");
            assertThat(src.stopOffset()).isEqualTo(whole);
        }
    }

    @Test
    void refusesAStreamThatIsNotPcapngOrIsEmpty() {
        byte[] pcap = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, 65535, 1).bytes();
        assertThatThrownBy(() -> Captures.openStream(new ByteArrayInputStream(pcap), new AnomalyCounters(), "pipe", null))
                .isInstanceOf(BadInputException.class).hasMessageContaining("not a pcapng stream");
        assertThatThrownBy(() -> Captures.openStream(new ByteArrayInputStream(new byte[0]), new AnomalyCounters(), "pipe", null))
                .isInstanceOf(BadInputException.class).hasMessageContaining("empty stream");
    }
}
