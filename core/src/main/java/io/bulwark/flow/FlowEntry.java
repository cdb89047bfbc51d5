package io.bulwark.flow;

/**
 * A live flow inside {@link FlowTable}. Mutable and owned by the table: consumers may read
 * it during a packet callback and keep the attachments they set, nothing more.
 * {@code a} is the originator, {@code b} the responder.
 */
public final class FlowEntry {
    long aHi, aLo, bHi, bLo;
    int aPort, bPort, proto;
    int hash;
    long uid;
    long start, last;
    long pktsA, bytesA, pktsB, bytesB;
    int flagsA, flagsB;
    boolean closed;
    long firstOffset;
    /** Set by the table for the packet just added: true when it came from the originator. */
    boolean fromA;
    boolean isNew;
    int list;
    FlowEntry prev, next;
    FlowEntry chain;

    /** Engine-owned per-endpoint attachments (e.g. device state), kept for the flow's life. */
    public Object attachA;
    public Object attachB;
    /**
     * The anomaly detector's latest score of this flow for its originator ({@code scoreA}) and
     * responder ({@code scoreB}) when they are local devices, 0 otherwise: per-packet scores for
     * {@code analyze --scores}, set only when scores were asked for.
     */
    public float scoreA;
    public float scoreB;

    public long uid() { return uid; }
    public boolean fromOriginator() { return fromA; }
    public boolean isNew() { return isNew; }
    public long packetsFromOriginator() { return pktsA; }
    public long packetsFromResponder() { return pktsB; }
    public int flagsFromOriginator() { return flagsA; }
    public int flagsFromResponder() { return flagsB; }
    public long start() { return start; }
    public long firstOffset() { return firstOffset; }
    public int protocol() { return proto; }
    public int originatorPort() { return aPort; }
    public int responderPort() { return bPort; }
    public long originatorHi() { return aHi; }
    public long originatorLo() { return aLo; }
    public long responderHi() { return bHi; }
    public long responderLo() { return bLo; }
    public IpAddr originator() { return new IpAddr(aHi, aLo); }
    public IpAddr responder() { return new IpAddr(bHi, bLo); }

    /**
     * A detached copy of a live flow as a packet hook saw it, for packet facts carried to
     * another process (the Flink job): the same fields the table's entry exposes, no table.
     */
    public static FlowEntry detached(long uid, IpAddr originator, int originatorPort, IpAddr responder, int responderPort,
                                     int protocol, long start, long firstOffset, long packetsFromOriginator,
                                     long packetsFromResponder, int flagsFromOriginator, int flagsFromResponder,
                                     boolean fromOriginator, boolean isNew) {
        FlowEntry e = new FlowEntry();
        e.uid = uid;
        e.aHi = originator.hi();
        e.aLo = originator.lo();
        e.bHi = responder.hi();
        e.bLo = responder.lo();
        e.aPort = originatorPort;
        e.bPort = responderPort;
        e.proto = protocol;
        e.start = start;
        e.firstOffset = firstOffset;
        e.pktsA = packetsFromOriginator;
        e.pktsB = packetsFromResponder;
        e.flagsA = flagsFromOriginator;
        e.flagsB = flagsFromResponder;
        e.fromA = fromOriginator;
        e.isNew = isNew;
        return e;
    }
}
