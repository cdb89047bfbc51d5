package io.bulwark.decode.packet;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.flow.IpAddr;

import java.nio.ByteBuffer;

/**
 * Decodes a captured frame in place: link layer, IPv4/IPv6, TCP/UDP/ICMP, and GRE with its
 * inner packet. Reads fields straight from the buffer at fixed offsets and allocates
 * nothing. Bad bytes never throw: they are counted as a named {@link Anomaly}, decoding
 * stops at the damaged layer and what was decoded above it is kept.
 *
 * <p>Not thread-safe; one instance per decoding thread.
 */
public final class PacketDecoder {
    static final int ETH_IPV4 = 0x0800;
    static final int ETH_IPV6 = 0x86dd;
    static final int ETH_VLAN = 0x8100;
    static final int ETH_QINQ = 0x88a8;
    static final int ETH_QINQ_OLD = 0x9100;
    static final int ETH_PPPOE_SESSION = 0x8864;
    static final int ETH_TEB = 0x6558;
    /** More tags than any real network stacks; a loop of tags is an attack on the decoder. */
    static final int MAX_VLAN_DEPTH = 4;
    /** Extension headers followed before giving up (RFC 8200 allows each about once). */
    static final int MAX_IPV6_EXT_HEADERS = 8;

    private final AnomalyCounters anomalies;
    private Packet p;
    private ByteBuffer b;
    private int end;

    public PacketDecoder(AnomalyCounters anomalies) {
        this.anomalies = anomalies;
    }

    /**
     * Decodes {@code pkt}'s frame. Returns true when an IP packet was found (the flow fields
     * are then set); false for non-IP frames and frames damaged below the IP header.
     */
    public boolean decode(Packet pkt) {
        this.p = pkt;
        this.b = pkt.buf;
        this.end = pkt.frameOffset + pkt.caplen;
        pkt.clearDecoded();
        int off = pkt.frameOffset;
        switch (pkt.linkType) {
            case LinkType.ETHERNET:
                return ethernet(off, false);
            case LinkType.RAW:
            case LinkType.RAW_BSD:
            case LinkType.RAW_BSD14:
                return rawIp(off);
            case LinkType.IPV4:
                return ipv4(off, false);
            case LinkType.IPV6:
                return ipv6(off, false);
            case LinkType.LINUX_SLL:
                return sll(off);
            case LinkType.LINUX_SLL2:
                return sll2(off);
            case LinkType.NULL:
            case LinkType.LOOP:
                return nullLoopback(off, pkt.linkType == LinkType.LOOP);
            default:
                return bad(Anomaly.link_unknown_type);
        }
    }

    private boolean bad(Anomaly a) {
        anomalies.count(a, p.fileOffset);
        return false;
    }

    /*
     *  Ethernet II                          802.1Q / 802.1ad tag (repeats for QinQ)
     *  0  dst mac (6)                       0  TPID 8100 | 88a8 | 9100
     *  6  src mac (6)                       2  PCP(3) DEI(1) VID(12)
     *  12 ethertype (2)                     4  next ethertype
     */
    private boolean ethernet(int off, boolean inner) {
        if (end - off < 14) {
            return bad(Anomaly.ethernet_truncated);
        }
        if (!inner) {
            p.dstMac = mac(off);
            p.srcMac = mac(off + 6);
            p.hasMac = true;
        }
        int type = b.getShort(off + 12) & 0xffff;
        off += 14;
        int depth = 0;
        while (type == ETH_VLAN || type == ETH_QINQ || type == ETH_QINQ_OLD) {
            if (++depth > MAX_VLAN_DEPTH) {
                return bad(Anomaly.vlan_too_deep);
            }
            if (end - off < 4) {
                return bad(Anomaly.vlan_truncated);
            }
            if (!inner) {
                p.vlanId = b.getShort(off) & 0x0fff;
                p.vlanDepth = depth;
            }
            type = b.getShort(off + 2) & 0xffff;
            off += 4;
        }
        if (!inner) {
            p.etherType = type;
        }
        return etherPayload(type, off, inner);
    }

