package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.output.Schemas;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code analyze --ioc FILE} and the config key {@code ioc_file} on the bundled sample: the DVR
 * (192.168.1.195) resolves time./p2p.dvr-cloud.example and scans 89.25.254.181 among others;
 * the plug (192.168.1.21) resolves mqtt.plug-cloud.example.
 */
class IocOptionTest {
    @TempDir
    Path tmp;

    private static List<JsonNode> ioc(Path out) throws Exception {
        return Files.readAllLines(out.resolve("incidents.ndjson")).stream().map(l -> {
            try {
                return Json.MAPPER.readTree(l);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).filter(i -> i.get("kind").asText().equals("ioc")).toList();
    }

    @Test
    void iocOption_textList_findsTheDvrByDomainSuffixAndAddress() throws Exception {
        Path list = tmp.resolve("feed.txt");
        Files.writeString(list, "# partner feed\ndvr-cloud.example\n89.25.254.181  # scanned by the DVR\n198.51.100.1\n");
        Path out = tmp.resolve("a");
        assertThat(Main.run("analyze", SampleTest.SAMPLE.toString(), "--ioc", list.toString(), "--out", out.toString(), "-q")).isZero();
        assertThat(Schemas.violationsIn(out)).isEmpty();
        List<JsonNode> inc = ioc(out);
        assertThat(inc).extracting(i -> i.get("host").asText()).containsOnly("192.168.1.195");
        assertThat(inc).extracting(i -> i.at("/detail/indicator").asText())
                .containsExactlyInAnyOrder("dvr-cloud.example", "89.25.254.181");
        assertThat(inc).allSatisfy(i -> assertThat(i.at("/detail/source").asText()).isEqualTo("feed.txt"));
    }

    @Test
    void configIocFile_stixBundle_relativeToTheConfig_findsThePlug() throws Exception {
        Files.writeString(tmp.resolve("bundle.json"), """
                {"type": "bundle", "id": "bundle--1", "objects": [
                  {"type": "indicator", "id": "indicator--aa", "pattern_type": "stix",
                   "pattern": "[domain-name:value = 'mqtt.plug-cloud.example'] OR [ipv4-addr:value = '203.0.113.9']"},
                  {"type": "indicator", "id": "indicator--bb", "pattern_type": "sigma", "pattern": "title: x"},
                  {"type": "malware", "id": "malware--cc", "name": "Mirai"}]}
                """);
        Path cfg = tmp.resolve("bulwark.json");
        Files.writeString(cfg, "{\"ioc_file\": \"bundle.json\"}");
        Path out = tmp.resolve("b");
        assertThat(Main.run("analyze", SampleTest.SAMPLE.toString(), "--config", cfg.toString(), "--out", out.toString(), "-q")).isZero();
        assertThat(ioc(out)).singleElement().satisfies(i -> {
            assertThat(i.get("host").asText()).isEqualTo("192.168.1.21");
            assertThat(i.at("/detail/source").asText()).isEqualTo("indicator--aa");
            assertThat(i.at("/detail/matched").asText()).isEqualTo("dns_query");
        });
    }

    @Test
    void configIocFile_missing_isAnErrorNamingIt() throws Exception {
        Path cfg = tmp.resolve("bulwark.json");
        Files.writeString(cfg, "{\"ioc_file\": \"nope.txt\"}");
        assertThat(Main.run("analyze", SampleTest.SAMPLE.toString(), "--config", cfg.toString(), "--out",
                tmp.resolve("c").toString(), "-q")).isNotZero();
    }
}
