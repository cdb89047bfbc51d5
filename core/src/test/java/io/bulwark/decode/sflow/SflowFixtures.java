package io.bulwark.decode.sflow;

import io.bulwark.decode.export.ExportedFlow;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.function.Consumer;

/**
 * Hand-written sFlow v5 datagrams (sflow.org "sFlow Version 5"), field by field. Words are
 * XDR: 32-bit big-endian; every length-prefixed structure is written between
 * {@link Xdr#open()} and {@link Xdr#close()}, which fills in its length.
 */
final class SflowFixtures {
    static final String AGENT = "192.0.2.1";
    static final long SUB_AGENT = 3;

    /**
     * A 60-byte Ethernet frame holding a 40-byte TCP SYN 10.0.0.2:40000 -> 10.0.0.1:23,
     * padded to Ethernet's minimum (the FCS is not included).
     */
    static final byte[] ETHERNET_TCP_SYN = hex(
            "020000000001" + "020000000002" + "0800"          // dst mac, src mac, type IPv4
            + "45" + "00" + "0028"                           // v4 ihl 5, tos, total length 40
            + "0001" + "4000"                                // id 1, DF, fragment offset 0
            + "40" + "06" + "0000"                           // ttl 64, proto TCP, checksum
            + "0a000002" + "0a000001"                        // 10.0.0.2 -> 10.0.0.1
            + "9c40" + "0017"                                // ports 40000 -> 23
            + "00000001" + "00000000"                        // seq 1, ack 0
            + "50" + "02" + "0400" + "0000" + "0000"         // data offset 5, SYN, window, csum, urg
            + "000000000000");                               // Ethernet padding to 60 bytes

    /** A raw IPv6 packet (56 bytes): UDP 2001:db8::2:5683 -> 2001:db8::1:5683 with 8 bytes of CoAP. */
    static final byte[] IPV6_UDP = hex(
            "60000000" + "0010" + "11" + "40"                // v6, payload 16, next UDP, hop limit 64
            + "20010db8000000000000000000000002"             // src 2001:db8::2
            + "20010db8000000000000000000000001"             // dst 2001:db8::1
            + "1633" + "1633" + "0010" + "0000"              // ports 5683 -> 5683, length 16, csum
            + "4001000100000000");                           // CoAP GET, message id 1

    /** An Ethernet ARP request: a sampled frame that is not IP. */
    static final byte[] ETHERNET_ARP = hex(
            "ffffffffffff" + "020000000002" + "0806"          // broadcast, src mac, type ARP
            + "0001" + "0800" + "06" + "04" + "0001"          // Ethernet, IPv4, sizes, request
            + "020000000002" + "0a000002"                     // sender mac, ip
            + "000000000000" + "0a000001");                   // target mac, ip

    private SflowFixtures() {
    }

    /** Datagram header, IPv4 agent; the caller adds {@code samples} samples. */
    static Xdr datagram(String agent, long subAgent, long seq, long uptimeMs, long samples) {
        return new Xdr()
                .u32(5)                 // version
                .u32(1)                 // agent address type: IPv4
                .ip(agent)              // agent address
                .u32(subAgent)          // sub_agent_id
                .u32(seq)               // sequence_number (datagrams from this sub-agent)
                .u32(uptimeMs)          // uptime, ms since the agent booted
                .u32(samples);          // number of samples
    }

    /**
     * A compact flow sample (format 1) from source ifIndex {@code index} at 1-in-{@code rate},
     * with an extended switch record (skipped) and a raw Ethernet header record.
     */
    static Xdr flowSample(Xdr x, long seq, long index, long rate, byte[] frame, long frameLength) {
        x.u32(1).open()                 // data_format: enterprise 0, flow_sample; length
                .u32(seq)               // sequence_number (samples from this source)
                .u32(index)             // source_id: type 0 (ifIndex) << 24 | index
                .u32(rate)              // sampling_rate
                .u32(rate * seq)        // sample_pool: packets that could have been sampled
                .u32(0)                 // drops
                .u32(index)             // input ifIndex
                .u32(0)                 // output ifIndex
                .u32(2);                // number of flow records
        x.u32(1001).open()              // extended_switch
                .u32(10).u32(0)         // src_vlan, src_priority
                .u32(10).u32(0)         // dst_vlan, dst_priority
                .close();
        rawHeader(x, 1, frameLength, 4, frame); // Ethernet, FCS stripped
        return x.close();
    }

