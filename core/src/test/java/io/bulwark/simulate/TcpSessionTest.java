package io.bulwark.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TcpSessionTest {
    private static final long START = 1_768_471_200_000_000_000L;
    private static final Endpoint CLIENT = new Endpoint(0xc0a8011e, 0xf48c50a1b2c3L);
    private static final Endpoint SERVER = new Endpoint(0x5db8d822, 0xa040a03c5e12L);

    @TempDir
    Path dir;

    private List<CapturedFrame> run(boolean established, TcpSession.Close close, TcpSession.Script script) throws Exception {
        Path file = dir.resolve("session.pcap");
        try (PcapWriter w = new PcapWriter(file)) {
            Sim sim = new Sim(5, w, Long.MAX_VALUE, START);
            TcpSession.Plan plan = new TcpSession.Plan(CLIENT, 50000, SERVER, 443, 40_000_000, 2_000_000,
                    100_000, 200_000, 52, true, established, close, script);
            sim.at(START, new TcpSession(plan, new SplittableRandom(9)));
            sim.run(Long.MAX_VALUE);
        }
        return CapturedFrame.readAll(file);
    }

    private static TcpSession.Script twoExchanges(Noise noise) {
        return i -> i < 2 ? new TcpSession.Exchange(1_000_000, new Payload.Tls(3_000, noise, i),
                new Payload.Tls(10_000, noise, 100 + i)) : null;
    }

    @Test
    void fullSession_handshakeDataFin_sequenceNumbersContinuous() throws Exception {
        Noise noise = new Noise(new SplittableRandom(1));
        List<CapturedFrame> frames = run(false, TcpSession.Close.CLIENT_FIN, twoExchanges(noise));
        CapturedFrame syn = frames.get(0);
        CapturedFrame synAck = frames.get(1);
        CapturedFrame ack = frames.get(2);
        assertThat(syn.tcpFlags()).isEqualTo(Frame.SYN);
        assertThat(synAck.tcpFlags()).isEqualTo(Frame.SYN | Frame.ACK);
        assertThat(synAck.ack()).isEqualTo((syn.seq() + 1) & 0xffff_ffffL);
        assertThat(ack.ack()).isEqualTo((synAck.seq() + 1) & 0xffff_ffffL);
        assertThat(synAck.tsNanos() - syn.tsNanos()).isEqualTo(40_000_000);

        long[] next = {(syn.seq() + 1) & 0xffff_ffffL, (synAck.seq() + 1) & 0xffff_ffffL};
        long[] bytes = new long[2];
        for (CapturedFrame f : frames.subList(2, frames.size())) {
            int side = f.src() == CLIENT.ip() ? 0 : 1;
            assertThat(f.seq()).as("seq continuous").isEqualTo(next[side]);
            assertThat(f.ack()).as("acks only what the peer sent").isLessThanOrEqualTo(next[1 - side]);
            int len = f.tcpPayloadLength() + ((f.tcpFlags() & Frame.FIN) != 0 ? 1 : 0);
            next[side] = (next[side] + len) & 0xffff_ffffL;
            bytes[side] += f.tcpPayloadLength();
            assertThat(f.tcpPayloadLength()).isLessThanOrEqualTo(1448);
            assertThat(WireCheck.valid(f.b(), CapturedFrame.IP)).isTrue();
        }
        assertThat(bytes).containsExactly(2 * 3_000, 2 * 10_000);
        int n = frames.size();
        assertThat(frames.get(n - 3).tcpFlags()).isEqualTo(Frame.FIN | Frame.ACK);
        assertThat(frames.get(n - 3).src()).isEqualTo(CLIENT.ip());
        assertThat(frames.get(n - 2).tcpFlags()).isEqualTo(Frame.FIN | Frame.ACK);
        assertThat(frames.get(n - 1).tcpFlags()).isEqualTo(Frame.ACK);
        assertThat(frames.get(n - 1).ack()).isEqualTo(next[1]);
    }

    @Test
    void fullSession_lastAckOfEachDirection_coversAllData() throws Exception {
        Noise noise = new Noise(new SplittableRandom(1));
        List<CapturedFrame> frames = run(false, TcpSession.Close.SERVER_FIN, twoExchanges(noise));
        long clientEnd = 0;
        long serverAcked = 0;
        for (CapturedFrame f : frames) {
            if (f.src() == CLIENT.ip()) {
                clientEnd = (f.seq() + f.tcpPayloadLength()) & 0xffff_ffffL;
            } else if ((f.tcpFlags() & Frame.ACK) != 0) {
                serverAcked = f.ack();
            }
        }
        // The client's final ACK answers the server's FIN; the server's ACK before its FIN covers all client data.
        assertThat(serverAcked).isEqualTo((clientEnd + 1) & 0xffff_ffffL);
        assertThat(frames.get(frames.size() - 3).src()).isEqualTo(SERVER.ip());
    }

    @Test
    void establishedSession_joinedMidway_startsWithDataNotSyn() throws Exception {
        Noise noise = new Noise(new SplittableRandom(1));
        List<CapturedFrame> frames = run(true, TcpSession.Close.CLIENT_RST, twoExchanges(noise));
        assertThat(frames).noneMatch(f -> (f.tcpFlags() & Frame.SYN) != 0);
        assertThat(frames.get(0).tcpPayloadLength()).isPositive();
        assertThat(frames.get(frames.size() - 1).tcpFlags()).isEqualTo(Frame.RST | Frame.ACK);
    }

    @Test
    void timestamps_everySegment_nopNopTimestampOption() throws Exception {
        Noise noise = new Noise(new SplittableRandom(1));
        List<CapturedFrame> frames = run(true, TcpSession.Close.CLIENT_FIN, twoExchanges(noise));
        for (CapturedFrame f : frames) {
            int opts = f.l4() + 20;
            assertThat(f.tcpHeaderLength()).isEqualTo(32);
            assertThat(new byte[] {f.b()[opts], f.b()[opts + 1], f.b()[opts + 2], f.b()[opts + 3]})
                    .containsExactly(1, 1, 8, 10);
        }
    }
}