    private boolean etherPayload(int type, int off, boolean inner) {
        switch (type) {
            case ETH_IPV4:
                return ipv4(off, inner);
            case ETH_IPV6:
                return ipv6(off, inner);
            case ETH_PPPOE_SESSION:
                return pppoe(off, inner);
            default:
                // ARP, LLDP, 802.3 length fields and the like: not IP, not damage.
                return false;
        }
    }

    /*
     *  PPPoE session (RFC 2516)           PPP protocol (RFC 1661)
     *  0 ver(4) type(4) | code | session(2) | length(2)   6  protocol: 0021 IPv4, 0057 IPv6
     */
    private boolean pppoe(int off, boolean inner) {
        if (end - off < 8) {
            return bad(Anomaly.pppoe_truncated);
        }
        int proto = b.getShort(off + 6) & 0xffff;
        if (proto == 0x0021) {
            return ipv4(off + 8, inner);
        }
        if (proto == 0x0057) {
            return ipv6(off + 8, inner);
        }
        return false;
    }

    private long mac(int off) {
        return ((long) (b.getShort(off) & 0xffff) << 32) | (b.getInt(off + 2) & 0xffff_ffffL);
    }

    private boolean rawIp(int off) {
        if (end - off < 1) {
            return bad(Anomaly.ipv4_header_truncated);
        }
        int v = (b.get(off) & 0xf0) >>> 4;
        if (v == 4) {
            return ipv4(off, false);
        }
        if (v == 6) {
            return ipv6(off, false);
        }
        return bad(Anomaly.ip_version_mismatch);
    }

    /*
     *  Linux cooked v1 (16 bytes)                 Linux cooked v2 (20 bytes)
     *  0  packet type (2)                         0  protocol (2)
     *  2  ARPHRD type (2)                         2  reserved (2)
     *  4  address length (2)                      4  interface index (4)
     *  6  address (8)                             8  ARPHRD type (2)
     *  14 protocol (2)                            10 packet type (1), 11 address length (1)
     *                                             12 address (8)
     */
    private boolean sll(int off) {
        if (end - off < 16) {
            return bad(Anomaly.sll_truncated);
        }
        int type = b.getShort(off + 14) & 0xffff;
        return etherPayload(type, off + 16, false);
    }

    private boolean sll2(int off) {
        if (end - off < 20) {
            return bad(Anomaly.sll_truncated);
        }
        int type = b.getShort(off) & 0xffff;
        return etherPayload(type, off + 20, false);
    }

    /*
     *  BSD loopback: 4-byte address family, host byte order for LINKTYPE_NULL and network
     *  byte order for LINKTYPE_LOOP. AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30
     *  depending on the OS that wrote the capture.
     */
    private boolean nullLoopback(int off, boolean networkOrder) {
        if (end - off < 4) {
            return bad(Anomaly.null_truncated);
        }
        int fam = b.getInt(off);
        if (!networkOrder && (fam & 0xffff) == 0) {
            fam = Integer.reverseBytes(fam);
        }
        switch (fam) {
            case 2:
                return ipv4(off + 4, false);
            case 24:
            case 28:
            case 30:
                return ipv6(off + 4, false);
            default:
                return bad(Anomaly.null_unknown_family);
        }
    }

