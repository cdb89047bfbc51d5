package io.bulwark.evidence;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.packet.Packet;
import io.bulwark.incident.Incident;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ExcerptsTest {
    static final Path SAMPLE = Path.of("..", "samples", "iot-lan-scan.pcap");

    @TempDir
    Path tmp;

    static List<Incident> incidents() {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() { });
        a.add(SAMPLE);
        return a.finish().incidents();
    }

    @Test
    void write_scanIncident_pcapngThatReadsBackWithTheIncidentsPackets() throws Exception {
        List<Incident> incidents = incidents();
        List<Excerpts.Excerpt> written = Excerpts.write(List.of(SAMPLE), incidents, tmp, Excerpts.Limits.defaults(), "test");
        assertThat(written).isNotEmpty();
        for (Excerpts.Excerpt e : written) {
            Incident i = incidents.stream().filter(x -> x.id().equals(e.incidentId())).findFirst().orElseThrow();
            AnomalyCounters anomalies = new AnomalyCounters();
            long n = 0;
            try (CaptureSource src = Captures.open(e.file(), anomalies)) {
                assertThat(src.format()).isEqualTo("pcapng");
                Packet p = new Packet();
                long last = Long.MIN_VALUE;
                while (src.next(p)) {
                    n++;
                    assertThat(p.tsNanos).isGreaterThanOrEqualTo(last);
                    last = p.tsNanos;
                }
                assertThat(src.stopReason()).isNull();
            }
            assertThat(anomalies.total()).isZero();
            assertThat(n).isEqualTo(e.packets()).isPositive();
            String head = new String(Files.readAllBytes(e.file()), 0, 400, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(head).contains("Bulwark evidence for incident " + i.id());
        }
    }

    @Test
    void write_smallLimits_boundsEachIncidentAndDeviceAndCountsTheRest() throws Exception {
        List<Incident> incidents = incidents();
        List<Excerpts.Excerpt> written = Excerpts.write(List.of(SAMPLE), incidents, tmp, new Excerpts.Limits(3, 1 << 20, 4), "test");
        long total = 0;
        for (Excerpts.Excerpt e : written) {
            assertThat(e.packets()).isLessThanOrEqualTo(3);
            total += e.packets();
        }
        assertThat(total).isLessThanOrEqualTo(4);   // every incident of the sample is one device's
        assertThat(written).anySatisfy(e -> assertThat(e.cut()).isPositive());
    }
}
