package io.bulwark.simulate;

/**
 * DNS messages (RFC 1035 section 4) and mDNS announcements (RFC 6762), written as UDP
 * payload. Names are passed pre-encoded ({@link #name}) so that a busy scenario encodes
 * each name once.
 *
 * <pre>
 *  header (12)  id 2 | flags 2 | qdcount 2 | ancount 2 | nscount 2 | arcount 2
 *  question     qname | qtype 2 | qclass 2
 *  answer       name (0xc00c: the question's name) | type 2 | class 2 | ttl 4 | rdlength 2 | rdata
 * </pre>
 */
final class Dns {
    static final int PORT = 53;
    static final int MDNS_PORT = 5353;
    static final int MDNS_GROUP = 0xe00000fb;
    static final long MDNS_MAC = 0x01005e0000fbL;
    static final int TYPE_A = 1;
    static final int TYPE_PTR = 12;
    static final int TYPE_TXT = 16;
    static final int TYPE_AAAA = 28;
    static final int TYPE_SRV = 33;
    private static final int CLASS_IN = 1;
    /** mDNS cache-flush bit on the class of unique records (RFC 6762 section 10.2). */
    private static final int CACHE_FLUSH = 0x8000;
    private static final int QUESTION_NAME = 0xc00c;

    private Dns() {
    }

    /** A dotted name in wire form: length-prefixed labels ending with a zero byte. */
    static byte[] name(String dotted) {
        String[] labels = dotted.split("\\.");
        byte[] out = new byte[dotted.length() + 2];
        int i = 0;
        for (String label : labels) {
            if (label.isEmpty() || label.length() > 63) {
                throw new IllegalArgumentException("bad DNS label in " + dotted);
            }
            out[i++] = (byte) label.length();
            for (int k = 0; k < label.length(); k++) {
                out[i++] = (byte) label.charAt(k);
            }
        }
        out[i] = 0;
        return out;
    }

    /** A recursive query (RD set) for one name. */
    static void query(Frame f, int id, byte[] qname, int qtype) {
        f.u16(id).u16(0x0100).u16(1).u16(0).u16(0).u16(0);
        f.bytes(qname).u16(qtype).u16(CLASS_IN);
    }

    /** The answer to {@link #query}: QR, RD, RA, NOERROR and one A record per address. */
    static void answer(Frame f, int id, byte[] qname, int qtype, int[] addresses, int ttlSeconds) {
        int count = qtype == TYPE_A ? addresses.length : 0;
        f.u16(id).u16(0x8180).u16(1).u16(count).u16(0).u16(0);
        f.bytes(qname).u16(qtype).u16(CLASS_IN);
        for (int i = 0; i < count; i++) {
            f.u16(QUESTION_NAME).u16(TYPE_A).u16(CLASS_IN).u32(ttlSeconds).u16(4).u32(addresses[i]);
        }
    }

    /**
     * An unsolicited mDNS response announcing a service instance: PTR service to instance,
     * SRV instance to host and port, and A host to address (RFC 6763 service discovery).
     */
    static void announce(Frame f, byte[] service, byte[] instance, byte[] host, int port, int address) {
        f.u16(0).u16(0x8400).u16(0).u16(3).u16(0).u16(0);
        f.bytes(service).u16(TYPE_PTR).u16(CLASS_IN).u32(4500).u16(instance.length).bytes(instance);
        f.bytes(instance).u16(TYPE_SRV).u16(CLASS_IN | CACHE_FLUSH).u32(120).u16(6 + host.length)
                .u16(0).u16(0).u16(port).bytes(host);
        f.bytes(host).u16(TYPE_A).u16(CLASS_IN | CACHE_FLUSH).u32(120).u16(4).u32(address);
    }

    /** An mDNS query (id 0, no flags) for the PTR records of a service. */
    static void browse(Frame f, byte[] service) {
        f.u16(0).u16(0).u16(1).u16(0).u16(0).u16(0);
        f.bytes(service).u16(TYPE_PTR).u16(CLASS_IN);
    }

    /**
     * A lookup through a resolver: the query, then after {@code delayNanos} the answer. The
     * resolver's IP id and the client's are drawn by the caller.
     */
    static Burst lookup(Endpoint client, Endpoint resolver, int clientPort, int id, byte[] qname,
                        int[] addresses, int ttlSeconds, long delayNanos, int resolverTtl) {
        return Burst.exchange(
                (f, now) -> {
                    client.udpTo(f, resolver, clientPort, PORT, 64, id);
                    query(f, id, qname, TYPE_A);
                },
                delayNanos,
                (f, now) -> {
                    resolver.udpTo(f, client, PORT, clientPort, resolverTtl, id ^ 0x5a5a);
                    answer(f, id, qname, TYPE_A, addresses, ttlSeconds);
                });
    }
}