    /*
     *  IPv4 (RFC 791)
     *  0  version(4) IHL(4) | DSCP/ECN | total length (2)
     *  4  identification (2) | flags(3) fragment offset(13)
     *  8  TTL | protocol | header checksum (2)
     *  12 source address
     *  16 destination address
     *  20 options (IHL*4 - 20 bytes)
     */
    private boolean ipv4(int off, boolean inner) {
        if (end - off < 20) {
            return bad(Anomaly.ipv4_header_truncated);
        }
        int vihl = b.get(off) & 0xff;
        if ((vihl >>> 4) != 4) {
            return bad(Anomaly.ip_version_mismatch);
        }
        int ihl = (vihl & 0x0f) * 4;
        if (ihl < 20) {
            return bad(Anomaly.ipv4_header_invalid);
        }
        if (end - off < ihl) {
            return bad(Anomaly.ipv4_header_truncated);
        }
        int total = b.getShort(off + 2) & 0xffff;
        if (total < ihl) {
            // TSO/offloaded captures write 0 here; use what was captured.
            if (total != 0) {
                return bad(Anomaly.ipv4_total_length_invalid);
            }
            total = end - off;
        }
        int ipEnd = Math.min(off + total, end);
        int fragField = b.getShort(off + 6) & 0xffff;
        boolean more = (fragField & 0x2000) != 0;
        int fragOffset = fragField & 0x1fff;
        int proto = b.get(off + 9) & 0xff;
        if (inner) {
            return innerTransport(proto, off + ihl, ipEnd, fragOffset != 0);
        }
        p.ipVersion = 4;
        p.l3Offset = off;
        p.ipLength = total;
        p.ipId = b.getShort(off + 4) & 0xffff;
        p.ttl = b.get(off + 8) & 0xff;
        p.protocol = proto;
        p.srcHi = 0;
        p.srcLo = 0x0000_ffff_0000_0000L | (b.getInt(off + 12) & 0xffff_ffffL);
        p.dstHi = 0;
        p.dstLo = 0x0000_ffff_0000_0000L | (b.getInt(off + 16) & 0xffff_ffffL);
        if (more || fragOffset != 0) {
            p.fragment = true;
            anomalies.count(Anomaly.ipv4_fragment, p.fileOffset);
            if (fragOffset != 0) {
                p.laterFragment = true;
                return true;
            }
        }
        transport(proto, off + ihl, ipEnd);
        return true;
    }

    /*
     *  IPv6 (RFC 8200)
     *  0  version(4) traffic class(8) flow label(20)
     *  4  payload length (2) | next header | hop limit
     *  8  source address (16)
     *  24 destination address (16)
     *  40 extension headers, then the upper layer
     */
    private boolean ipv6(int off, boolean inner) {
        if (end - off < 40) {
            return bad(Anomaly.ipv6_header_truncated);
        }
        if (((b.get(off) & 0xf0) >>> 4) != 6) {
            return bad(Anomaly.ip_version_mismatch);
        }
        int payloadLen = b.getShort(off + 4) & 0xffff;
        // A zero payload length means a jumbogram (RFC 2675) or an offloaded capture.
        int ipEnd = payloadLen == 0 ? end : Math.min(off + 40 + payloadLen, end);
        int next = b.get(off + 6) & 0xff;
        int at = off + 40;
        boolean later = false;
        boolean frag = false;
        for (int n = 0; ; n++) {
            if (next != 0 && next != 43 && next != 44 && next != 60 && next != 51 && next != 135) {
                break;
            }
            if (n >= MAX_IPV6_EXT_HEADERS) {
                return bad(Anomaly.ipv6_ext_header_chain_too_long);
            }
            if (ipEnd - at < 8) {
                return bad(Anomaly.ipv6_ext_header_truncated);
            }
            int nh = b.get(at) & 0xff;
            int len;
            if (next == 44) {
                // Fragment header: fixed 8 bytes; offset in the upper 13 bits of bytes 2-3.
                frag = true;
                later = (b.getShort(at + 2) & 0xfff8) != 0;
                len = 8;
            } else if (next == 51) {
                len = ((b.get(at + 1) & 0xff) + 2) * 4;
            } else {
                len = ((b.get(at + 1) & 0xff) + 1) * 8;
            }
            at += len;
            next = nh;
            if (at > ipEnd) {
                return bad(Anomaly.ipv6_ext_header_truncated);
            }
        }
        if (inner) {
            return innerTransport(next, at, ipEnd, later);
        }
        p.ipVersion = 6;
        p.l3Offset = off;
        p.ipLength = payloadLen == 0 ? ipEnd - off : 40 + payloadLen;
        p.ttl = b.get(off + 7) & 0xff;
        p.protocol = next;
        p.srcHi = b.getLong(off + 8);
        p.srcLo = b.getLong(off + 16);
        p.dstHi = b.getLong(off + 24);
        p.dstLo = b.getLong(off + 32);
        if (IpAddr.isV4(p.srcHi, p.srcLo) || IpAddr.isV4(p.dstHi, p.dstLo)) {
            // ::ffff:a.b.c.d never appears on the wire (RFC 4291 2.5.5.2); it would alias
            // the IPv4 host a.b.c.d in every table keyed by address.
            p.ipVersion = 0;
            return bad(Anomaly.ipv6_mapped_ipv4_address);
        }
        if (frag) {
            p.fragment = true;
            anomalies.count(Anomaly.ipv6_fragment, p.fileOffset);
            if (later) {
                p.laterFragment = true;
                return true;
            }
        }
        transport(next, at, ipEnd);
        return true;
    }

