package io.bulwark.inventory;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every IoT Sentinel device-setup capture (Miettinen et al., ICDCS 2017; ../shared/datasets/
 * benign-iot-sentinel, whose README gives each device's MAC) is inventoried with its vendor
 * and its class, each with evidence from the device's own traffic.
 */
class IotSentinelInventoryTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "D-LinkCam        | D-Link       | camera | dhcp.hostname",
            "D-LinkDayCam     | D-Link       | camera | dhcp.hostname",
            "HueBridge        | Philips      | gateway | dhcp.hostname",
            "TP-LinkPlugHS110 | TP-LINK      | plug   | dhcp.hostname",
            "WeMoSwitch       | Belkin       | plug   | ssdp.type"})
    void setupCapture_device_isInventoriedWithVendorAndClassAndEvidence(String device, String vendor, String cls,
                                                                        String strongestSource) throws Exception {
        Path dir = dataset().resolve(device);
        String mac = Files.readString(dir.resolve("_iotdevice-mac.txt")).trim();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        assertThat(a.add(dir.resolve("Setup-A-1-STA.pcap")).error()).isNull();
        Analyzer.Result r = a.finish();
        DeviceSummary d = r.devices().stream().filter(x -> mac.equals(x.mac()) && x.ip().startsWith("10.10.10."))
                .findFirst().orElseThrow();
        DeviceProfile p = d.profile();
        assertThat(p.vendor()).contains(vendor);
        assertThat(p.values("oui")).containsExactly(p.vendor());
        assertThat(p.deviceClass()).isEqualTo(cls);
        assertThat(p.classEvidence()).isNotEmpty().allSatisfy(v -> {
            assertThat(v.deviceClass()).isEqualTo(cls);
            assertThat(p.observations()).contains(new Observation(v.source(), v.value()));
        });
        assertThat(p.classEvidence().get(0).source()).isEqualTo(strongestSource);
        assertThat(p.classEvidence().get(0).weight()).isEqualTo(3);
        assertThat(d.posture()).hasSize(6);
    }

    /** The hub numbers itself with IPv4 and two IPv6 link-local addresses: one device, not three. */
    @org.junit.jupiter.api.Test
    void macWithIpv4AndIpv6LinkLocal_isOneDevice_keepingTheLinkLocalAddresses() throws Exception {
        Path dir = dataset().resolve("D-LinkHomeHub");
        String mac = Files.readString(dir.resolve("_iotdevice-mac.txt")).trim();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        assertThat(a.add(dir.resolve("Setup-A-1-STA.pcap")).error()).isNull();
        var records = a.finish().devices().stream().filter(x -> mac.equals(x.mac())).toList();
        assertThat(records).extracting(DeviceSummary::ip).containsExactly("10.10.10.87");
        DeviceProfile p = records.get(0).profile();
        assertThat(p.values("addr.link_local")).isNotEmpty().allSatisfy(v -> assertThat(v).startsWith("fe80:"));
        assertThat(p.deviceClass()).isEqualTo("gateway");
    }

    /** The Aria's OUI is its Wi-Fi module maker's (Delta, GainSpan modules): its cloud names Fitbit. */
    @org.junit.jupiter.api.Test
    void scaleWithAModuleMakersOui_isVendoredByTheMakerItNames() throws Exception {
        Path dir = dataset().resolve("Aria");
        String mac = Files.readString(dir.resolve("_iotdevice-mac.txt")).trim();
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        assertThat(a.add(dir.resolve("Setup-A-1-STA.pcap")).error()).isNull();
        DeviceProfile p = a.finish().devices().stream().filter(x -> mac.equals(x.mac())).findFirst().orElseThrow().profile();
        assertThat(p.vendor()).isEqualTo("Fitbit");
        assertThat(p.values("oui")).containsExactly("Delta Electronics");
        assertThat(p.deviceClass()).isEqualTo("health");
    }

    static Path dataset() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets").resolve("benign-iot-sentinel");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "IoT Sentinel captures not found: expected ../shared/datasets/benign-iot-sentinel beside the "
                + "repository root (looked upwards from " + Path.of("").toAbsolutePath() + ")");
        throw new IllegalStateException("unreachable");
    }
}
