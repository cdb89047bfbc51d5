package io.bulwark.app.posture;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.cli.Main;
import io.bulwark.app.output.RecordWriter;
import io.bulwark.app.output.Schemas;
import io.bulwark.inventory.DeviceSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The posture report from devices.ndjson of the IoT Sentinel camera and plug captures analysed together. */
class PostureReportTest {
    @TempDir
    Path dir;

    static Path sentinel() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/datasets/benign-iot-sentinel");
            if (Files.isDirectory(c)) {
                return c;
            }
        }
        assumeTrue(false, "IoT Sentinel captures not found: expected ../shared/datasets/benign-iot-sentinel");
        throw new IllegalStateException();
    }

    private List<DeviceSummary> analyse() throws Exception {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        a.add(sentinel().resolve("D-LinkCam/Setup-A-1-STA.pcap"));
        a.add(sentinel().resolve("TP-LinkPlugHS110/Setup-A-1-STA.pcap"));
        return a.finish().devices();
    }

    @Test
    void devicesNdjson_validatesAndReadsBackToTheSameInventoryAndPosture() throws Exception {
        List<DeviceSummary> devices = analyse();
        Path out = dir.resolve("out");
        try (RecordWriter w = new RecordWriter(out)) {
            w.devices(devices);
        }
        assertThat(Schemas.violations(out.resolve("devices.ndjson"), "device.schema.json")).isEmpty();
        List<DeviceSummary> back = DeviceRecords.read(out.resolve("devices.ndjson"), 1000);
        assertThat(back).hasSameSizeAs(devices);
        for (int i = 0; i < devices.size(); i++) {
            assertThat(back.get(i).profile()).isEqualTo(devices.get(i).profile());
            assertThat(back.get(i).posture()).isEqualTo(devices.get(i).posture());
        }
    }

    @Test
    void postureCommand_writesTheNetworkAndEveryDeviceWithEvidence() throws Exception {
        Path out = dir.resolve("out");
        try (RecordWriter w = new RecordWriter(out)) {
            w.devices(analyse());
        }
        Path report = dir.resolve("report.html");
        int rc = Main.run(new String[]{"posture", out.toString(), "--out", report.toString()});
        assertThat(rc).isZero();
        String html = Files.readString(report);
        assertThat(html).contains("<h2 id=\"network\">Network</h2>", "GP-TM-08, GP-TM-34, GP-TM-45, GP-TM-50",
                "id=\"d-10.10.10.37\"", "D-Link International", "<b>camera</b>",
                "dhcp.hostname = <code>DCS-935L</code>: D-Link DCS series are network cameras",
                "id=\"d-10.10.10.20\"", "TP-LINK TECHNOLOGIES CO.,LTD.", "<b>plug</b>",
                "offers at most TLS 1.0 (ClientHello)");
        assertThat(html).doesNotContain("<script");
    }

    @Test
    void esc_trafficText_isEscaped() {
        assertThat(PostureReport.esc("<img src=x onerror=\"a\">&'")).isEqualTo("&lt;img src=x onerror=&quot;a&quot;&gt;&amp;&#39;");
    }

    @Test
    void postureCommand_withoutDir_readsTheStore() throws Exception {
        Path data = dir.resolve("data");
        assertThat(Main.run("analyze", "-q", sentinel().resolve("HueBridge/Setup-A-1-STA.pcap").toString(),
                "--out", dir.resolve("out").toString(), "--data", data.toString())).isZero();
        Path report = dir.resolve("store.html");
        assertThat(Main.run("posture", "--data", data.toString(), "--out", report.toString())).isZero();
        assertThat(Files.readString(report)).contains("Source: the store", "Philips Lighting BV", "<b>gateway</b>",
                "dhcp.hostname = <code>Philips-hue</code>: Philips Hue bridge");
    }
}
