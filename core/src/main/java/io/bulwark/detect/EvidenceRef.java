package io.bulwark.detect;

/**
 * A pointer into the traffic that supports a finding (STYLE.md rule 11): the flow's uid and
 * Community ID, and where the packet capture has it, the record's byte range in its file.
 *
 * @param file    capture file name, or null for flow-only sources
 * @param offset  byte offset of the pcap/pcapng record, -1 when none
 * @param length  record length in bytes (header included), 0 when none
 */
public record EvidenceRef(String flowUid, String communityId, String file, long offset, int length)
        implements java.io.Serializable {

    /** A packet of a live flow: the flow's ids and the packet's record in its capture file. */
    public static EvidenceRef of(io.bulwark.flow.FlowEntry flow, String file, io.bulwark.decode.packet.PacketView p) {
        return new EvidenceRef(io.bulwark.flow.FlowIds.uidText(flow.uid()),
                io.bulwark.flow.CommunityId.v1(0, flow.originator(), flow.responder(), flow.protocol(),
                        flow.originatorPort(), flow.responderPort()),
                file, p.fileOffset(), p.recordLength());
    }

    /** A flow record from any source; no capture bytes to point at. */
    public static EvidenceRef of(io.bulwark.flow.FlowRecord f) {
        return new EvidenceRef(f.uid(), f.communityId(), null, -1, 0);
    }
}
