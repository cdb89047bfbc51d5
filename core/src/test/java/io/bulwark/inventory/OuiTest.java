package io.bulwark.inventory;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OuiTest {
    @Test
    void parseTxt_ieeeDataLayout_readsAssignmentLines() throws Exception {
        String txt = "OUI/MA-L                 Organization\n\n"
                + "B0-C5-54   (hex)\t\tD-Link International\n"
                + "B0C554     (base 16)\t\tD-Link International\n\t\t\t\t1 Internal Street\n\n"
                + "00-17-88   (hex)\t\tPhilips Lighting BV\n"
                + "zz-zz-zz   (hex)\t\tbroken\n";
        var m = Oui.parseTxt(new StringReader(txt));
        assertThat(m).hasSize(2).containsEntry(0xb0c554, "D-Link International").containsEntry(0x001788, "Philips Lighting BV");
    }

    @Test
    void fromCsv_quotedOrganisation_keepsItsCommaAndQuotes() throws Exception {
        String csv = "Registry,Assignment,Organization Name,Organization Address\n"
                + "MA-L,50C7BF,\"TP-LINK TECHNOLOGIES CO.,LTD.\",\"Building 24 Shenzhen\"\n"
                + "MA-L,94103E,Belkin International Inc.,12045 East Waterfront Drive\r\n"
                + "MA-L,B0C554,\"Say \"\"cheese\"\" Ltd\",x\n"
                + "MA-L,ZZ0000,broken,x\n"
                + "MA-L,000001,,no name\n"
                + "MA-M,94103E1,Other,x\n"
                + "MA-L,0017";
        Oui o = Oui.fromCsv(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8), "test");
        assertThat(o.size()).isEqualTo(3);
        assertThat(o.vendor(0x50c7bf000001L)).isEqualTo("TP-LINK TECHNOLOGIES CO.,LTD.");
        assertThat(o.vendor(0x94103e123456L)).isEqualTo("Belkin International Inc.");
        assertThat(o.vendor(0xb0c554000000L)).isEqualTo("Say \"cheese\" Ltd");
        assertThat(o.vendor(0x000001000000L)).isNull();
        assertThat(o.vendor(0x001788000000L)).isNull();
    }

    @Test
    void vendor_locallyAdministeredOrMissingMac_isNull() {
        Oui o = Oui.bundled();
        assertThat(o.vendor(0xb0c554255b0eL)).isEqualTo("D-Link International");
        assertThat(o.vendor(0x02c554255b0eL)).isNull();
        assertThat(o.vendor(-1)).isNull();
    }

    @Test
    void bundled_isGeneratedSubsetWithTheDatasetVendors() {
        Oui o = Oui.bundled();
        assertThat(o.source()).startsWith("bundled:");
        assertThat(o.size()).isBetween(1000, 10000);
        for (long mac : new long[]{0xb0c554000000L, 0x001788000000L, 0x50c7bf000000L, 0x94103e000000L, 0xc056e3000000L,
                0x3ce36b000000L}) {
            assertThat(o.vendor(mac)).as("%012x", mac).isNotNull();
        }
    }

    @Test
    void load_missingFiles_fallsBackToBundled(@org.junit.jupiter.api.io.TempDir Path dir) {
        Oui o = Oui.load(dir.resolve("none.txt"), dir.resolve("none.csv"));
        assertThat(o.source()).startsWith("bundled:");
    }

    @Test
    void system_withIeeeDataInstalled_readsThePackage() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Oui.DEBIAN_CSV), "ieee-data not installed");
        Oui o = Oui.system();
        assertThat(o.source()).isEqualTo(Oui.DEBIAN_CSV.toString());
        assertThat(o.size()).isGreaterThan(30_000);
    }
}
