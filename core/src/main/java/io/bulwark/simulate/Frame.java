package io.bulwark.simulate;

/**
 * Builds one Ethernet II frame at a time into a reused buffer, layer by layer, the way a
 * stack would emit it: {@code ethernet(..).ipv4(..).tcp(..).mss(..)}, then payload bytes,
 * then {@link #finish()}. Lengths and checksums are left as zero while building and filled
 * in by {@code finish}, innermost layer first, so a tunnel (an IPv4 or GRE layer carrying
 * another IPv4 layer) gets correct inner and outer fields.
 *
 * <pre>
 *  Ethernet II (14)  dst mac 6 | src mac 6 | ethertype 2
 *  IPv4 (20)         0x45 | tos | total length 2 | id 2 | flags+fragment 2 |
 *                    ttl | protocol | header checksum 2 | src 4 | dst 4
 *  TCP (20 + opts)   src port 2 | dst port 2 | seq 4 | ack 4 | data offset+flags 2 |
 *                    window 2 | checksum 2 | urgent 2 | options (padded to 4)
 *  UDP (8)           src port 2 | dst port 2 | length 2 | checksum 2
 *  ICMP (8)          type | code | checksum 2 | rest of header 4 (echo: id 2, seq 2)
 * </pre>
 *
 * Frames shorter than {@value #MIN_LENGTH} bytes are zero-padded after the IP packet, as a
 * capture on the wire shows them. Building past {@value #MAX_LENGTH} bytes, or calls in an
 * impossible order, are bugs in the caller and throw {@link IllegalStateException}.
 * Not thread-safe.
 */
public final class Frame {
    /** Ethernet II at a 1500-byte MTU, without FCS. */
    public static final int MAX_LENGTH = 1514;
    /** The 64-byte Ethernet minimum less the 4-byte FCS that captures do not keep. */
    public static final int MIN_LENGTH = 60;

    public static final int ETHERTYPE_IPV4 = 0x0800;
    public static final int PROTO_ICMP = 1;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;
    public static final int PROTO_GRE = 47;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;

    private static final int ETH = 0;
    private static final int IPV4 = 1;
    private static final int TCP = 2;
    private static final int UDP = 3;
    private static final int ICMP = 4;
    private static final int GRE = 5;
    private static final int MAX_LAYERS = 8;

    private final byte[] b = new byte[MAX_LENGTH];
    private final int[] layerKind = new int[MAX_LAYERS];
    private final int[] layerAt = new int[MAX_LAYERS];
    private int layers;
    private int len;
    private int length;
    /** Offset of the TCP header whose options are still open, or -1. */
    private int openTcp = -1;

    /** Starts a new frame. MAC addresses are the low 48 bits of the longs. */
    public Frame ethernet(long dstMac, long srcMac, int etherType) {
        layers = 0;
        len = 0;
        length = 0;
        openTcp = -1;
        push(ETH);
        put48(dstMac);
        put48(srcMac);
        put16(etherType);
        return this;
    }

    /** An IPv4 header without options; DF is what Linux sets on TCP and most UDP. */
    public Frame ipv4(int src, int dst, int protocol, int ttl, int id, boolean dontFragment) {
        closeOptions();
        push(IPV4);
        put8(0x45);
        put8(0);
        put16(0);
        put16(id);
        put16(dontFragment ? 0x4000 : 0);
        put8(ttl);
        put8(protocol);
        put16(0);
        put32(src);
        put32(dst);
        return this;
    }

    /** A TCP header; options may follow until the first payload byte. */
    public Frame tcp(int srcPort, int dstPort, long seq, long ack, int flags, int window) {
        requireAfterIp("tcp");
        push(TCP);
        openTcp = len;
        put16(srcPort);
        put16(dstPort);
        put32((int) seq);
        put32((int) ack);
        put16((5 << 12) | (flags & 0x1ff));
        put16(window);
        put32(0);
        return this;
    }

