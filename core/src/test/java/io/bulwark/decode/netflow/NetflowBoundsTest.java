package io.bulwark.decode.netflow;

import static io.bulwark.decode.netflow.IpfixFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.netflow.ExportBytes.Run;

import org.junit.jupiter.api.Test;

/** Every table keyed by what a datagram's sender chooses stays within {@link NetflowLimits}. */
class NetflowBoundsTest {
    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;

    private static NetflowLimits limits(int exporters, int templates, int perExporter, int pendingSets, int pendingBytes) {
        NetflowLimits d = NetflowLimits.defaults();
        return new NetflowLimits(exporters, templates, perExporter, d.maxTemplateFields(), d.templateExpirySeconds(),
                d.maxDomainsPerExporter(), pendingSets, pendingBytes, d.pendingExpirySeconds());
    }

    @Test
    void templateFlood_100kSpoofedExporters_memoryBoundedByLimits() {
        Run r = new Run();
        NetflowLimits l = r.decoder.limits();
        byte[] templateAndData = done(data300(template300(header(SECS, 0))));
        byte[] dataOnly = done(data302(header(SECS, 1)));
        int flood = 100_000;
        for (int i = 0; i < flood; i++) {
            long spoofed = V4_MAPPED | (0x0a00_0000L + i);
            r.feed(templateAndData, 0, spoofed, 2055);
            r.feed(dataOnly, 0, spoofed, 2055);
        }

        assertThat(r.decoder.exporterCount()).isEqualTo(l.maxExporters());
        assertThat(r.decoder.templateCount()).isEqualTo(l.maxExporters()).isLessThanOrEqualTo(l.maxTemplates());
        assertThat(r.decoder.pendingSets()).isLessThanOrEqualTo(l.maxPendingSets());
        assertThat(r.decoder.pendingBytes()).isLessThanOrEqualTo(l.maxPendingBytes());
        assertThat(r.decoder.stats()).hasSize(l.maxExporters() + 1);
        assertThat(r.anomalies.get(Anomaly.export_exporters_full)).isEqualTo(2L * (flood - l.maxExporters()));
        ExporterStats overflow = r.decoder.stats().stream().filter(s -> s.exporter.equals("overflow")).findFirst()
                .orElseThrow();
        assertThat(overflow.packets).isEqualTo(2L * (flood - l.maxExporters()));
        assertThat(overflow.templateMisses).as("both data sets: no templates for overflow").isEqualTo(2L * (flood - l.maxExporters()));
        assertThat(r.flows).as("tracked exporters' records").hasSize(l.maxExporters());
    }

    @Test
    void templateCache_fullAcrossExporters_refusesAndCounts() {
        Run r = new Run(limits(16, 8, 4, 0, 0));
        for (int e = 0; e < 3; e++) {
            for (int id = 300; id < 304; id++) {
                byte[] m = done(header(SECS, 0).u16(2).u16(12).u16(id).u16(1).u16(8).u16(4));
                r.feed(m, 0, V4_MAPPED | e, 2055);
            }
        }

        assertThat(r.decoder.templateCount()).isEqualTo(8);
        assertThat(r.anomalies.get(Anomaly.export_template_cache_full)).isEqualTo(4);
    }

    @Test
    void templateCache_perExporterBound_leavesRoomForOthers() {
        Run r = new Run(limits(16, 100, 4, 0, 0));
        for (int id = 300; id < 310; id++) {
            r.feed(done(header(SECS, 0).u16(2).u16(12).u16(id).u16(1).u16(8).u16(4)));
        }

        assertThat(r.decoder.templateCount()).isEqualTo(4);
        assertThat(r.anomalies.get(Anomaly.export_template_cache_full)).isEqualTo(6);
    }

    @Test
    void templateCache_full_reclaimsExpiredTemplates() {
        Run r = new Run(limits(16, 4, 4, 0, 0));
        for (int id = 300; id < 304; id++) {
            r.feed(done(header(SECS, 0).u16(2).u16(12).u16(id).u16(1).u16(8).u16(4)), 0, V4_MAPPED | 1, 2055);
        }
        // Exporter 1's clock moves on past the expiry without refreshing its templates.
        r.feed(done(header(SECS + 1801, 0)), 0, V4_MAPPED | 1, 2055);
        r.feed(done(template300(header(SECS + 5, 0))), 0, V4_MAPPED | 2, 2055);

        assertThat(r.decoder.templateCount()).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_template_cache_full)).isZero();
    }

    @Test
    void pending_fullInSets_dropsOldestAsMisses() {
        Run r = new Run(limits(16, 16, 16, 2, 1 << 16));
        for (int i = 0; i < 3; i++) {
            r.feed(done(data300(header(SECS, i))));
        }

        assertThat(r.decoder.pendingSets()).isEqualTo(2);
        assertThat(r.anomalies.get(Anomaly.export_pending_full)).isEqualTo(1);
        assertThat(r.anomalies.get(Anomaly.export_template_missing)).isEqualTo(1);
        assertThat(r.stats().templateMisses).isEqualTo(1);
        assertThat(r.feed(done(template300(header(SECS, 3))))).isEqualTo(2);
        assertThat(r.decoder.pendingSets()).isZero();
        assertThat(r.decoder.pendingBytes()).isZero();
    }

    @Test
    void pending_fullInBytes_keepsWithinBound() {
        Run r = new Run(limits(16, 16, 16, 100, 100)); // a data300 set body is 44 bytes
        for (int i = 0; i < 5; i++) {
            r.feed(done(data300(header(SECS, i))));
        }

        assertThat(r.decoder.pendingSets()).isEqualTo(2);
        assertThat(r.decoder.pendingBytes()).isEqualTo(88);
        assertThat(r.anomalies.get(Anomaly.export_pending_full)).isEqualTo(3);
    }

    @Test
    void domains_manyPerExporter_boundedAndSequenceStillChecked() {
        Run r = new Run();
        for (int d = 0; d < 1000; d++) {
            byte[] m = done(header(SECS, 0));
            m[12] = (byte) (d >>> 24);
            m[13] = (byte) (d >>> 16);
            m[14] = (byte) (d >>> 8);
            m[15] = (byte) d;
            r.feed(m);
        }

        assertThat(r.anomalies.total()).isZero();
        assertThat(r.stats().packets).isEqualTo(1000);
    }
}
