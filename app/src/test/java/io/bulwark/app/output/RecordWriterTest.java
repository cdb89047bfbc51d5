package io.bulwark.app.output;

import io.bulwark.inventory.DeviceProfile;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.inventory.Observation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RecordWriterTest {
    /**
     * The same device is written as the same bytes: observations keep their key order (a
     * Map.of's order changes from one JVM run to the next), and the store's fingerprints come
     * from this map.
     */
    @Test
    void inventory_observations_writtenSourceThenValue() throws Exception {
        DeviceProfile p = new DeviceProfile("Belkin International Inc.", "plug", List.of(), null,
                List.of(new Observation("oui", "Belkin International Inc."), new Observation("ssdp.st", "urn:Belkin:device:controllee:1")));
        DeviceSummary d = new DeviceSummary("192.168.1.21", "94:10:3e:00:00:01", 0, 1_000, 1, 60, 1, 60, 1, 0,
                List.of(), List.of(), p, List.of());

        String json = Json.MAPPER.writeValueAsString(RecordWriter.inventory(d).get("observations"));

        assertThat(json).isEqualTo("[{\"source\":\"oui\",\"value\":\"Belkin International Inc.\"},"
                + "{\"source\":\"ssdp.st\",\"value\":\"urn:Belkin:device:controllee:1\"}]");
    }
}
