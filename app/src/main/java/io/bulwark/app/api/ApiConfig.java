package io.bulwark.app.api;

import io.bulwark.app.share.taxii.TaxiiServer;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;

/**
 * What {@link Api} needs besides the store.
 *
 * @param clock        stamps incident state changes and new tokens, and measures uptime
 * @param maxBodyBytes request bodies above this are refused with 413 (they are small JSON objects)
 * @param metrics      ingest counters of a collector in the same process, or null when serving only
 * @param taxii        the TAXII 2.1 server mounted under /taxii2/, or null for none (its POST bodies
 *                     have their own limit, {@link TaxiiServer#maxContentLength})
 * @param evidenceDir  the evidence directory of {@code analyze --evidence}, or null: enables
 *                     GET /api/incidents/{id}/evidence (the bundle as a zip)
 */
public record ApiConfig(Clock clock, int maxBodyBytes, MetricsSource metrics, TaxiiServer taxii, Path evidenceDir) {
    public static final int DEFAULT_MAX_BODY = 64 * 1024;

    public ApiConfig {
        Objects.requireNonNull(clock, "clock");
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("maxBodyBytes must be positive: " + maxBodyBytes);
        }
    }

    public static ApiConfig defaults(Clock clock) {
        return new ApiConfig(clock, DEFAULT_MAX_BODY, null, null, null);
    }

    public ApiConfig withMetrics(MetricsSource m) {
        return new ApiConfig(clock, maxBodyBytes, m, taxii, evidenceDir);
    }

    public ApiConfig withTaxii(TaxiiServer t) {
        return new ApiConfig(clock, maxBodyBytes, metrics, t, evidenceDir);
    }

    /** The evidence directory of {@code analyze --evidence}: enables GET /api/incidents/{id}/evidence. */
    public ApiConfig withEvidence(Path dir) {
        return new ApiConfig(clock, maxBodyBytes, metrics, taxii, dir);
    }
}
