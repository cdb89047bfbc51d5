package io.bulwark.decode.sflow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.LinkType;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.decode.export.ExportDecoder;
import io.bulwark.decode.export.ExportGate;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import io.bulwark.flow.IpAddr;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Objects;

/**
 * Decodes sFlow version 5 datagrams (sflow.org, "sFlow Version 5", July 2004) into one
 * {@link ExportedFlow} per flow sample: the sampled packet's 5-tuple and TCP flags, with
 * packets = sampling rate and bytes = IP length x sampling rate. sFlow carries no absolute
 * time, so every sample is stamped with the datagram's arrival time.
 *
 * <p>The sampled packet comes from the raw packet header record (Ethernet, IPv4 or IPv6),
 * decoded by {@link PacketDecoder}; when there is none, or it is not IP, from a sampled
 * IPv4 / IPv6 record. Counter samples are counted in {@link ExporterStats#counterSamples};
 * unknown samples and records are skipped by their length.
 *
 * <p>Bad bytes never throw. Every length is checked against its enclosing structure: a
 * damaged record or sample is counted ({@link Anomaly#sflow_sample_invalid}) and skipped,
 * and a datagram cut short ({@link Anomaly#sflow_truncated}) still delivers the samples
 * before the cut. State is bounded by {@link SflowLimits}. The per-sample path allocates
 * nothing: one {@link Packet}, one {@link ExportedFlow} and the caller's buffer are reused.
 * A sample is delivered only when {@link ExportGate} admits it (a plausible sampling rate and
 * packet length, within the agent's record budget). Not thread-safe: one instance per
 * decoding thread.
 */
public final class SflowDecoder implements ExportDecoder {
    static final int VERSION = 5;
    static final int ADDRESS_IPV4 = 1;
    static final int ADDRESS_IPV6 = 2;
    // sample_record data_format, enterprise 0 (enterprise << 12 | format)
    static final int FLOW_SAMPLE = 1;
    static final int COUNTER_SAMPLE = 2;
    static final int FLOW_SAMPLE_EXPANDED = 3;
    static final int COUNTER_SAMPLE_EXPANDED = 4;
    // flow_record data_format, enterprise 0
    static final int RECORD_RAW_HEADER = 1;
    static final int RECORD_SAMPLED_IPV4 = 3;
    static final int RECORD_SAMPLED_IPV6 = 4;
    // sampled_header header_protocol
    static final int HEADER_ETHERNET = 1;
    static final int HEADER_IPV4 = 11;
    static final int HEADER_IPV6 = 12;

    private static final long MASK32 = 0xffff_ffffL;
    private static final int FLOW_SAMPLE_FIXED = 32;
    private static final int FLOW_SAMPLE_EXPANDED_FIXED = 44;
    private static final int RAW_HEADER_FIXED = 16;
    private static final int SAMPLED_IPV4_LENGTH = 32;
    private static final int SAMPLED_IPV6_LENGTH = 56;

    private final SflowLimits limits;
    private final AnomalyCounters anomalies;
    private final AgentTable agents;
    private final ExportGate gate;
    private final PacketDecoder packets;
    private final Packet pkt = new Packet();
    private final ExportedFlow flow = new ExportedFlow();

    // the datagram being decoded
    private ByteBuffer b;
    private boolean damaged;
    private int slot;
    private ExporterStats st;
    private long agentHi;
    private long agentLo;
    private long subAgent;
    private long now;

    public SflowDecoder(SflowLimits limits, AnomalyCounters anomalies) {
        this(limits, ExportBounds.defaults(), anomalies);
    }

    public SflowDecoder(SflowLimits limits, ExportBounds bounds, AnomalyCounters anomalies) {
        this.limits = Objects.requireNonNull(limits);
        this.anomalies = Objects.requireNonNull(anomalies);
        this.agents = new AgentTable(limits, anomalies);
        this.gate = new ExportGate(bounds, anomalies);
        this.packets = new PacketDecoder(anomalies);
        pkt.fileOffset = -1;
    }

