package io.bulwark.decode.packet;

/**
 * Read-only view of a decoded packet, handed to detectors' packet hooks. Valid only
 * during the call: copy what must be kept. Addresses are in {@link io.bulwark.flow.IpAddr}'s
 * two-long form; ports and flags are unsigned ints.
 */
public interface PacketView {
    int TCP_FIN = 0x01;
    int TCP_SYN = 0x02;
    int TCP_RST = 0x04;
    int TCP_PSH = 0x08;
    int TCP_ACK = 0x10;
    int TCP_URG = 0x20;
    int TCP_ECE = 0x40;
    int TCP_CWR = 0x80;

    int PROTO_ICMP = 1;
    int PROTO_TCP = 6;
    int PROTO_UDP = 17;
    int PROTO_GRE = 47;
    int PROTO_ICMPV6 = 58;

    long tsNanos();
    int wireLength();
    long fileOffset();
    int recordLength();
    int ipVersion();
    long srcHi();
    long srcLo();
    long dstHi();
    long dstLo();
    int protocol();
    int srcPort();
    int dstPort();
    int tcpFlags();
    long seq();
    long ack();
    int tcpOptionsLength();
    int ttl();
    int ipLength();
    boolean fragment();
    int icmpType();
    int icmpCode();
    int payloadLength();
    /** Unsigned payload byte {@code i}, 0 <= i < payloadLength(). */
    int payloadByte(int i);
    boolean gre();
    int greProtocol();
    int innerProtocol();
    int innerDstPort();
    boolean innerEthernet();
    /** 48-bit MAC as a long, or -1 when the link layer has none. */
    long srcMac();
    long dstMac();
}
