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
}
