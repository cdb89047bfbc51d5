package io.bulwark.decode.export;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Decodes flow-export datagrams (one UDP payload at a time) into {@link ExportedFlow}s.
 * Implementations keep per-exporter state (templates, sequence numbers, counters), bounded
 * in size, and never throw on bad input: damage is counted as a named
 * {@link io.bulwark.decode.Anomaly} and in the exporter's {@link ExporterStats}, and every
 * record decoded before the damage is still delivered. All timing logic (template expiry,
 * sequence checks) uses the exports' own header times (or the given arrival time), never a clock, so a replay
 * gives the same result as live collection. One instance is used by one thread.
 */
public interface ExportDecoder {
    /**
     * @param buf          the datagram bytes, read from {@code offset} for {@code length} bytes
     *                     with absolute gets (the buffer's position and limit are not used)
     * @param exporterHi   exporter address, two-long form (see {@link ExportedFlow})
     * @param exporterLo   "
     * @param exporterPort the exporter's UDP source port
     * @param receivedNanos when the datagram arrived, ns since the epoch: the pcap timestamp
     *                     when reading a capture of exports, the receive clock when collecting
     *                     live. sFlow carries no absolute time, so its samples are stamped with
     *                     this; NetFlow and IPFIX use their own header and record times.
     * @return the number of flow records delivered to the sink
     */
    int decode(ByteBuffer buf, int offset, int length, long exporterHi, long exporterLo, int exporterPort,
               long receivedNanos, ExportSink sink);

    /** Counters per exporter seen so far (bounded: exporters beyond the bound share one entry). */
    Collection<ExporterStats> stats();
}