    /** A sampled_header record (flow record format 1). */
    static Xdr rawHeader(Xdr x, long protocol, long frameLength, long stripped, byte[] header) {
        return x.u32(1).open()          // data_format: raw packet header; length
                .u32(protocol)          // header_protocol: 1 Ethernet, 11 IPv4, 12 IPv6
                .u32(frameLength)       // frame_length, on the wire
                .u32(stripped)          // stripped (e.g. the 4-byte FCS)
                .opaque(header)         // header length, bytes, padding
                .close();
    }

    /** A generic interface counters sample (format 2) for ifIndex {@code index}. */
    static Xdr counterSample(Xdr x, long seq, long index) {
        x.u32(2).open()                 // data_format: counters_sample; length
                .u32(seq)               // sequence_number (counter polls of this source)
                .u32(index)             // source_id
                .u32(1);                // number of counter records
        x.u32(1).open()                 // generic interface counters (if_counters)
                .u32(index).u32(6)      // ifIndex, ifType ethernetCsmacd
                .u32(0).u32(100_000_000) // ifSpeed (64 bits)
                .u32(1).u32(3);         // ifDirection full duplex, ifStatus up
        for (int i = 0; i < 16; i++) {
            x.u32(0);                   // in/out octets (64 bits each), packets, errors, discards, promiscuous
        }
        return x.close().close();
    }

    /** Datagram: one flow sample with the Ethernet TCP SYN at 1-in-100. */
    static byte[] synDatagram(long seq, long sampleSeq) {
        Xdr x = datagram(AGENT, SUB_AGENT, seq, 1000 + seq, 1);
        return flowSample(x, sampleSeq, 7, 100, ETHERNET_TCP_SYN, 64).bytes();
    }

    /** The fields of an {@link ExportedFlow} worth asserting, copied out of the reused object. */
    record Flow(ExportedFlow.Source source, int ipVersion, long srcHi, long srcLo, long dstHi, long dstLo,
                int srcPort, int dstPort, int protocol, int tcpFlags, long packets, long bytes,
                int samplingRate, long startNanos, long endNanos, long exportNanos,
                long exporterHi, long exporterLo, long domain) {
        static Flow of(ExportedFlow f) {
            return new Flow(f.source, f.ipVersion, f.srcHi, f.srcLo, f.dstHi, f.dstLo, f.srcPort, f.dstPort,
                    f.protocol, f.tcpFlags, f.packets, f.bytes, f.samplingRate, f.startNanos, f.endNanos,
                    f.exportNanos, f.exporterHi, f.exporterLo, f.domain);
        }
    }

    /**
     * Decodes {@code datagram} placed at offset 5 of a larger buffer filled with 0xee, so that
     * a decoder reading relative to 0 or past the given length shows up.
     */
    static int decode(SflowDecoder d, byte[] datagram, long receivedNanos, Consumer<Flow> out) {
        byte[] big = new byte[datagram.length + 16];
        java.util.Arrays.fill(big, (byte) 0xee);
        System.arraycopy(datagram, 0, big, 5, datagram.length);
        return d.decode(ByteBuffer.wrap(big), 5, datagram.length, 0, 0x0000_ffff_7f00_0001L, 6343,
                receivedNanos, f -> out.accept(Flow.of(f)));
    }

    static long v4(String dotted) {
        long v = 0;
        for (String part : dotted.split("\\.")) {
            v = v << 8 | Integer.parseInt(part);
        }
        return 0x0000_ffff_0000_0000L | v;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
