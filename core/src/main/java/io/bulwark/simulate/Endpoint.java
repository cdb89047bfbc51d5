package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;

/**
 * One end of a conversation as the capture point sees it: its IPv4 address and the MAC
 * address on frames it sends. A host beyond the gateway has the gateway's MAC.
 */
record Endpoint(int ip, long mac) {
    static Endpoint of(String ip, long mac) {
        return new Endpoint(v4(ip), mac);
    }

    static int v4(String dotted) {
        IpAddr a = IpAddr.parse(dotted);
        if (a == null || !a.isV4()) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        return a.v4();
    }

    IpAddr addr() {
        return IpAddr.ofV4(ip);
    }

    /** Starts a frame from this endpoint to {@code dst}: Ethernet II and IPv4 headers. */
    Frame ipv4To(Frame f, Endpoint dst, int protocol, int ttl, int id, boolean dontFragment) {
        return f.ethernet(dst.mac, mac, Frame.ETHERTYPE_IPV4).ipv4(ip, dst.ip, protocol, ttl, id, dontFragment);
    }

    /** Starts a UDP datagram from this endpoint to {@code dst}; payload follows. */
    Frame udpTo(Frame f, Endpoint dst, int srcPort, int dstPort, int ttl, int id) {
        return ipv4To(f, dst, Frame.PROTO_UDP, ttl, id, true).udp(srcPort, dstPort);
    }

    @Override
    public String toString() {
        return addr() + String.format("/%012x", mac);
    }
}
