package io.bulwark.decode.packet;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.flow.IpAddr;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class PacketDecoderTest {
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final PacketDecoder decoder = new PacketDecoder(anomalies);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replaceAll("[^0-9a-fA-F]", ""));
    }

    // Ethernet II: dst 00:11:22:33:44:55, src 66:77:88:99:aa:bb
    static final String ETH = "001122334455 66778899aabb";
    // IPv4, IHL 5, total 40, id 0x1234, DF, TTL 64, TCP, 192.168.1.195 -> 45.33.2.7
    static final String IPV4_TCP = "45 00 0028 1234 4000 40 06 0000 c0a801c3 2d210207";
    // TCP 51000 -> 23, seq = 0x2d210207 (= destination: Mirai), ack 0, offset 5, SYN, window 14600
    static final String TCP_SYN = "c738 0017 2d210207 00000000 50 02 3908 0000 0000";

    private Packet packet(int linkType, byte[] frame) {
        Packet p = new Packet();
        p.buf = ByteBuffer.wrap(frame);
        p.frameOffset = 0;
        p.caplen = frame.length;
        p.wirelen = frame.length;
        p.linkType = linkType;
        p.fileOffset = 100;
        return p;
    }

    @Test
    void decode_ethernetIpv4TcpSyn_readsEveryLayer() {
        Packet p = packet(LinkType.ETHERNET, hex(ETH + "0800" + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.srcMac).isEqualTo(0x66778899aabbL);
        assertThat(p.dstMac).isEqualTo(0x001122334455L);
        assertThat(p.ipVersion).isEqualTo(4);
        assertThat(new IpAddr(p.srcHi, p.srcLo)).hasToString("192.168.1.195");
        assertThat(new IpAddr(p.dstHi, p.dstLo)).hasToString("45.33.2.7");
        assertThat(p.protocol).isEqualTo(6);
        assertThat(p.ttl).isEqualTo(64);
        assertThat(p.srcPort).isEqualTo(51000);
        assertThat(p.dstPort).isEqualTo(23);
        assertThat(p.tcpFlags).isEqualTo(PacketView.TCP_SYN);
        assertThat(p.seq).isEqualTo(0x2d210207L).isEqualTo(p.dstLo & 0xffff_ffffL);
        assertThat(p.window).isEqualTo(14600);
        assertThat(p.payloadLength).isZero();
        assertThat(p.ipLength).isEqualTo(40);
        assertThat(anomalies.total()).isZero();
    }

    @Test
    void decode_qinqTags_skipsBothAndKeepsInnerVlan() {
        // 802.1ad outer tag VID 100, 802.1Q inner tag VID 200
        Packet p = packet(LinkType.ETHERNET, hex(ETH + "88a8 0064 8100 00c8 0800" + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.vlanDepth).isEqualTo(2);
        assertThat(p.vlanId).isEqualTo(200);
        assertThat(p.dstPort).isEqualTo(23);
    }

    @Test
    void decode_tagLoop_isCountedNotFollowed() {
        Packet p = packet(LinkType.ETHERNET, hex(ETH + "8100 0001 8100 0001 8100 0001 8100 0001 8100 0001 0800" + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p)).isFalse();
        assertThat(anomalies.get(Anomaly.vlan_too_deep)).isEqualTo(1);
    }

    @Test
    void decode_ipv4Options_areSkippedByIhl() {
        // IHL 6: one 4-byte option (NOP NOP NOP EOL), total 44
        String ip = "46 00 002c 0001 0000 40 06 0000 0a000001 0a000002 01010100";
        Packet p = packet(LinkType.RAW, hex(ip + TCP_SYN));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.l4Offset).isEqualTo(24);
        assertThat(p.dstPort).isEqualTo(23);
    }

    @Test
    void decode_laterIpv4Fragment_hasNoPortsAndIsCounted() {
        // fragment offset 185 (x8 = 1480), UDP
        String ip = "45 00 0020 0001 00b9 40 11 0000 0a000001 0a000002";
        Packet p = packet(LinkType.RAW, hex(ip + "0102030405060708 090a0b0c"));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.fragment).isTrue();
        assertThat(p.laterFragment).isTrue();
        assertThat(p.srcPort).isZero();
        assertThat(anomalies.get(Anomaly.ipv4_fragment)).isEqualTo(1);
    }

    @Test
    void decode_ipv6WithHopByHopAndDestinationOptions_reachesUdp() {
        // IPv6 payload 8+8+12 = 28, next header 0 (hop-by-hop)
        String ip6 = "60000000 001c 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002";
        String hbh = "3c 00 0104 00000000";   // next 60 (dest opts), len 0 (8 bytes), PadN
        String dst = "11 00 0104 00000000";   // next 17 (UDP)
        String udp = "d431 0035 000c 0000 aabbccdd";
        Packet p = packet(LinkType.ETHERNET, hex(ETH + "86dd" + ip6 + hbh + dst + udp));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.ipVersion).isEqualTo(6);
        assertThat(p.protocol).isEqualTo(17);
        assertThat(p.dstPort).isEqualTo(53);
        assertThat(p.payloadLength).isEqualTo(4);
        assertThat(new IpAddr(p.dstHi, p.dstLo)).hasToString("2001:db8::2");
    }

    @Test
    void decode_linuxCookedV1AndV2_findIpv4() {
        String sll = "0000 0001 0006 001122334455 0000 0800";
        Packet p1 = packet(LinkType.LINUX_SLL, hex(sll + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p1)).isTrue();
        assertThat(p1.dstPort).isEqualTo(23);
        String sll2 = "0800 0000 00000002 0001 00 06 001122334455 0000";
        Packet p2 = packet(LinkType.LINUX_SLL2, hex(sll2 + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p2)).isTrue();
        assertThat(p2.dstPort).isEqualTo(23);
    }

    @Test
    void decode_nullLoopbackInHostOrder_findsIpv4() {
        Packet p = packet(LinkType.NULL, hex("02000000" + IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.protocol).isEqualTo(6);
    }

    @Test
    void decode_greIpWithInnerUdp_keepsOuterFlowAndDescribesInner() {
        // outer IPv4 proto 47, GRE with key (K bit) carrying IPv4/UDP to port 80 - Mirai's greip
        String outer = "45 00 0040 0001 0000 40 2f 0000 c0a80102 01020304";
        String gre = "2000 0800 00000001";
        String inner = "45 00 0024 0001 0000 40 11 0000 0a000001 01020304";
        String udp = "3039 0050 0010 0000 0001020304050607";
        Packet p = packet(LinkType.RAW, hex(outer + gre + inner + udp));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.protocol).isEqualTo(47);
        assertThat(p.gre).isTrue();
        assertThat(p.greProtocol).isEqualTo(0x0800);
        assertThat(p.innerProtocol).isEqualTo(17);
        assertThat(p.innerDstPort).isEqualTo(80);
        assertThat(p.innerPayloadLength).isEqualTo(8);
    }

    @Test
    void decode_greTransparentEthernet_decodesInnerFrame() {
        String outer = "45 00 0046 0001 0000 40 2f 0000 c0a80102 01020304";
        String gre = "0000 6558";
        String inner = ETH + "0800" + "45 00 0024 0001 0000 40 11 0000 0a000001 01020304";
        String udp = "3039 1f90 0010 0000 0001020304050607";
        Packet p = packet(LinkType.RAW, hex(outer + gre + inner + udp));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.innerEthernet).isTrue();
        assertThat(p.innerProtocol).isEqualTo(17);
        assertThat(p.innerDstPort).isEqualTo(8080);
    }

    @Test
    void decode_icmpEcho_usesTypeAndCodeAsPorts() {
        String ip = "45 00 001c 0001 0000 40 01 0000 c0a80001 c0a80002";
        Packet p = packet(LinkType.RAW, hex(ip + "0800 0000 00010001"));
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.icmpType).isEqualTo(8);
        assertThat(p.srcPort).isEqualTo(8);
        assertThat(p.dstPort).isZero();
    }

    @Test
    void decode_everyTruncationOfEveryFrame_neverThrows() {
        String[] frames = {
            ETH + "0800" + IPV4_TCP + TCP_SYN,
            ETH + "88a8 0064 8100 00c8 0800" + IPV4_TCP + TCP_SYN,
            ETH + "86dd" + "60000000 001c 00 40 20010db8000000000000000000000001 20010db8000000000000000000000002"
                    + "3c 00 0104 00000000" + "11 00 0104 00000000" + "d431 0035 000c 0000 aabbccdd",
            "45 00 0040 0001 0000 40 2f 0000 c0a80102 01020304 2000 0800 00000001"
                    + "45 00 0024 0001 0000 40 11 0000 0a000001 01020304 3039 0050 0010 0000 0001020304050607",
        };
        int[] links = {LinkType.ETHERNET, LinkType.ETHERNET, LinkType.ETHERNET, LinkType.RAW};
        for (int f = 0; f < frames.length; f++) {
            byte[] whole = hex(frames[f]);
            for (int len = 0; len <= whole.length; len++) {
                Packet p = packet(links[f], Arrays.copyOf(whole, len));
                decoder.decode(p);
                assertThat(p.payloadLength).isGreaterThanOrEqualTo(0);
                assertThat(p.payloadOffset + p.payloadLength).isLessThanOrEqualTo(len);
            }
        }
        assertThat(anomalies.total()).isPositive();
    }

    @Test
    void decode_absurdLengths_areNamedAnomalies() {
        // IHL 15 but only 20 bytes present; TCP data offset 2
        Packet a = packet(LinkType.RAW, hex("4f 00 0028 0001 0000 40 06 0000 0a000001 0a000002"));
        assertThat(decoder.decode(a)).isFalse();
        assertThat(anomalies.get(Anomaly.ipv4_header_truncated)).isEqualTo(1);
        Packet b = packet(LinkType.RAW, hex("45 00 0028 0001 0000 40 06 0000 0a000001 0a000002"
                + "c738 0017 00000000 00000000 20 02 3908 0000 0000"));
        assertThat(decoder.decode(b)).isTrue();
        assertThat(anomalies.get(Anomaly.tcp_header_invalid)).isEqualTo(1);
        // IPv4 total length smaller than its header
        Packet c = packet(LinkType.RAW, hex("45 00 0010 0001 0000 40 06 0000 0a000001 0a000002"));
        assertThat(decoder.decode(c)).isFalse();
        assertThat(anomalies.get(Anomaly.ipv4_total_length_invalid)).isEqualTo(1);
    }

    @Test
    void decode_unknownLinkType_isCounted() {
        Packet p = packet(999, hex(IPV4_TCP + TCP_SYN));
        assertThat(decoder.decode(p)).isFalse();
        assertThat(anomalies.get(Anomaly.link_unknown_type)).isEqualTo(1);
        assertThat(anomalies.firstOffset(Anomaly.link_unknown_type)).isEqualTo(100);
    }

    @Test
    void decode_greInnerTcpCutAfterEightBytes_readsNothingPastTheFrame() {
        String outer = "45 00 0038 0001 0000 40 2f 0000 c0a80102 01020304";
        String gre = "0000 0800";
        String inner = "45 00 0030 0001 0000 40 06 0000 0a000001 01020304";
        String tcp8 = "3039 0050 00000001";
        byte[] frame = hex(outer + gre + inner + tcp8);
        Packet p = packet(LinkType.RAW, frame);
        assertThat(decoder.decode(p)).isTrue();
        assertThat(p.innerProtocol).isEqualTo(6);
        assertThat(p.innerDstPort).isZero();
    }

    @Test
    void decode_ipv4MappedIpv6Source_isRejectedNotAliasedToIpv4() {
        String ip6 = "60000000 0008 11 40 00000000000000000000ffff0a000009 20010db8000000000000000000000002";
        Packet p = packet(LinkType.RAW, hex(ip6 + "d431 0035 0008 0000"));
        assertThat(decoder.decode(p)).isFalse();
        assertThat(anomalies.get(Anomaly.ipv6_mapped_ipv4_address)).isEqualTo(1);
    }
}
