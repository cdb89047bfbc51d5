package io.bulwark.app.cli;

import io.bulwark.app.output.Schemas;
import io.bulwark.app.store.JdbcStore;
import io.bulwark.app.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** analyze --data DIR keeps the sample's incident and devices in the embedded store, idempotently. */
class AnalyzeStoreTest {
    @TempDir
    Path tmp;

    @Test
    void analyze_withDataDir_writesTheIncidentWithItsMacAndDevices_andAgainChangesNothing() throws Exception {
        Path data = tmp.resolve("data");
        for (String run : List.of("a", "b")) {
            Path out = tmp.resolve(run);
            assertThat(Main.run("analyze", SampleTest.SAMPLE.toString(), "--out", out.toString(), "--data", data.toString(), "-q"))
                    .isZero();
            assertThat(Schemas.violationsIn(out)).isEmpty();
            assertThat(Files.readString(out.resolve("events.ndjson"))).contains("\"type\":\"store_commit\"", "\"final\":true");
        }
        assertThat(Files.exists(data.resolve("bulwark.mv.db"))).isTrue();
        try (Store store = JdbcStore.open(JdbcStore.h2Url(data), null, null)) {
            Store.Page<Store.StoredIncident> page = store.incidents(new Store.IncidentQuery(null, null, null, null, null, null, 10, 0));
            assertThat(page.items()).singleElement().satisfies(s -> {
                assertThat(s.incident().host()).isEqualTo("192.168.1.195");
                assertThat(s.incident().mac()).matches("[0-9a-f:]{17}");
                assertThat(s.state()).isEqualTo(Store.State.new_);
            });
            assertThat(store.device("192.168.1.195")).hasValueSatisfying(d -> assertThat(d.incidents()).hasSize(1));
            assertThat(store.overview(24, 3600).devices()).isPositive();
        }
    }

    @Test
    void analyze_unreachableStore_failsWithOneLine() {
        assertThat(Main.run("analyze", SampleTest.SAMPLE.toString(), "--out", tmp.resolve("o").toString(),
                "--store", "jdbc:mysql://localhost/x", "-q")).isEqualTo(2);
    }
}
