package io.bulwark.decode.netflow;

/**
 * Bounds on everything {@link NetflowDecoder} keeps per exporter (architecture.md rule 8): the
 * exporter, template and domain tables and the buffer for data that arrives before its
 * template are all keyed by what the sender of a UDP datagram chooses, and that sender can
 * spoof its address. Hitting a bound is counted as a named anomaly, never an error.
 *
 * @param maxExporters            exporters (address, port, protocol) tracked one by one;
 *                                later ones share one overflow entry, and their templates are
 *                                refused ({@code export_exporters_full})
 * @param maxTemplates            templates held in total ({@code export_template_cache_full})
 * @param maxTemplatesPerExporter templates one exporter may hold, so that one exporter cannot
 *                                take the whole cache from the others
 * @param maxTemplateFields       fields in one template; more is {@code export_template_invalid}
 *                                (IPFIX allows 65535, real exporters send tens)
 * @param templateExpirySeconds   a template not refreshed for this long, in the exporter's own
 *                                export time, is forgotten (RFC 7011 section 8.4 and Cisco's
 *                                default template timeout: 1800 s)
 * @param maxDomainsPerExporter   observation domains / source ids tracked per exporter, for
 *                                sequence numbers, sampling rates and system init time; a
 *                                further domain takes the slot of the oldest one
 * @param maxPendingSets          data sets kept while their template has not arrived yet
 * @param maxPendingBytes         bytes of such sets, in total
 * @param pendingExpirySeconds    a pending set whose template has not come after this long (export
 *                                time of the same exporter) is dropped as a template miss
 */
public record NetflowLimits(int maxExporters, int maxTemplates, int maxTemplatesPerExporter,
                            int maxTemplateFields, long templateExpirySeconds, int maxDomainsPerExporter,
                            int maxPendingSets, int maxPendingBytes, long pendingExpirySeconds) {

    public NetflowLimits {
        if (maxExporters < 1 || maxTemplates < 1 || maxTemplatesPerExporter < 1 || maxTemplateFields < 1
                || templateExpirySeconds < 1 || maxDomainsPerExporter < 1 || maxPendingSets < 0
                || maxPendingBytes < 0 || pendingExpirySeconds < 0) {
            // Fields are not assigned yet in a compact constructor: name the parameters.
            throw new IllegalArgumentException("NetFlow limits must be positive: exporters " + maxExporters
                    + ", templates " + maxTemplates + " (" + maxTemplatesPerExporter + " per exporter), fields "
                    + maxTemplateFields + ", expiry " + templateExpirySeconds + " s, domains " + maxDomainsPerExporter
                    + ", pending " + maxPendingSets + " sets / " + maxPendingBytes + " bytes / "
                    + pendingExpirySeconds + " s");
        }
    }

    /**
     * 1024 exporters, 4096 templates (256 per exporter), 512 fields per template, 1800 s template
     * expiry, 16 domains per exporter, 64 pending sets in 256 KiB kept up to 60 s: a few MiB at most.
     */
    public static NetflowLimits defaults() {
        return new NetflowLimits(1024, 4096, 256, 512, 1800, 16, 64, 256 * 1024, 60);
    }
}
