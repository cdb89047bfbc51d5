package io.bulwark.incident;

import io.bulwark.detect.Finding;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.flow.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IncidentBuilderTest {
    private static final long S = 1_000_000_000L;
    private final IpAddr host = IpAddr.parse("192.168.1.195");

    private Finding f(long first, long detected, long last, int targets) {
        return new Finding("scan", Kind.scan, host, "", first * S, detected * S, last * S, Severity.medium, 0.6,
                targets + " targets", Map.of("targets", targets), List.of());
    }

    @Test
    void emit_updatesOfOneEpisode_mergeKeepingEarliestDetectionAndLatestDetail() {
        List<String> ids = new ArrayList<>();
        IncidentBuilder b = new IncidentBuilder((f, id) -> ids.add(id));
        b.emit(f(100, 105, 105, 70));
        b.emit(f(100, 105, 160, 900));
        assertThat(b.incidents()).singleElement().satisfies(i -> {
            assertThat(i.firstSeen()).isEqualTo(100 * S);
            assertThat(i.detectedAt()).isEqualTo(105 * S);
            assertThat(i.lastSeen()).isEqualTo(160 * S);
            assertThat(i.detail()).containsEntry("targets", 900);
        });
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void emit_aLaterEpisode_opensItsOwnIncidentWithItsOwnFigures() {
        IncidentBuilder b = new IncidentBuilder((f, id) -> { });
        b.emit(f(100, 105, 400, 3000));
        b.emit(f(700, 702, 720, 200));
        assertThat(b.incidents()).hasSize(2);
        assertThat(b.incidents().get(1).detail()).containsEntry("targets", 200);
        assertThat(b.incidents().get(1).firstSeen()).isEqualTo(700 * S);
    }

    @Test
    void ids_sameFindingsTwice_areTheSame() {
        IncidentBuilder a = new IncidentBuilder((f, id) -> { });
        IncidentBuilder b = new IncidentBuilder((f, id) -> { });
        a.emit(f(100, 105, 105, 70));
        b.emit(f(100, 105, 105, 70));
        assertThat(a.incidents().get(0).id()).isEqualTo(b.incidents().get(0).id()).matches("inc-[0-9a-f]{16}");
    }

    private Finding anomaly(IpAddr on, long first, long detected, long last) {
        return new Finding("anomaly", Kind.anomaly, on, "", first * S, detected * S, last * S, Severity.medium, 0.5,
                "departs from its normal", Map.of("score", 9.0), List.of());
    }

    @Test
    void emit_anomalyOnAHostAScanExplains_isAttachedToTheScanAsCorroboration() {
        List<String> ids = new ArrayList<>();
        IncidentBuilder b = new IncidentBuilder((f, id) -> ids.add(id));
        b.emit(f(100, 105, 160, 900));
        b.emit(anomaly(host, 130, 140, 150));
        assertThat(b.incidents()).singleElement().satisfies(i -> {
            assertThat(i.kind()).isEqualTo(Kind.scan);
            assertThat(i.detail()).containsKey("anomaly").containsEntry("targets", 900);
        });
        b.emit(f(100, 105, 170, 950));
        assertThat(b.incidents()).singleElement().satisfies(i -> assertThat(i.detail()).containsKey("anomaly")
                .containsEntry("targets", 950));
        assertThat(ids).containsOnly(ids.get(0));
    }

    @Test
    void emit_anomalyWithNoSpecificIncident_orLongAfterIt_isItsOwnIncident() {
        IncidentBuilder b = new IncidentBuilder((f, id) -> { });
        b.emit(f(100, 105, 160, 900));
        b.emit(anomaly(host, 1000, 1010, 1020));
        b.emit(anomaly(IpAddr.parse("192.168.1.7"), 130, 140, 150));
        assertThat(b.incidents()).extracting(Incident::kind).containsExactly(Kind.scan, Kind.anomaly, Kind.anomaly);
    }

    @Test
    void emit_anomalyOnAFloodsVictim_isExplainedByTheFlood() {
        IncidentBuilder b = new IncidentBuilder((f, id) -> { });
        b.emit(new Finding("ddos", Kind.ddos, host, "dns", 100 * S, 102 * S, 130 * S, Severity.critical, 0.85,
                "flooding", Map.of("vector", "dns", "victim", "192.168.1.1"), List.of()));
        b.emit(anomaly(IpAddr.parse("192.168.1.1"), 101, 110, 125));
        assertThat(b.incidents()).singleElement().satisfies(i -> assertThat(i.detail()).containsKey("anomaly"));
    }
}
