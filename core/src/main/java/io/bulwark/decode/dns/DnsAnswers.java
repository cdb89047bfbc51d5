package io.bulwark.decode.dns;

import io.bulwark.decode.packet.PacketView;

/**
 * Reads the IPv4 addresses a DNS response gives for its question (RFC 1035 section 4), for
 * naming C2 peers. Only responses holding an A record allocate (the question's name, once);
 * the rest of the parse reads the payload in place. Hostile messages never throw: compression
 * loops, labels past the end and absurd counts end the parse, returning what was read.
 *
 * <pre>
 *  header (12 bytes): id | flags (QR bit 15, RCODE low 4 bits) | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
 *  question: QNAME (labels or a pointer) | QTYPE | QCLASS
 *  answer:   NAME | TYPE | CLASS | TTL (4) | RDLENGTH | RDATA (A: 4 bytes)
 * </pre>
 */
public final class DnsAnswers {
    /** Receives each A record of a response. */
    public interface Sink {
        void answer(String name, int ipv4);
    }

    private static final int MAX_ANSWERS = 32;

    private DnsAnswers() {
    }

    /** Parses a UDP payload; returns the number of A records handed to {@code sink}. */
    public static int read(PacketView p, Sink sink) {
        int n = p.payloadLength();
        if (n < 12 || (p.payloadByte(2) & 0x80) == 0 || (p.payloadByte(3) & 0x0f) != 0) {
            return 0;
        }
        int qd = u16(p, 4);
        int an = u16(p, 6);
        if (qd != 1 || an == 0) {
            return 0;
        }
        int answers = skipName(p, 12, n);
        if (answers < 0 || answers + 4 > n) {
            return 0;
        }
        answers += 4;
        // The name is made only for a response that holds an A record: a dual-stack device asks
        // for AAAA (and HTTPS) records as often as for A, and making the name is most of the cost.
        if (answers(p, answers, n, Math.min(an, MAX_ANSWERS), null, null) == 0) {
            return 0;
        }
        StringBuilder name = new StringBuilder(64);
        int at = name(p, 12, n, name);
        if (at < 0 || at + 4 > n) {
            return 0;
        }
        return answers(p, answers, n, Math.min(an, MAX_ANSWERS), name.toString(), sink);
    }

    /** Walks {@code count} answer records from {@code at}; gives each A record to the sink, if any. */
    private static int answers(PacketView p, int at, int n, int count, String qname, Sink sink) {
        int found = 0;
        for (int i = 0; i < count; i++) {
            at = skipName(p, at, n);
            if (at < 0 || at + 10 > n) {
                break;
            }
            int type = u16(p, at);
            int rdlen = u16(p, at + 8);
            at += 10;
            if (at + rdlen > n) {
                break;
            }
            if (type == 1 && rdlen == 4) {
                if (sink != null) {
                    int ip = (p.payloadByte(at) << 24) | (p.payloadByte(at + 1) << 16)
                            | (p.payloadByte(at + 2) << 8) | p.payloadByte(at + 3);
                    sink.answer(qname, ip);
                }
                found++;
            }
            at += rdlen;
        }
        return found;
    }

    /**
     * The question name of a DNS query or response (lower case, no trailing dot), or null when
     * the payload is not a one-question message. Allocates the name; for matching names against
     * a list, not for every packet of a busy resolver.
     */
    public static String question(PacketView p) {
        int n = p.payloadLength();
        if (n < 17 || u16(p, 4) != 1) {
            return null;
        }
        StringBuilder name = new StringBuilder(64);
        int at = name(p, 12, n, name);
        return at < 0 || at + 4 > n || name.length() == 0 ? null : name.toString();
    }

    private static int u16(PacketView p, int at) {
        return (p.payloadByte(at) << 8) | p.payloadByte(at + 1);
    }

    /** Reads a name at {@code at} into {@code out}; returns the offset after it, or -1. */
    static int name(PacketView p, int at, int n, StringBuilder out) {
        return DnsName.lowerCase(p::payloadByte, 0, at, n, out);
    }

    private static int skipName(PacketView p, int at, int n) {
        for (int labels = 0; labels < 128; labels++) {
            if (at >= n) {
                return -1;
            }
            int len = p.payloadByte(at);
            if (len == 0) {
                return at + 1;
            }
            if ((len & 0xc0) == 0xc0) {
                return at + 2 <= n ? at + 2 : -1;
            }
            if ((len & 0xc0) != 0) {
                return -1;
            }
            at += 1 + len;
        }
        return -1;
    }
}
