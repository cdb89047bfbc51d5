package io.bulwark.decode.packet;

import java.nio.ByteBuffer;

/**
 * One captured frame and what the decoder read from it. A single instance is reused for
 * every packet (the per-packet path allocates nothing): a capture reader fills the frame
 * fields, {@link PacketDecoder#decode} fills the rest. Fields are plain public so that the
 * hot loop reads them without calls; consumers outside decode use the {@link PacketView}
 * accessors. Values are only valid until the next packet is read.
 *
 * <p>Addresses use the {@code hi/lo} form of {@link io.bulwark.flow.IpAddr} (IPv4-mapped).
 * Sequence numbers are unsigned 32-bit values held in a long.
 */
public final class Packet implements PacketView {
    // ---- frame, set by the capture reader ----
    /** Buffer holding the frame; big-endian. Frame bytes are [frameOffset, frameOffset+caplen). */
    public ByteBuffer buf;
    public int frameOffset;
    public int caplen;
    public int wirelen;
    /** Traffic time, nanoseconds since the Unix epoch. */
    public long tsNanos;
    public int linkType;
    public int interfaceId;
    /** Byte offset of the record in its file (for evidence references), -1 when not from a file. */
    public long fileOffset;
    /** Length of the whole record in the file, header included. */
    public int recordLength;

    // ---- link ----
    public long srcMac;
    public long dstMac;
    public boolean hasMac;
    public int vlanId;
    public int vlanDepth;
    public int etherType;

    // ---- network ----
    /** 4, 6, or 0 when the frame carries no IP packet we could decode. */
    public int ipVersion;
    public int l3Offset;
    public long srcHi;
    public long srcLo;
    public long dstHi;
    public long dstLo;
    public int protocol;
    public int ttl;
    public int ipId;
    /** True for any fragment (more-fragments set or a non-zero offset). */
    public boolean fragment;
    /** True for a non-first fragment: no transport header follows. */
    public boolean laterFragment;
    /** IP length (header + payload) as the header claims it: what the packet was on the wire. */
    public int ipLength;

    // ---- transport ----
    public int l4Offset;
    public int srcPort;
    public int dstPort;
    public int tcpFlags;
    public long seq;
    public long ack;
    public int window;
    public int tcpOptionsLength;
    public int icmpType;
    public int icmpCode;
    public int payloadOffset;
    public int payloadLength;

    // ---- GRE tunnel (outer packet stays the flow; the inner one is described here) ----
    public boolean gre;
    public int greProtocol;
    /** Inner IP protocol, or -1 when there is none (or it did not decode). */
    public int innerProtocol;
    public int innerSrcPort;
    public int innerDstPort;
    public int innerPayloadLength;
    public boolean innerEthernet;

    /** Resets everything the decoder sets; called by the decoder before each packet. */
    void clearDecoded() {
        hasMac = false;
        srcMac = dstMac = 0;
        vlanId = vlanDepth = etherType = 0;
        ipVersion = 0;
        l3Offset = l4Offset = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        protocol = ttl = ipId = 0;
        fragment = laterFragment = false;
        ipLength = 0;
        srcPort = dstPort = tcpFlags = 0;
        seq = ack = 0;
        window = tcpOptionsLength = icmpType = icmpCode = 0;
        payloadOffset = payloadLength = 0;
        gre = false;
        greProtocol = 0;
        innerProtocol = -1;
        innerSrcPort = innerDstPort = innerPayloadLength = 0;
        innerEthernet = false;
    }

    // ---- PacketView ----
    @Override public long tsNanos() { return tsNanos; }
    @Override public int wireLength() { return wirelen; }
    @Override public long fileOffset() { return fileOffset; }
    @Override public int recordLength() { return recordLength; }
    @Override public int ipVersion() { return ipVersion; }
    @Override public long srcHi() { return srcHi; }
    @Override public long srcLo() { return srcLo; }
    @Override public long dstHi() { return dstHi; }
    @Override public long dstLo() { return dstLo; }
    @Override public int protocol() { return protocol; }
    @Override public int srcPort() { return srcPort; }
    @Override public int dstPort() { return dstPort; }
    @Override public int tcpFlags() { return tcpFlags; }
    @Override public long seq() { return seq; }
    @Override public long ack() { return ack; }
    @Override public int tcpOptionsLength() { return tcpOptionsLength; }
    @Override public int ttl() { return ttl; }
    @Override public int ipLength() { return ipLength; }
    @Override public boolean fragment() { return fragment; }
    @Override public int icmpType() { return icmpType; }
    @Override public int icmpCode() { return icmpCode; }
    @Override public int payloadLength() { return payloadLength; }
    @Override public int payloadByte(int i) { return buf.get(payloadOffset + i) & 0xff; }
    @Override public boolean gre() { return gre; }
    @Override public int greProtocol() { return greProtocol; }
    @Override public int innerProtocol() { return innerProtocol; }
    @Override public int innerDstPort() { return innerDstPort; }
    @Override public boolean innerEthernet() { return innerEthernet; }
    @Override public long srcMac() { return hasMac ? srcMac : -1; }
    @Override public long dstMac() { return hasMac ? dstMac : -1; }
}
