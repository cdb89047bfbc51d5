package io.bulwark.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.collect.ExporterAllowList;
import io.bulwark.app.collect.UdpListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** collect's allow-list and the exports bounds as an operator configures them. */
class CollectTrustTest {
    @TempDir
    Path tmp;

    private static String warnings(ExporterAllowList allow, String host) throws IOException {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (UdpListener l = new UdpListener("netflow", new InetSocketAddress(host, 0), 1 << 16, null, Clock.systemUTC())) {
            CollectCommand.warnWithoutAllowList(new PrintStream(err, true, StandardCharsets.UTF_8), allow, List.of(l));
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noAllowListOnAnOpenSocket_warnsInOneLine() throws IOException {
        String w = warnings(new ExporterAllowList(List.of()), "0.0.0.0");
        // Bound to the wildcard, a dual-stack socket reports the IPv6 one.
        assertThat(w.lines()).singleElement().asString()
                .matches("bulwark collect: warning: no exporter allow-list: any host that can send UDP to "
                        + "(0\\.0\\.0\\.0|\\[::\\]):\\d+ is believed; list your exporters in collect.exporters or with --exporter");
    }

    @Test
    void noAllowListOnLoopback_noWarning() throws IOException {
        assertThat(warnings(new ExporterAllowList(List.of()), "127.0.0.1")).isEmpty();
    }

    @Test
    void allowList_namedAtStart() throws IOException {
        assertThat(warnings(new ExporterAllowList(List.of("192.0.2.1", "10.0.0.0/8")), "0.0.0.0"))
                .isEqualTo("bulwark collect: taking exports only from 192.0.2.1, 10.0.0.0/8" + System.lineSeparator());
    }

    @Test
    void collectExporters_readFromTheConfig() throws IOException {
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{\"collect\": {\"exporters\": [\"192.0.2.1\", \"2001:db8::/32\"]},"
                + " \"exports\": {\"max_link_gbps\": 400, \"max_record_age_s\": 3600, \"max_records_per_s\": 5000,"
                + " \"max_records_burst\": 50000}}");
        byte[] bytes = ConfigFile.read(cfg);

        assertThat(ConfigFile.exporters(cfg, bytes)).containsExactly("192.0.2.1", "2001:db8::/32");
        AnalyzerConfig c = ConfigFile.load(cfg, bytes);
        assertThat(c.stitch().bounds().maxLinkBitsPerSecond()).isEqualTo(400e9);
        assertThat(c.stitch().bounds().maxRecordAgeNanos()).isEqualTo(3600_000_000_000L);
        assertThat(c.stitch().bounds().maxRecordsPerSecond()).isEqualTo(5000);
        assertThat(c.stitch().bounds().maxRecordsBurst()).isEqualTo(50_000);
    }

    @Test
    void badExporterInTheConfig_oneLineNamingFileAndKey() throws IOException {
        Path cfg = tmp.resolve("c.json");
        Files.writeString(cfg, "{\"collect\": {\"exporters\": [\"192.0.2.1\", \"router-1\"]}}");

        assertThatThrownBy(() -> ConfigFile.load(cfg)).hasMessage(cfg + ": collect.exporters: not a CIDR prefix: router-1");
        Files.writeString(cfg, "{\"collect\": {\"exporter\": [\"192.0.2.1\"]}}");
        assertThatThrownBy(() -> ConfigFile.load(cfg)).hasMessage(cfg + ": unknown config key collect.exporter");
        Files.writeString(cfg, "{\"exports\": {\"max_link_gbps\": 0}}");
        assertThatThrownBy(() -> ConfigFile.load(cfg)).hasMessageStartingWith(cfg + ": exports: max_link_gbps");
    }

    @Test
    void badExporterOption_exit2WithOneLine() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int rc;
        try {
            rc = Main.run("collect", "--netflow", "127.0.0.1:0", "--exporter", "10.0.0.0/33", "--out", tmp.resolve("o").toString());
        } finally {
            System.setErr(old);
        }
        assertThat(rc).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .isEqualTo("bulwark collect: --exporter: prefix length out of range: 10.0.0.0/33" + System.lineSeparator());
    }
}