    public Frame mss(int mss) {
        option(4);
        put8(2);
        put8(4);
        put16(mss);
        return this;
    }

    public Frame sackPermitted() {
        option(2);
        put8(4);
        put8(2);
        return this;
    }

    /** RFC 7323 timestamps; values are unsigned 32-bit. */
    public Frame timestamps(long tsval, long tsecr) {
        option(10);
        put8(8);
        put8(10);
        put32((int) tsval);
        put32((int) tsecr);
        return this;
    }

    public Frame windowScale(int shift) {
        option(3);
        put8(3);
        put8(3);
        put8(shift);
        return this;
    }

    public Frame nop() {
        option(1);
        put8(1);
        return this;
    }

    public Frame udp(int srcPort, int dstPort) {
        requireAfterIp("udp");
        push(UDP);
        put16(srcPort);
        put16(dstPort);
        put32(0);
        return this;
    }

    /** An ICMP header; {@code rest} is the 4 bytes after the checksum (for echo: id &lt;&lt; 16 | seq). */
    public Frame icmp(int type, int code, int rest) {
        requireAfterIp("icmp");
        push(ICMP);
        put8(type);
        put8(code);
        put16(0);
        put32(rest);
        return this;
    }

    /**
     * A basic GRE header (RFC 2784: no checksum, key or sequence) after an IPv4 header
     * whose protocol is {@link #PROTO_GRE}; the encapsulated packet follows, for example
     * another {@link #ipv4} layer with protocol type 0x0800.
     */
    public Frame gre(int protocolType) {
        requireAfterIp("gre");
        push(GRE);
        put16(0);
        put16(protocolType);
        return this;
    }

    /**
     * An Ethernet II header inside a GRE layer of protocol type 0x6558 (transparent
     * Ethernet bridging, RFC 1701); the inner IPv4 layer follows.
     */
    public Frame innerEthernet(long dstMac, long srcMac, int etherType) {
        closeOptions();
        if (layers == 0 || layerKind[layers - 1] != GRE) {
            throw new IllegalStateException("inner Ethernet header must follow a GRE header");
        }
        push(ETH);
        put48(dstMac);
        put48(srcMac);
        put16(etherType);
        return this;
    }

    // ---- payload ----

    public Frame u8(int v) {
        closeOptions();
        put8(v);
        return this;
    }

    public Frame u16(int v) {
        closeOptions();
        put16(v);
        return this;
    }

    public Frame u32(int v) {
        closeOptions();
        put32(v);
        return this;
    }

    public Frame bytes(byte[] src) {
        return bytes(src, 0, src.length);
    }

    public Frame bytes(byte[] src, int off, int n) {
        closeOptions();
        ensure(n);
        System.arraycopy(src, off, b, len, n);
        len += n;
        return this;
    }

    /** Appends the low byte of each char: for protocol text, which is ASCII. */
    public Frame ascii(CharSequence s) {
        closeOptions();
        ensure(s.length());
        for (int i = 0; i < s.length(); i++) {
            b[len++] = (byte) s.charAt(i);
        }
        return this;
    }

    public Frame zeros(int n) {
        closeOptions();
        ensure(n);
        java.util.Arrays.fill(b, len, len + n, (byte) 0);
        len += n;
        return this;
    }

    /** Bytes written so far; payload writers use it to patch fields they come back to. */
    public int position() {
        return len;
    }

    /** Overwrites one byte already written. */
    public void set8(int at, int v) {
        if (at < 0 || at >= len) {
            throw new IllegalStateException("set8 outside the frame: " + at);
        }
        b[at] = (byte) v;
    }

