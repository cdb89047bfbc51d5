package io.bulwark.app.share.taxii;

import io.bulwark.app.output.Json;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PartnersTest {
    @Test
    void parse_sameNameTwice_refused() {
        // A name owns its status resources and its copies in partner-intel: two entries must not share one.
        String json = """
                {"partners": [{"name": "cert-east", "password_sha256": "%1$s", "tlp": "red"},
                              {"name": "cert-east", "password_sha256": "%1$s", "tlp": "clear"}]}"""
                .formatted(Partners.hash("pw"));
        assertThatThrownBy(() -> Partners.parse(Json.MAPPER.readTree(json)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats the name cert-east");
    }
}
