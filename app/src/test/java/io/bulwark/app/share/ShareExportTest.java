package io.bulwark.app.share;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.cli.Main;
import io.bulwark.app.output.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** bulwark share export, end to end: analyze the sample into a store, then export it both ways. */
class ShareExportTest {
    @Test
    void shareExport_sampleInStore_writesBundleAndEvents(@TempDir Path tmp) throws Exception {
        Path sample = Path.of("").toAbsolutePath();
        while (!Files.exists(sample.resolve("samples/iot-lan-scan.pcap"))) {
            sample = sample.getParent();
        }
        String data = tmp.resolve("data").toString();
        assertThat(Main.run("analyze", sample.resolve("samples/iot-lan-scan.pcap").toString(), "--out",
                tmp.resolve("o").toString(), "--data", data, "-q")).isZero();

        Path stix = tmp.resolve("stix.json");
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "amber", "--partner", "CERT-X",
                "--data", data, "--out", stix.toString())).isZero();
        JsonNode bundle = Json.MAPPER.readTree(stix.toFile());
        assertThat(bundle.get("type").asText()).isEqualTo("bundle");
        assertThat(bundle.get("id").asText()).startsWith("bundle--");
        assertThat(bundle.get("objects").toString()).contains("\"indicator\"", "T1595");

        Path misp = tmp.resolve("misp.json");
        assertThat(Main.run("share", "export", "--format", "misp", "--tlp", "amber", "--data", data,
                "--since", "2000-01-01T00:00:00Z", "--out", misp.toString())).isZero();
        assertThat(Json.MAPPER.readTree(misp.toFile()).get(0).get("Event").get("Tag").toString()).contains("tlp:amber");

        Path none = tmp.resolve("green.json");
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "green", "--data", data,
                "--out", none.toString())).isZero();
        assertThat(Json.MAPPER.readTree(none.toFile()).has("objects")).isFalse();
    }

    @Test
    void shareExport_badTlp_fails(@TempDir Path tmp) {
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "purple", "--data", tmp.toString()))
                .isNotZero();
    }
}