    /**
     * Fills in every length and checksum, pads to {@value #MIN_LENGTH} and returns the
     * frame length. The frame is then read with {@link #array()} and {@link #length()}.
     */
    public int finish() {
        closeOptions();
        int end = len;
        for (int i = layers - 1; i >= 0; i--) {
            int at = layerAt[i];
            switch (layerKind[i]) {
                case TCP -> transportChecksum(i, at, end, at + 16, PROTO_TCP);
                case UDP -> {
                    write16(at + 4, end - at);
                    transportChecksum(i, at, end, at + 6, PROTO_UDP);
                }
                case ICMP -> write16(at + 2, Checksum.finish(Checksum.add(0, b, at, end - at)));
                case IPV4 -> {
                    write16(at + 2, end - at);
                    write16(at + 10, 0);
                    write16(at + 10, Checksum.finish(Checksum.add(0, b, at, 20)));
                }
                default -> {
                }
            }
        }
        if (len < MIN_LENGTH) {
            java.util.Arrays.fill(b, len, MIN_LENGTH, (byte) 0);
            len = MIN_LENGTH;
        }
        length = len;
        return length;
    }

    /** The buffer; bytes [0, length()) are the finished frame. Reused by the next frame. */
    public byte[] array() {
        return b;
    }

    /** Length of the last finished frame. */
    public int length() {
        return length;
    }

    private void transportChecksum(int layer, int at, int end, int field, int protocol) {
        if (layer == 0 || layerKind[layer - 1] != IPV4) {
            throw new IllegalStateException("transport layer without an IPv4 header before it");
        }
        int ip = layerAt[layer - 1];
        long sum = Checksum.add(0, b, ip + 12, 8);
        sum += protocol + (end - at);
        write16(field, 0);
        int c = Checksum.finish(Checksum.add(sum, b, at, end - at));
        // RFC 768: a computed UDP checksum of zero is sent as all ones; zero means "none".
        write16(field, protocol == PROTO_UDP && c == 0 ? 0xffff : c);
    }

    private void option(int n) {
        if (openTcp < 0 || layerKind[layers - 1] != TCP) {
            throw new IllegalStateException("TCP option outside a TCP header");
        }
        if (len + n - openTcp > 60) {
            throw new IllegalStateException("TCP options exceed 40 bytes");
        }
        ensure(n);
    }

    /** Pads open TCP options with end-of-list bytes to a 4-byte boundary and sets the data offset. */
    private void closeOptions() {
        if (openTcp < 0) {
            return;
        }
        while (((len - openTcp) & 3) != 0) {
            put8(0);
        }
        int words = (len - openTcp) >>> 2;
        b[openTcp + 12] = (byte) ((words << 4) | (b[openTcp + 12] & 0x0f));
        openTcp = -1;
    }

    private void requireAfterIp(String what) {
        closeOptions();
        if (layers == 0 || layerKind[layers - 1] != IPV4) {
            throw new IllegalStateException(what + " header must follow an IPv4 header");
        }
    }

    private void push(int kind) {
        if (kind != ETH && layers == 0) {
            throw new IllegalStateException("frame not started: call ethernet() first");
        }
        if (layers == MAX_LAYERS) {
            throw new IllegalStateException("more than " + MAX_LAYERS + " layers");
        }
        layerKind[layers] = kind;
        layerAt[layers] = len;
        layers++;
    }

    private void ensure(int n) {
        if (n < 0 || len + n > MAX_LENGTH) {
            throw new IllegalStateException("frame would exceed " + MAX_LENGTH + " bytes (" + len + " + " + n + ")");
        }
    }

    private void write16(int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }

    private void put8(int v) {
        ensure(1);
        b[len++] = (byte) v;
    }

    private void put16(int v) {
        ensure(2);
        b[len++] = (byte) (v >>> 8);
        b[len++] = (byte) v;
    }

    private void put32(int v) {
        ensure(4);
        b[len++] = (byte) (v >>> 24);
        b[len++] = (byte) (v >>> 16);
        b[len++] = (byte) (v >>> 8);
        b[len++] = (byte) v;
    }

    private void put48(long v) {
        ensure(6);
        for (int shift = 40; shift >= 0; shift -= 8) {
            b[len++] = (byte) (v >>> shift);
        }
    }
}
