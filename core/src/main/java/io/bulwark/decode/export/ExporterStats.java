package io.bulwark.decode.export;

/**
 * Counters for one exporter (address and protocol), as operators expect from a collector:
 * export packets, flow records, template misses, malformed packets, sequence gaps (records or
 * packets the sequence numbers say were lost), counter samples (sFlow), and records not
 * believed ({@link ExportBounds}) or beyond the exporter's record budget. Updated by one
 * decoding thread; read by others for reporting, so fields are volatile-free longs read as
 * approximate snapshots.
 */
public final class ExporterStats {
    public final String exporter;
    public final ExportedFlow.Source source;
    public long packets;
    public long records;
    public long templateMisses;
    public long malformed;
    public long sequenceGaps;
    public long counterSamples;
    /** Records dropped as implausible ({@link ExportBounds#check}) or with a field no exporter sends. */
    public long implausible;
    /** Records dropped beyond the exporter's record budget. */
    public long overBudget;
    public long firstNanos = Long.MAX_VALUE;
    public long lastNanos = Long.MIN_VALUE;

    public ExporterStats(String exporter, ExportedFlow.Source source) {
        this.exporter = exporter;
        this.source = source;
    }

    /** Notes an export packet's arrival (or header) time, for records/s. */
    public void seen(long nanos) {
        if (nanos < firstNanos) {
            firstNanos = nanos;
        }
        if (nanos > lastNanos) {
            lastNanos = nanos;
        }
    }

    private double budget = Double.NaN;
    private long budgetAt;

    /**
     * Takes one record from the exporter's budget, a token bucket refilled at {@code perSecond}
     * of arrival time up to {@code burst}; false when it is empty. Time running backwards (a
     * capture's timestamps out of order) refills nothing.
     */
    boolean spend(long arrivalNanos, double perSecond, double burst) {
        if (Double.isNaN(budget)) {
            budget = burst;
            budgetAt = arrivalNanos;
        } else if (arrivalNanos > budgetAt) {
            budget = Math.min(burst, budget + (arrivalNanos - budgetAt) / 1e9 * perSecond);
            budgetAt = arrivalNanos;
        }
        if (budget < 1) {
            return false;
        }
        budget--;
        return true;
    }

    /** Records per second over the time this exporter was seen; 0 before two distinct times. */
    public double recordsPerSecond() {
        long span = lastNanos - firstNanos;
        return span <= 0 ? 0 : records / (span / 1e9);
    }
}
