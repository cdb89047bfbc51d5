package io.bulwark.detect;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.flow.CommunityId;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowIds;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;

import java.io.Serializable;
import java.util.Objects;

/**
 * A pointer into the traffic that supports a finding (architecture.md rule 11): the flow's uid and
 * Community ID, and where the packet capture has it, the record's byte range in its file.
 *
 * <p>Detectors keep the first few of these for every peer and window they track, and most
 * never reach an incident, so the two texts are made when first asked for, not when the
 * reference is taken: a Community ID is a SHA-1 and a uid a 14-character string (measured on
 * the 3M-packet bench capture, taking them eagerly cost about 4 % of the whole analysis, most
 * of it for C2 peers that were never reported). The value is the same either way; equality
 * and the hash are over the five values below.
 */
public final class EvidenceRef implements Serializable {
    private static final long serialVersionUID = 2L;

    private String flowUid;
    private String communityId;
    private final String file;
    private final long offset;
    private final int length;
    /** Set while the texts are still to be made from the flow's key and uid. */
    private transient boolean pending;
    private transient long uid;
    private transient long aHi, aLo, bHi, bLo;
    private transient int aPort, bPort, proto;

    /**
     * @param file    capture file name, or null for flow-only sources
     * @param offset  byte offset of the pcap/pcapng record, -1 when none
     * @param length  record length in bytes (header included), 0 when none
     */
    public EvidenceRef(String flowUid, String communityId, String file, long offset, int length) {
        this.flowUid = flowUid;
        this.communityId = communityId;
        this.file = file;
        this.offset = offset;
        this.length = length;
    }

    /** A packet of a live flow: the flow's ids and the packet's record in its capture file. */
    public static EvidenceRef of(FlowEntry flow, String file, PacketView p) {
        EvidenceRef r = new EvidenceRef(null, null, file, p.fileOffset(), p.recordLength());
        r.pending = true;
        r.uid = flow.uid();
        r.aHi = flow.originatorHi();
        r.aLo = flow.originatorLo();
        r.bHi = flow.responderHi();
        r.bLo = flow.responderLo();
        r.aPort = flow.originatorPort();
        r.bPort = flow.responderPort();
        r.proto = flow.protocol();
        return r;
    }

    /** A flow record from any source; no capture bytes to point at. */
    public static EvidenceRef of(FlowRecord f) {
        EvidenceRef r = new EvidenceRef(f.uid(), null, null, -1, 0);
        r.pending = true;
        r.aHi = f.src().hi();
        r.aLo = f.src().lo();
        r.bHi = f.dst().hi();
        r.bLo = f.dst().lo();
        r.aPort = f.srcPort();
        r.bPort = f.dstPort();
        r.proto = f.protocol();
        return r;
    }

    private void resolve() {
        if (pending) {
            if (flowUid == null) {
                flowUid = FlowIds.uidText(uid);
            }
            communityId = CommunityId.v1(0, new IpAddr(aHi, aLo), new IpAddr(bHi, bLo), proto, aPort, bPort);
            pending = false;
        }
    }

    public String flowUid() {
        resolve();
        return flowUid;
    }

    public String communityId() {
        resolve();
        return communityId;
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /** Java serialisation (the Flink job's keyed state) stores the texts, made first. */
    private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
        resolve();
        out.defaultWriteObject();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EvidenceRef r && offset == r.offset && length == r.length
                && Objects.equals(flowUid(), r.flowUid()) && Objects.equals(communityId(), r.communityId())
                && Objects.equals(file, r.file);
    }

    @Override
    public int hashCode() {
        return Objects.hash(flowUid(), communityId(), file, offset, length);
    }

    @Override
    public String toString() {
        return "EvidenceRef[flowUid=" + flowUid() + ", communityId=" + communityId() + ", file=" + file
                + ", offset=" + offset + ", length=" + length + "]";
    }
}