    /** With {@link SflowLimits#DEFAULTS}. */
    public SflowDecoder(AnomalyCounters anomalies) {
        this(SflowLimits.DEFAULTS, anomalies);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The exporter's UDP address is not used: sFlow names its agent inside the datagram,
     * and relays or NAT often change the source. Flows, stats and sequence numbers are
     * attributed to the agent address and sub-agent id.
     */
    @Override
    public int decode(ByteBuffer buf, int offset, int length, long exporterHi, long exporterLo, int exporterPort,
                      long receivedNanos, ExportSink sink) {
        Objects.checkFromIndexSize(offset, length, buf.capacity());
        this.b = buf;
        this.damaged = false;
        this.now = receivedNanos;
        int end = offset + length;
        /*
         *  sample_datagram_v5 (XDR: big-endian, 4-byte aligned)
         *  0  version = 5
         *  4  agent address type: 1 IPv4, 2 IPv6
         *  8  agent address (4 or 16 bytes)
         *  +0 sub_agent_id | +4 sequence_number | +8 uptime (ms) | +12 number of samples
         *  +16 samples: data_format (enterprise(20) format(12)) | length | opaque data
         */
        if (length < 8) {
            if (length >= 4 && buf.getInt(offset) != VERSION) {
                return bad(Anomaly.export_version_unknown);
            }
            return bad(Anomaly.sflow_truncated);
        }
        int type = buf.getInt(offset + 4);
        if (buf.getInt(offset) != VERSION || (type != ADDRESS_IPV4 && type != ADDRESS_IPV6)) {
            return bad(Anomaly.export_version_unknown);
        }
        int header = type == ADDRESS_IPV4 ? 28 : 40;
        if (length < header) {
            return bad(Anomaly.sflow_truncated);
        }
        int at = offset + 8;
        if (type == ADDRESS_IPV4) {
            agentHi = 0;
            agentLo = 0x0000_ffff_0000_0000L | u32(at);
            at += 4;
        } else {
            agentHi = buf.getLong(at);
            agentLo = buf.getLong(at + 8);
            at += 16;
        }
        subAgent = u32(at);
        slot = agents.slot(agentHi, agentLo, (int) subAgent);
        st = agents.stats(slot);
        st.packets++;
        st.seen(receivedNanos);
        gap(agents.datagram(slot, u32(at + 4), u32(at + 8)));
        long count = u32(at + 12);
        at += 16;
        int delivered = 0;
        for (long i = 0; i < count; i++) {
            if (i == limits.maxSamplesPerDatagram()) {
                bad(Anomaly.sflow_sample_invalid);
                break;
            }
            if (end - at < 8) {
                bad(Anomaly.sflow_truncated);
                break;
            }
            int format = buf.getInt(at);
            long len = u32(at + 4);
            if (len > end - at - 8) {
                bad(Anomaly.sflow_truncated);
                break;
            }
            delivered += sample(format, at + 8, (int) len, sink);
            at = (int) Math.min(end, at + 8 + pad4(len));
        }
        if (damaged) {
            st.malformed++;
        }
        return delivered;
    }

    @Override
    public Collection<ExporterStats> stats() {
        return agents.all();
    }

    /** Agents with their own stats entry (for tests of the bound). */
    int agentCount() {
        return agents.agents();
    }

    /** Sources whose sample sequence is tracked (for tests of the bound). */
    int sourceCount() {
        return agents.sources();
    }

    private int sample(int format, int off, int len, ExportSink sink) {
        if (format >>> 12 != 0) {
            return 0; // another enterprise's sample: skipped by its length
        }
        switch (format) {
            case FLOW_SAMPLE:
                return flowSample(off, len, false, sink);
            case FLOW_SAMPLE_EXPANDED:
                return flowSample(off, len, true, sink);
            case COUNTER_SAMPLE:
            case COUNTER_SAMPLE_EXPANDED:
                st.counterSamples++;
                return 0;
            default:
                return 0;
        }
    }

    /*
     *  flow_sample (format 1)                    flow_sample_expanded (format 3)
     *  0  sequence_number                        0  sequence_number
     *  4  source_id: type(8) index(24)           4  source_id type | 8 source_id index
     *  8  sampling_rate                          12 sampling_rate
     *  12 sample_pool                            16 sample_pool
     *  16 drops                                  20 drops
     *  20 input | 24 output                      24 input format | 28 value
     *  28 number of flow records                 32 output format | 36 value
     *  32 flow records                           40 number of flow records, 44 records
     *  flow_record: data_format | length | opaque data
     */
    private int flowSample(int off, int len, boolean expanded, ExportSink sink) {
        if (len < (expanded ? FLOW_SAMPLE_EXPANDED_FIXED : FLOW_SAMPLE_FIXED)) {
            return bad(Anomaly.sflow_sample_invalid);
        }
        long sourceType;
        long sourceIndex;
        long rate;
        long records;
        int at;
        if (expanded) {
            sourceType = u32(off + 4) & 0xff;
            sourceIndex = u32(off + 8);
            rate = u32(off + 12);
            records = u32(off + 40);
            at = off + FLOW_SAMPLE_EXPANDED_FIXED;
        } else {
            long id = u32(off + 4);
            sourceType = id >>> 24;
            sourceIndex = id & 0xff_ffff;
            rate = u32(off + 8);
            records = u32(off + 28);
            at = off + FLOW_SAMPLE_FIXED;
        }
        gap(agents.sample(slot, sourceType << 32 | sourceIndex, u32(off)));
        if (rate == 0 || rate > Integer.MAX_VALUE) {
            return bad(Anomaly.sflow_sample_invalid);
        }
        int end = off + len;
        int raw = -1;
        int v4 = -1;
        int v6 = -1;
        // Each record is at least 8 bytes, so the loop ends with the sample whatever the count.
        for (long r = 0; r < records; r++) {
            if (end - at < 8) {
                return bad(Anomaly.sflow_sample_invalid);
            }
            int format = b.getInt(at);
            long rlen = u32(at + 4);
            if (rlen > end - at - 8) {
                return bad(Anomaly.sflow_sample_invalid);
            }
            int data = at + 8;
            if (format == RECORD_RAW_HEADER && raw < 0) {
                if (rlen < RAW_HEADER_FIXED || u32(data + 12) > rlen - RAW_HEADER_FIXED) {
                    return bad(Anomaly.sflow_sample_invalid);
                }
                raw = data;
            } else if (format == RECORD_SAMPLED_IPV4 && v4 < 0) {
                if (rlen < SAMPLED_IPV4_LENGTH) {
                    return bad(Anomaly.sflow_sample_invalid);
                }
                v4 = data;
            } else if (format == RECORD_SAMPLED_IPV6 && v6 < 0) {
                if (rlen < SAMPLED_IPV6_LENGTH) {
                    return bad(Anomaly.sflow_sample_invalid);
                }
                v6 = data;
            }
            at = (int) Math.min(end, data + pad4(rlen));
        }
        flow.clear();
        boolean found = (raw >= 0 && fromHeader(raw))
                || (v4 >= 0 && fromSampledIpv4(v4))
                || (v6 >= 0 && fromSampledIpv6(v6));
        if (!found) {
            anomalies.count(Anomaly.sflow_header_undecodable, -1);
            return 0;
        }
        flow.source = ExportedFlow.Source.sflow5;
        flow.packets = rate;
        flow.bytes *= rate;
        flow.samplingRate = (int) rate;
        flow.startNanos = flow.endNanos = flow.exportNanos = now;
        flow.exporterHi = agentHi;
        flow.exporterLo = agentLo;
        flow.domain = subAgent << 32 | (sourceType << 24 | (sourceIndex & 0xff_ffff));
        if (!gate.admit(flow, st, now)) {
            return 0;
        }
        st.records++;
        sink.flow(flow);
        return 1;
    }

    /*
     *  sampled_header (flow record format 1)
     *  0  header_protocol: 1 Ethernet (ISO 8802-3), 11 IPv4, 12 IPv6
     *  4  frame_length: the packet's length on the wire, before sampling
     *  8  stripped: bytes removed before the header was taken (e.g. the 4-byte FCS)
     *  12 header length | 16 header bytes (padded to 4)
     */
    private boolean fromHeader(int at) {
        int linkType = switch (b.getInt(at)) {
            case HEADER_ETHERNET -> LinkType.ETHERNET;
            case HEADER_IPV4 -> LinkType.IPV4;
            case HEADER_IPV6 -> LinkType.IPV6;
            default -> -1;
        };
        if (linkType < 0) {
            return false;
        }
        long frameLength = u32(at + 4);
        long stripped = u32(at + 8);
        pkt.buf = b;
        pkt.frameOffset = at + RAW_HEADER_FIXED;
        pkt.caplen = (int) u32(at + 12);
        pkt.wirelen = (int) Math.min(frameLength, Integer.MAX_VALUE);
        pkt.tsNanos = now;
        pkt.linkType = linkType;
        if (!packets.decode(pkt) || pkt.ipVersion == 0) {
            return false;
        }
        flow.ipVersion = pkt.ipVersion;
        flow.srcHi = pkt.srcHi;
        flow.srcLo = pkt.srcLo;
        flow.dstHi = pkt.dstHi;
        flow.dstLo = pkt.dstLo;
        flow.srcPort = pkt.srcPort;
        flow.dstPort = pkt.dstPort;
        flow.protocol = pkt.protocol;
        flow.tcpFlags = pkt.tcpFlags;
        flow.bytes = layer3Length(frameLength - (pkt.l3Offset - pkt.frameOffset) - stripped);
        return true;
    }

    /**
     * The sampled packet's layer 3 length. frame_length counts the link header and the stripped
     * bytes (the flow contract counts layer 3), and Ethernet pads short frames to 60 bytes, so
     * a 40-byte TCP SYN arrives as a 64-byte frame: the IP header's own length is exact when it
     * fits in the frame. It is not used when it is 0 (offloaded IPv4, IPv6 jumbogram) or claims
     * more than the frame held; a frame too short for its own header leaves only the IP length.
     */
    private long layer3Length(long fromFrame) {
        int lengthField = pkt.ipVersion == 4 ? pkt.l3Offset + 2 : pkt.l3Offset + 4;
        boolean claimed = (b.getShort(lengthField) & 0xffff) != 0;
        if (claimed && (fromFrame <= 0 || pkt.ipLength <= fromFrame)) {
            return pkt.ipLength;
        }
        return fromFrame > 0 ? fromFrame : pkt.ipLength;
    }

    /*
     *  sampled_ipv4 (format 3)                  sampled_ipv6 (format 4)
     *  0  length (IP packet, no link header)    0  length | 4 protocol
     *  4  protocol                              8  src_ip (16) | 24 dst_ip (16)
     *  8  src_ip | 12 dst_ip                    40 src_port | 44 dst_port
     *  16 src_port | 20 dst_port                48 tcp_flags | 52 priority
     *  24 tcp_flags | 28 tos
     */
    private boolean fromSampledIpv4(int at) {
        flow.ipVersion = 4;
        flow.srcLo = 0x0000_ffff_0000_0000L | u32(at + 8);
        flow.dstLo = 0x0000_ffff_0000_0000L | u32(at + 12);
        sampledTail(at, 16);
        return true;
    }

    private boolean fromSampledIpv6(int at) {
        long srcHi = b.getLong(at + 8);
        long srcLo = b.getLong(at + 16);
        long dstHi = b.getLong(at + 24);
        long dstLo = b.getLong(at + 32);
        if (IpAddr.isV4(srcHi, srcLo) || IpAddr.isV4(dstHi, dstLo)) {
            // As in PacketDecoder: a mapped address would alias the IPv4 host in every table.
            anomalies.count(Anomaly.ipv6_mapped_ipv4_address, -1);
            return false;
        }
        flow.ipVersion = 6;
        flow.srcHi = srcHi;
        flow.srcLo = srcLo;
        flow.dstHi = dstHi;
        flow.dstLo = dstLo;
        sampledTail(at, 40);
        return true;
    }

    private void sampledTail(int at, int ports) {
        flow.bytes = u32(at);
        flow.protocol = (int) (u32(at + 4) & 0xff);
        flow.srcPort = (int) (u32(at + ports) & 0xffff);
        flow.dstPort = (int) (u32(at + ports + 4) & 0xffff);
        flow.tcpFlags = (int) (u32(at + ports + 8) & 0xff);
    }

    private void gap(long lost) {
        if (lost > 0) {
            st.sequenceGaps += lost;
            anomalies.count(Anomaly.export_sequence_gap, -1);
        }
    }

    /** Counts damage; returns 0 records so that callers can {@code return bad(...)}. */
    private int bad(Anomaly a) {
        anomalies.count(a, -1);
        damaged = true;
        return 0;
    }

    private long u32(int at) {
        return b.getInt(at) & MASK32;
    }

    /** XDR pads opaque data to a multiple of 4 bytes (RFC 4506 section 4.10). */
    private static long pad4(long n) {
        return (n + 3) & ~3L;
    }
}
