package io.bulwark.simulate;

import static io.bulwark.simulate.WireCheck.u16;
import static io.bulwark.simulate.WireCheck.u32;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FrameTest {
    private static final long MAC_A = 0x4419b6000001L;
    private static final long MAC_B = 0xa040a0000001L;
    private static final int IP_A = 0xc0a80114; // 192.168.1.20
    private static final int IP_B = 0x5db8d822; // 93.184.216.34

    @Test
    void ipv4Header_knownExample_checksumMatches() {
        // The worked example on the IPv4 header checksum: 4500 0073 0000 4000 4011 [b861]
        // c0a8 0001 c0a8 00c7, a UDP packet of 0x73 bytes.
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(0xc0a80001, 0xc0a800c7, Frame.PROTO_UDP, 64, 0, true)
                .udp(5353, 5353).zeros(0x73 - 28);
        f.finish();
        assertThat(u16(f.array(), 14 + 2)).isEqualTo(0x73);
        assertThat(u16(f.array(), 14 + 10)).isEqualTo(0xb861);
    }

    @Test
    void tcpSyn_linuxOptions_layoutAndChecksumsValid() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_TCP, 64, 0x1234, true)
                .tcp(49152, 443, 0xfffffff0L, 0, Frame.SYN, 64240)
                .mss(1460).sackPermitted().timestamps(0xdeadbeefL, 0).nop().windowScale(7);
        int n = f.finish();
        byte[] b = f.array();
        // 14 Ethernet + 20 IPv4 + 20 TCP + 20 options; no payload.
        assertThat(n).isEqualTo(74);
        assertThat(u16(b, 12)).isEqualTo(0x0800);
        assertThat(u16(b, 14 + 2)).isEqualTo(60);
        assertThat(u16(b, 14 + 6)).isEqualTo(0x4000);
        assertThat(u32(b, 34 + 4)).isEqualTo(0xfffffff0L);
        assertThat((b[34 + 12] & 0xff) >>> 4).isEqualTo(10);
        assertThat(b[34 + 13]).isEqualTo((byte) Frame.SYN);
        // MSS, SACK-permitted, timestamps, NOP, window scale: Linux's order.
        assertThat(new byte[] {b[54], b[55], b[56], b[57], b[58], b[59], b[60], b[61]})
                .containsExactly(2, 4, 0x05, (byte) 0xb4, 4, 2, 8, 10);
        assertThat(new byte[] {b[70], b[71], b[72], b[73]}).containsExactly(1, 3, 3, 7);
        assertThat(WireCheck.valid(b, 14)).isTrue();
    }

    @Test
    void tcpOptions_unaligned_paddedWithEndOfList() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_TCP, 64, 1, true)
                .tcp(1, 2, 3, 4, Frame.SYN, 5).windowScale(2);
        f.finish();
        assertThat((f.array()[34 + 12] & 0xff) >>> 4).isEqualTo(6);
        assertThat(f.array()[34 + 23]).isEqualTo((byte) 0);
        assertThat(WireCheck.valid(f.array(), 14)).isTrue();
    }

    @Test
    void tcpData_oddPayload_checksumValid() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_TCP, 64, 7, true)
                .tcp(49152, 80, 1000, 2000, Frame.ACK | Frame.PSH, 501).nop().nop().timestamps(5, 6)
                .ascii("GET / HTTP/1.1\r\nHost: a.example\r\n\r\n!");
        f.finish();
        assertThat(WireCheck.valid(f.array(), 14)).isTrue();
    }

    @Test
    void shortFrame_paddedTo60_ipLengthExcludesPadding() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_TCP, 64, 7, true)
                .tcp(49152, 80, 1, 2, Frame.ACK, 501);
        assertThat(f.finish()).isEqualTo(Frame.MIN_LENGTH);
        assertThat(u16(f.array(), 16)).isEqualTo(40);
        assertThat(f.array()[59]).isZero();
        assertThat(WireCheck.valid(f.array(), 14)).isTrue();
    }

    @Test
    void udpAndIcmp_anyPayload_checksumsValid() {
        Frame f = new Frame();
        for (int n = 0; n < 40; n++) {
            f.ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4).ipv4(IP_A, IP_B, Frame.PROTO_UDP, 64, n, false)
                    .udp(53000 + n, 53);
            for (int i = 0; i < n; i++) {
                f.u8(i * 37);
            }
            f.finish();
            assertThat(WireCheck.valid(f.array(), 14)).as("udp payload %d", n).isTrue();
            f.ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4).ipv4(IP_A, IP_B, Frame.PROTO_ICMP, 64, n, false)
                    .icmp(8, 0, (0x4242 << 16) | n).zeros(n);
            f.finish();
            assertThat(WireCheck.valid(f.array(), 14)).as("icmp payload %d", n).isTrue();
        }
    }

    @Test
    void greTunnel_innerUdp_innerAndOuterValid() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_GRE, 64, 1, false)
                .gre(0x0800)
                .ipv4(0x0a000001, 0x0a000002, Frame.PROTO_UDP, 63, 2, false)
                .udp(1000, 2000).ascii("inner");
        f.finish();
        byte[] b = f.array();
        assertThat(u16(b, 16)).isEqualTo(20 + 4 + 20 + 8 + 5);
        assertThat(WireCheck.sum16(b, 14, 20, 0)).isEqualTo(0xffff);
        assertThat(WireCheck.valid(b, 14 + 24)).isTrue();
    }

    @Test
    void optionAfterPayload_throws() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_TCP, 64, 1, true).tcp(1, 2, 3, 4, Frame.ACK, 5).u8(1);
        assertThatThrownBy(() -> f.mss(1460)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void payload_pastMtu_throws() {
        Frame f = new Frame().ethernet(MAC_B, MAC_A, Frame.ETHERTYPE_IPV4)
                .ipv4(IP_A, IP_B, Frame.PROTO_UDP, 64, 1, false).udp(1, 2).zeros(1472);
        assertThat(f.finish()).isEqualTo(Frame.MAX_LENGTH);
        assertThatThrownBy(() -> f.u8(0)).isInstanceOf(IllegalStateException.class);
    }
}
