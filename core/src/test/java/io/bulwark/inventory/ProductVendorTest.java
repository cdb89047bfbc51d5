package io.bulwark.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProductVendorTest {
    private final ProductVendor v = ProductVendor.defaults();

    @Test
    void chipMakersOui_giveWayToTheMakerTheDeviceNames() {
        assertThat(v.vendor("Espressif Inc.", List.of(new Observation("dhcp.hostname", "Smarter-iKettle-3")))).isEqualTo("Smarter");
        assertThat(v.vendor("Delta Electronics", List.of(new Observation("dhcp.hostname", "GainSpanca9152"),
                new Observation("http.host", "www.fitbit.com")))).isEqualTo("Fitbit");
        assertThat(v.vendor("Texas Instruments", List.of(new Observation("mdns.instance", "Philips hue - 1234")))).isEqualTo("Philips");
        assertThat(v.vendor(null, List.of(new Observation("ssdp.server", "Linux UPnP/1.0 Sonos/63.2")))).isEqualTo("Sonos");
    }

    @Test
    void chipMakersOui_staysWhenTheDeviceSaysNothing_andAProductMakersOuiIsNeverOverridden() {
        assertThat(v.vendor("Espressif Inc.", List.of(new Observation("dhcp.hostname", "ESP_07AEFB")))).isEqualTo("Espressif Inc.");
        assertThat(v.vendor("D-Link International", List.of(new Observation("http.host", "www.fitbit.com"),
                new Observation("dhcp.hostname", "fitbit-proxy")))).isEqualTo("D-Link International");
        // a cloud name counts only from http.host / tls.sni, not from what a device calls itself
        assertThat(v.vendor("Espressif Inc.", List.of(new Observation("peer", "tcp/443")))).isEqualTo("Espressif Inc.");
        assertThat(v.isChipMaker("Hi-flying electronics technology Co.,Ltd")).isTrue();
        assertThat(v.isChipMaker("Belkin International Inc.")).isFalse();
    }
}
