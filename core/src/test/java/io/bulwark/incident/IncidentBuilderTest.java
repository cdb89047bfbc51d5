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
}