    private void transport(int proto, int off, int ipEnd) {
        p.l4Offset = off;
        switch (proto) {
            case PacketView.PROTO_TCP -> tcp(off, ipEnd);
            case PacketView.PROTO_UDP -> udp(off, ipEnd);
            case PacketView.PROTO_ICMP, PacketView.PROTO_ICMPV6 -> icmp(off, ipEnd);
            case PacketView.PROTO_GRE -> gre(off, ipEnd);
            default -> {
                p.payloadOffset = off;
                p.payloadLength = Math.max(0, ipEnd - off);
            }
        }
    }

    /*
     *  TCP (RFC 9293)
     *  0  source port | destination port
     *  4  sequence number
     *  8  acknowledgment number
     *  12 data offset(4) reserved(4) | flags CWR ECE URG ACK PSH RST SYN FIN | window
     *  16 checksum | urgent pointer
     *  20 options (data offset*4 - 20 bytes), then payload
     */
    private void tcp(int off, int ipEnd) {
        if (ipEnd - off < 20) {
            anomalies.count(Anomaly.tcp_header_truncated, p.fileOffset);
            return;
        }
        int hlen = ((b.get(off + 12) & 0xf0) >>> 4) * 4;
        p.srcPort = b.getShort(off) & 0xffff;
        p.dstPort = b.getShort(off + 2) & 0xffff;
        p.seq = b.getInt(off + 4) & 0xffff_ffffL;
        p.ack = b.getInt(off + 8) & 0xffff_ffffL;
        p.tcpFlags = b.get(off + 13) & 0xff;
        p.window = b.getShort(off + 14) & 0xffff;
        if (hlen < 20) {
            anomalies.count(Anomaly.tcp_header_invalid, p.fileOffset);
            return;
        }
        if (ipEnd - off < hlen) {
            anomalies.count(Anomaly.tcp_header_truncated, p.fileOffset);
            return;
        }
        p.tcpOptionsLength = hlen - 20;
        p.payloadOffset = off + hlen;
        p.payloadLength = ipEnd - off - hlen;
    }

    /*  UDP (RFC 768): 0 source port | destination port, 4 length | checksum, 8 payload */
    private void udp(int off, int ipEnd) {
        if (ipEnd - off < 8) {
            anomalies.count(Anomaly.udp_header_truncated, p.fileOffset);
            return;
        }
        p.srcPort = b.getShort(off) & 0xffff;
        p.dstPort = b.getShort(off + 2) & 0xffff;
        int len = b.getShort(off + 4) & 0xffff;
        int avail = ipEnd - off;
        if (len != 0 && len < 8) {
            anomalies.count(Anomaly.udp_length_invalid, p.fileOffset);
            len = avail;
        }
        p.payloadOffset = off + 8;
        p.payloadLength = Math.max(0, Math.min(len == 0 ? avail : len, avail) - 8);
    }

