package io.bulwark.transport;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.IpAddr;

/**
 * What a packet hook sees of one packet, detached from the decode buffer so that it can
 * travel to another process (Kafka to the Flink job): every {@link PacketView} field, the
 * captured payload, the live flow's counters at that packet and the capture file's name.
 * Flows cannot carry these facts: payload (telnet logins, DNS names, HTTP lines, loader
 * bytes), TCP sequence numbers and options (the Mirai SYN fingerprint), per-packet timing.
 *
 * <p>A detector given a {@code PacketFact} and {@link #flowEntry()} in place of the decoder's
 * packet and the table's entry sees exactly the same values, so it reaches exactly the same
 * conclusions (the local-versus-Flink equality test checks this on the Mirai outbreak).
 * Equality is the record default (the payload array by identity): compare encodings instead.
 *
 * @param payloadLength the captured payload's length, as the hook sees it
 * @param payload   its first bytes: as many as the detectors' hooks may read of this packet
 *                  ({@link io.bulwark.detect.Detector#payloadNeeded}), never more than captured
 * @param file      capture file name for evidence, or null
 * @param flowUid   the live flow's uid (numeric form, see {@link io.bulwark.flow.FlowIds})
 */
public record PacketFact(long tsNanos, int wireLength, long fileOffset, int recordLength, int ipVersion,
                         long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int srcPort, int dstPort,
                         int tcpFlags, long seq, long ack, int tcpOptionsLength, int ttl, int ipLength,
                         boolean fragment, int icmpType, int icmpCode, boolean gre, int greProtocol,
                         int innerProtocol, int innerDstPort, boolean innerEthernet, long srcMac, long dstMac,
                         int payloadLength, byte[] payload, String file,
                         long flowUid, long originatorHi, long originatorLo, int originatorPort,
                         long responderHi, long responderLo, int responderPort, long flowStart, long flowFirstOffset,
                         long packetsFromOriginator, long packetsFromResponder, int flagsFromOriginator,
                         int flagsFromResponder, boolean fromOriginator, boolean newFlow) implements PacketView {

    /**
     * Copies the packet, its first {@code payloadBytes} payload bytes and the flow it was added
     * to; call during the packet's callback.
     */
    public static PacketFact of(PacketView p, FlowEntry f, String file, int payloadBytes) {
        byte[] payload = new byte[Math.min(p.payloadLength(), Math.max(0, payloadBytes))];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) p.payloadByte(i);
        }
        return new PacketFact(p.tsNanos(), p.wireLength(), p.fileOffset(), p.recordLength(), p.ipVersion(),
                p.srcHi(), p.srcLo(), p.dstHi(), p.dstLo(), p.protocol(), p.srcPort(), p.dstPort(), p.tcpFlags(),
                p.seq(), p.ack(), p.tcpOptionsLength(), p.ttl(), p.ipLength(), p.fragment(), p.icmpType(),
                p.icmpCode(), p.gre(), p.greProtocol(), p.innerProtocol(), p.innerDstPort(), p.innerEthernet(),
                p.srcMac(), p.dstMac(), p.payloadLength(), payload, file,
                f.uid(), f.originatorHi(), f.originatorLo(), f.originatorPort(), f.responderHi(), f.responderLo(),
                f.responderPort(), f.start(), f.firstOffset(), f.packetsFromOriginator(), f.packetsFromResponder(),
                f.flagsFromOriginator(), f.flagsFromResponder(), f.fromOriginator(), f.isNew());
    }

    /** The flow as the packet hook saw it: a fresh detached entry each call. */
    public FlowEntry flowEntry() {
        return FlowEntry.detached(flowUid, new IpAddr(originatorHi, originatorLo), originatorPort,
                new IpAddr(responderHi, responderLo), responderPort, protocol, flowStart, flowFirstOffset,
                packetsFromOriginator, packetsFromResponder, flagsFromOriginator, flagsFromResponder,
                fromOriginator, newFlow);
    }

    public IpAddr src() {
        return new IpAddr(srcHi, srcLo);
    }

    public IpAddr dst() {
        return new IpAddr(dstHi, dstLo);
    }

    /**
     * Payload byte {@code i}. Past the bytes carried, this is a detector reading more than its
     * {@code payloadNeeded} declared: a bug, reported as such.
     */
    @Override
    public int payloadByte(int i) {
        if (i >= payload.length && i < payloadLength) {
            throw new IllegalStateException("a packet hook read payload byte " + i + " of " + payloadLength
                    + " but only " + payload.length + " were declared needed (Detector.payloadNeeded)");
        }
        return payload[i] & 0xff;
    }
}
