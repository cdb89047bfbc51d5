package io.bulwark.decode.export;

import io.bulwark.decode.Anomaly;

/**
 * What an exported flow record may claim before Bulwark believes it, and how many records one
 * exporter may deliver. Flow exports arrive over UDP from senders that are easy to forge, and
 * NetFlow v5 has no template: version 5 and a count make any datagram "decodable". A record
 * that no link could have carried is counted as a named anomaly and dropped, so that it can
 * never become an incident (docs/collect.md, "Exporters must earn trust").
 *
 * <p>The bounds, per direction of a record (RFC 5103 biflows check both):
 * <ul>
 *   <li><b>Sampling</b>: a rate from 1 to {@link #MAX_SAMPLING_RATE}
 *       ({@link Anomaly#export_sampling_rate_implausible}).</li>
 *   <li><b>Time</b>: start at or before end, start no earlier than {@code maxRecordAgeNanos}
 *       before the export packet's own time and end no later than {@link #MAX_CLOCK_AHEAD_NANOS}
 *       after it, and not before 1970 ({@link Anomaly#export_record_time_implausible}). This
 *       also bounds every duration, so no rate or duration computed downstream overflows.</li>
 *   <li><b>Size</b>: at least one packet, and bytes per packet within one IP packet's size:
 *       20 to 65,535 bytes for IPv4, 40 to 65,575 (a 65,535-byte payload and its header)
 *       for IPv6; jumbograms (RFC 2675) are not believed
 *       ({@link Anomaly#export_record_size_implausible}).</li>
 *   <li><b>Rate</b>: the packets the exporter counted (before scaling by the sampling rate) and
 *       their bytes must fit on one link of {@code maxLinkBitsPerSecond} for the record's
 *       duration plus the resolution of its timestamps: at 100 Gb/s that is 148,809,524
 *       minimum-size frames a second (64 bytes plus 20 of preamble and inter-frame gap on the
 *       wire) and 12.5 GB a second ({@link Anomaly#export_record_rate_implausible}). One
 *       packet always fits.</li>
 *   <li><b>Fields</b>: an IP protocol (0 is none) ({@link Anomaly#export_record_fields_invalid}).</li>
 * </ul>
 *
 * <p>The <b>budget</b>: each exporter (the decoders' per-exporter entry; exporters beyond the
 * decoders' bound share one) may deliver {@code maxRecordsPerSecond} records a second of
 * arrival time on average, in bursts of up to {@code maxRecordsBurst} (a token bucket, so a
 * softflowd or router cache flush passes whole). Records beyond it are counted
 * ({@link Anomaly#export_record_budget_exceeded}) and dropped. Arrival time is the receive clock
 * live and the capture's timestamps for a capture of exports, never the export header's own
 * time, which a sender chooses.
 *
 * @param maxLinkBitsPerSecond the fastest link an exporter meters (default 100 Gb/s)
 * @param maxRecordAgeNanos    how long before its export a record may start (default 7 days,
 *                             softflowd's longest flow lifetime; routers cut flows after 30 min at most)
 * @param maxRecordsPerSecond  per exporter, average (default 100,000: half of what the whole
 *                             collector's detector thread sustains, docs/collect.md "Speed")
 * @param maxRecordsBurst      per exporter, at once (default 1,000,000: a replayed capture's
 *                             whole cache, 175,452 records for the 20-minute outbreak, passes)
 */
public record ExportBounds(double maxLinkBitsPerSecond, long maxRecordAgeNanos, double maxRecordsPerSecond,
                           double maxRecordsBurst) {
    /** One packet in 2^24 - 1: sparser than any sampling in use; a forged 32-bit rate turns one sample into billions. */
    public static final long MAX_SAMPLING_RATE = (1L << 24) - 1;
    /** How far a record's end may lie after its export packet's time (clocks of line cards and header differ). */
    public static final long MAX_CLOCK_AHEAD_NANOS = 300_000_000_000L;
    /** Bits a minimum-size Ethernet frame takes on the wire: 64 bytes plus 8 of preamble and 12 of gap. */
    public static final int MIN_WIRE_FRAME_BITS = (64 + 20) * 8;

    public ExportBounds {
        if (!(maxLinkBitsPerSecond >= 1e6) || maxRecordAgeNanos < 1_000_000_000L || !(maxRecordsPerSecond >= 1)
                || !(maxRecordsBurst >= 1)) {
            throw new IllegalArgumentException("exports: max_link_gbps >= 0.001, max_record_age_s >= 1, "
                    + "max_records_per_s >= 1 and max_records_burst >= 1");
        }
    }

    public static ExportBounds defaults() {
        return new ExportBounds(100e9, 7 * 86_400 * 1_000_000_000L, 100_000, 1_000_000);
    }

    /** The most packets a second the link carries: minimum-size frames back to back. */
    public double maxPacketsPerSecond() {
        return maxLinkBitsPerSecond / MIN_WIRE_FRAME_BITS;
    }

    /**
     * Why the record is not believed, or null when it is plausible. Reads {@code f} only;
     * allocates nothing.
     */
    public Anomaly check(ExportedFlow f) {
        if (f.samplingRate < 1 || f.samplingRate > MAX_SAMPLING_RATE) {
            return Anomaly.export_sampling_rate_implausible;
        }
        if (f.startNanos > f.endNanos || f.startNanos < 0
                || f.startNanos < f.exportNanos - maxRecordAgeNanos
                || f.endNanos > f.exportNanos + MAX_CLOCK_AHEAD_NANOS) {
            return Anomaly.export_record_time_implausible;
        }
        if (f.packets <= 0 || !sizeFits(f.packets, f.bytes, f.ipVersion)
                || f.reversePackets < 0 || f.reversePackets == 0 && f.reverseBytes != 0
                || f.reversePackets > 0 && !sizeFits(f.reversePackets, f.reverseBytes, f.ipVersion)) {
            return Anomaly.export_record_size_implausible;
        }
        // The resolution of the timestamps is added: a 1 ms clock shows a burst of 0.9 ms as 0.
        long resolution = Math.min(Math.max(f.timeResolutionNanos, 0), maxRecordAgeNanos);
        double seconds = (f.endNanos - f.startNanos + resolution) / 1e9;
        if (!rateFits(f.packets, f.bytes, f.samplingRate, seconds)
                || f.reversePackets > 0 && !rateFits(f.reversePackets, f.reverseBytes, f.samplingRate, seconds)) {
            return Anomaly.export_record_rate_implausible;
        }
        if (f.protocol <= 0 || f.protocol > 255) {
            return Anomaly.export_record_fields_invalid;
        }
        return null;
    }

    private static boolean sizeFits(long packets, long bytes, int ipVersion) {
        long min = ipVersion == 6 ? 40 : 20;
        long max = ipVersion == 6 ? 65_575 : 65_535;
        // Divisions, not products: a forged count times 65,575 would overflow.
        return bytes >= 0 && bytes / packets >= min && (bytes - 1) / packets < max;
    }

    private boolean rateFits(long packets, long bytes, int samplingRate, double seconds) {
        // What the exporter counted: scaled counts are estimates, the sampled ones were seen.
        double counted = (double) packets / samplingRate;
        double countedBytes = (double) bytes / samplingRate;
        return counted <= 1 + maxPacketsPerSecond() * seconds
                && countedBytes <= 65_575 + maxLinkBitsPerSecond / 8 * seconds;
    }
}
