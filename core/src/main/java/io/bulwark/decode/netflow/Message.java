package io.bulwark.decode.netflow;

import io.bulwark.decode.export.ExportedFlow;

/**
 * The header context of the export packet whose sets are being decoded (or of the packet a
 * pending set came in): reused, one per decoder, plus one for replays.
 */
final class Message {
    ExportedFlow.Source source;
    Exporter exporter;
    /** Domain slot in the exporter, and the domain / source id / engine itself. */
    int slot;
    long domain;
    long exportSeconds;
    long exportNanos;
    /** When the datagram arrived (receive clock, or capture timestamp): for the record budget only. */
    long receivedNanos;
    /** v9 and v5 header sysUptime in ms (unsigned 32 bits); -1 for IPFIX, which has none. */
    long uptime;
    /** Data records decoded from this message: all, and those of non-options templates. */
    int records;
    int flows;
    /** False once a set could not be decoded, so the record count is unknown. */
    boolean complete;
    /** Set when any damage was counted, so the packet counts once as malformed. */
    boolean damaged;

    void copyHeader(Message m) {
        source = m.source;
        exporter = m.exporter;
        slot = m.slot;
        domain = m.domain;
        exportSeconds = m.exportSeconds;
        exportNanos = m.exportNanos;
        uptime = m.uptime;
        receivedNanos = m.receivedNanos;
        records = 0;
        flows = 0;
        complete = true;
        damaged = false;
    }
}
