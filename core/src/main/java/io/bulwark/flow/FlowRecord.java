package io.bulwark.flow;

/**
 * The one normalised flow record (docs/architecture.md): every input, from pcap to Zeek conn.log
 * and NetFlow/IPFIX/sFlow, ends up as this. Direction is the originator's: {@code src} sent
 * the first packet (or the SYN). Counts are estimated true volumes: a sampled source has
 * already multiplied by {@code samplingRate}.
 *
 * @param uid           stable flow id: Zeek's own uid for conn.log input, otherwise {@link FlowIds#uidText}
 * @param startNanos    first packet, traffic time, ns since the epoch
 * @param endNanos      last packet, traffic time
 * @param state         Zeek-style conn_state (S0, SF, REJ, ...) or "-" when unknown
 * @param tcpFlagsOut   OR of TCP flags sent by the originator
 * @param tcpFlagsIn    OR of TCP flags sent by the responder
 * @param samplingRate  1 for unsampled sources
 * @param exporter      where the record came from (file name, exporter address)
 * @param fromPackets   true when the flow was built from packets that detectors also saw
 * @param firstOffset   file byte offset of the first packet, -1 when unknown
 * @param endReason     why the record was emitted
 */
public record FlowRecord(
        String uid,
        IpAddr src, int srcPort,
        IpAddr dst, int dstPort,
        int protocol,
        long startNanos, long endNanos,
        long packetsOut, long bytesOut,
        long packetsIn, long bytesIn,
        int tcpFlagsOut, int tcpFlagsIn,
        String state,
        int samplingRate,
        String exporter,
        boolean fromPackets,
        long firstOffset,
        EndReason endReason) {

    public enum EndReason { idle, active, tcp_close, evicted, end_of_input, exported }

    /** Community ID v1 with seed 0 (https://github.com/corelight/community-id-spec). */
    public String communityId() {
        return CommunityId.v1(0, src, dst, protocol, srcPort, dstPort);
    }

    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** True for a TCP flow whose originator never got an answer (Zeek S0) or was refused (REJ). */
    public boolean unanswered() {
        return protocol == 6 && (packetsIn == 0 || "S0".equals(state) || "REJ".equals(state));
    }
}
