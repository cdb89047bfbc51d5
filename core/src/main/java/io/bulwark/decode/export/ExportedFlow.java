package io.bulwark.decode.export;

/**
 * One flow as a flow exporter reported it (NetFlow v5/v9, IPFIX, or a sampled packet from
 * sFlow), in one reused mutable object so that decoding allocates nothing per record. A
 * decoder fills it and hands it to an {@link ExportSink}, which must copy what it keeps before
 * returning.
 *
 * <p>Addresses use {@link io.bulwark.flow.IpAddr}'s two-long form: IPv4 is IPv4-mapped
 * ({@code hi == 0}, {@code lo == 0x0000_ffff_xxxx_xxxxL}). Export records are unidirectional
 * (src sent these packets) unless {@link #reversePackets} is non-zero (an RFC 5103 biflow).
 * Counts are already scaled by {@link #samplingRate}: they estimate true volumes.
 */
public final class ExportedFlow {
    /** Which protocol produced the record. */
    public enum Source { netflow5, netflow9, ipfix, sflow5 }

    public Source source;
    /** 4 or 6. */
    public int ipVersion;
    public long srcHi, srcLo, dstHi, dstLo;
    public int srcPort, dstPort;
    /** IP protocol number. */
    public int protocol;
    /** OR of the TCP flags seen in this direction (low 8 bits; 0 when unknown). */
    public int tcpFlags;
    /** Packets and bytes (layer 3 length), scaled by the sampling rate. */
    public long packets, bytes;
    /** RFC 5103 reverse direction, scaled; 0 when the record is one-way. */
    public long reversePackets, reverseBytes;
    public int reverseTcpFlags;
    /** First and last packet, traffic time, ns since the epoch. */
    public long startNanos, endNanos;
    /**
     * How coarse {@link #startNanos} and {@link #endNanos} are: 1 ms for NetFlow's sysUptime
     * and most IPFIX times, 1 s for IPFIX's flowStart/EndSeconds and for a record that carried
     * no time at all (both are then the export time, in whole seconds, and the detectors take
     * the record as an instant).
     */
    public long timeResolutionNanos;
    /** 1 for unsampled exports. */
    public int samplingRate;
    /** Exporter address (two-long form) and observation domain / source id / sub-agent. */
    public long exporterHi, exporterLo;
    public long domain;
    /** The export packet's own time (header), ns since the epoch. */
    public long exportNanos;

    /** Resets every field, so that a decoder cannot leak a value from the previous record. */
    public void clear() {
        source = null;
        ipVersion = 0;
        srcHi = srcLo = dstHi = dstLo = 0;
        srcPort = dstPort = protocol = tcpFlags = 0;
        packets = bytes = reversePackets = reverseBytes = 0;
        reverseTcpFlags = 0;
        startNanos = endNanos = 0;
        timeResolutionNanos = 1_000_000L;
        samplingRate = 1;
        exporterHi = exporterLo = 0;
        domain = 0;
        exportNanos = 0;
    }
}