    /*  ICMP / ICMPv6: 0 type | code | checksum, 4 rest of header, 8 data */
    private void icmp(int off, int ipEnd) {
        if (ipEnd - off < 4) {
            anomalies.count(Anomaly.icmp_header_truncated, p.fileOffset);
            return;
        }
        p.icmpType = b.get(off) & 0xff;
        p.icmpCode = b.get(off + 1) & 0xff;
        // Community ID and Zeek treat type and code as the flow's "ports".
        p.srcPort = p.icmpType;
        p.dstPort = p.icmpCode;
        p.payloadOffset = Math.min(off + 8, ipEnd);
        p.payloadLength = Math.max(0, ipEnd - off - 8);
    }

    /*
     *  GRE (RFC 2784, RFC 2890)
     *  0  C R K S s Recur(3) | flags(5) version(3) | protocol type (2)
     *  4  [checksum | reserved1]   present when C or R
     *     [key (4)]                present when K
     *     [sequence number (4)]    present when S
     *     [routing ...]            version 0 with R only; not followed (obsolete, RFC 1701)
     */
    private void gre(int off, int ipEnd) {
        if (ipEnd - off < 4) {
            anomalies.count(Anomaly.gre_header_truncated, p.fileOffset);
            return;
        }
        int flags = b.getShort(off) & 0xffff;
        int version = flags & 0x7;
        p.gre = true;
        p.greProtocol = b.getShort(off + 2) & 0xffff;
        if (version != 0) {
            // Version 1 is PPTP's enhanced GRE: counted, the inner PPP is not followed.
            anomalies.count(Anomaly.gre_unsupported_version, p.fileOffset);
            return;
        }
        int hlen = 4;
        if ((flags & 0xc000) != 0) {
            hlen += 4;
        }
        if ((flags & 0x2000) != 0) {
            hlen += 4;
        }
        if ((flags & 0x1000) != 0) {
            hlen += 4;
        }
        if (ipEnd - off < hlen) {
            anomalies.count(Anomaly.gre_header_truncated, p.fileOffset);
            return;
        }
        int inner = off + hlen;
        p.payloadOffset = inner;
        p.payloadLength = ipEnd - inner;
        int saved = end;
        end = ipEnd;
        switch (p.greProtocol) {
            case ETH_IPV4 -> ipv4(inner, true);
            case ETH_IPV6 -> ipv6(inner, true);
            case ETH_TEB -> {
                p.innerEthernet = true;
                ethernet(inner, true);
            }
            default -> {
                // Other payloads (MPLS, ERSPAN, ...) are carried but not decoded.
            }
        }
        end = saved;
    }

    private boolean innerTransport(int proto, int off, int ipEnd, boolean laterFragment) {
        p.innerProtocol = proto;
        if (proto == PacketView.PROTO_GRE) {
            anomalies.count(Anomaly.gre_nested, p.fileOffset);
            return false;
        }
        if (laterFragment) {
            return true;
        }
        int need = proto == PacketView.PROTO_TCP ? 20 : 8;
        if ((proto == PacketView.PROTO_TCP || proto == PacketView.PROTO_UDP) && ipEnd - off >= need) {
            p.innerSrcPort = b.getShort(off) & 0xffff;
            p.innerDstPort = b.getShort(off + 2) & 0xffff;
            int hl = proto == PacketView.PROTO_UDP ? 8 : Math.max(20, ((b.get(off + 12) & 0xf0) >>> 4) * 4);
            p.innerPayloadLength = Math.max(0, ipEnd - off - hl);
        }
        return true;
    }
}
