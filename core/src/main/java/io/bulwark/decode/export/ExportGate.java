package io.bulwark.decode.export;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;

import java.util.Objects;

/**
 * The last step of every export decoder before a record is delivered: the record must be
 * plausible ({@link ExportBounds#check}) and its exporter within its record budget. A refused
 * record is counted as a named anomaly and in its exporter's {@link ExporterStats#implausible}
 * or {@link ExporterStats#overBudget}, and is not delivered. One per decoder; not thread-safe.
 */
public final class ExportGate {
    private final ExportBounds bounds;
    private final AnomalyCounters anomalies;

    public ExportGate(ExportBounds bounds, AnomalyCounters anomalies) {
        this.bounds = Objects.requireNonNull(bounds);
        this.anomalies = Objects.requireNonNull(anomalies);
    }


    /**
     * @param arrivalNanos when the datagram arrived (receive clock, or the capture's timestamp)
     * @return true when {@code f} may be delivered
     */
    public boolean admit(ExportedFlow f, ExporterStats s, long arrivalNanos) {
        Anomaly why = bounds.check(f);
        if (why != null) {
            anomalies.count(why, -1);
            s.implausible++;
            return false;
        }
        if (!s.spend(arrivalNanos, bounds.maxRecordsPerSecond(), bounds.maxRecordsBurst())) {
            anomalies.count(Anomaly.export_record_budget_exceeded, -1);
            s.overBudget++;
            return false;
        }
        return true;
    }

    /** Counts a record a decoder found invalid on its own (a field no exporter can send). */
    public void invalid(Anomaly why, ExporterStats s) {
        anomalies.count(why, -1);
        s.implausible++;
    }
}
