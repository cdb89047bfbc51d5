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
        // The scanning DVR is 192.168.1.195: private, so no pattern by default (it would match a
        // partner's own hosts), only observed data and an infrastructure object; on request, one.
        assertThat(bundle.get("objects").toString()).contains("T1595", "\"infrastructure\"", "192.168.1.195")
                .doesNotContain("\"indicator\"");
        Path priv = tmp.resolve("private.json");
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "amber", "--data", data,
                "--private-in-patterns", "--out", priv.toString())).isZero();
        assertThat(Files.readString(priv)).contains("[ipv4-addr:value = '192.168.1.195']");

        Path misp = tmp.resolve("misp.json");
        assertThat(Main.run("share", "export", "--format", "misp", "--tlp", "amber", "--data", data,
                "--since", "2000-01-01T00:00:00Z", "--out", misp.toString())).isZero();
        assertThat(Json.MAPPER.readTree(misp.toFile()).get(0).get("Event").get("Tag").toString()).contains("tlp:amber");

        Path none = tmp.resolve("green.json");
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "green", "--data", data,
                "--out", none.toString())).isZero();
        assertThat(Json.MAPPER.readTree(none.toFile()).has("objects")).isFalse();

        // Crypto-PAn under a key file: the scanner's address never leaves, its pseudonym is
        // stable, and the key holder can map it back.
        Path key = tmp.resolve("pan.key");
        Files.writeString(key, "21228d8d33a4cf80130a5b16499078107d8dcf83797965276257ba2d2a842202\n");
        Path pseudo = tmp.resolve("pseudo.json");
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "amber", "--data", data,
                "--pseudonymise-key", key.toString(), "--out", pseudo.toString())).isZero();
        String text = Files.readString(pseudo);
        assertThat(text).doesNotContain("192.168.1.195");
        io.bulwark.anonymise.CryptoPan pan = new io.bulwark.anonymise.CryptoPan(io.bulwark.app.cli.ShareKeys.read(key));
        String pseudonym = pan.anonymise(io.bulwark.flow.IpAddr.parse("192.168.1.195")).toString();
        // Carried, named as what it is, and never as an address to match on.
        assertThat(text).contains("\"pseudonym\":\"" + pseudonym + "\"").doesNotContain("'" + pseudonym + "'")
                .doesNotContain("\"value\":\"" + pseudonym + "\"");
        assertThat(pan.deanonymise(io.bulwark.flow.IpAddr.parse(pseudonym)).toString()).isEqualTo("192.168.1.195");
        // The key holder's command, as docs/share.md gives it.
        java.io.PrintStream stdout = System.out;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(Main.run("share", "reidentify", "--pseudonymise-key", key.toString(), pseudonym)).isZero();
        } finally {
            System.setOut(stdout);
        }
        assertThat(buf.toString(java.nio.charset.StandardCharsets.UTF_8).strip()).isEqualTo(pseudonym + " 192.168.1.195");
    }

    @Test
    void shareExport_badTlp_fails(@TempDir Path tmp) {
        assertThat(Main.run("share", "export", "--format", "stix", "--tlp", "purple", "--data", tmp.toString()))
                .isNotZero();
    }
}
