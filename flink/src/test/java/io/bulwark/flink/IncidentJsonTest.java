package io.bulwark.flink;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.incident.Incident;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's hand-written incident JSON escapes strings exactly as Jackson (the app's writer)
 * does: detail values can hold attacker bytes (telnet credentials, DNS names), and the two
 * engines' incidents.ndjson objects must be equal byte for byte.
 */
class IncidentJsonTest {
    @Test
    void strings_everyControlAndSpecialCharacter_escapedAsJacksonDoes() throws Exception {
        ObjectMapper jackson = new ObjectMapper();
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x80; c++) {
            all.append(c);
        }
        all.append("\u00e9\u2028\u2029\ud83d\ude00\uffff");
        String s = all.toString();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("credential", s);
        detail.put("list", List.of(s, "x"));
        Incident i = new Incident("inc-0000000000000001", Kind.bruteforce, "192.168.1.5", null, 1_000L, 2_000L, 3_000L,
                Severity.high, 0.9, s, "bruteforce", detail, List.of());
        String line = IncidentJson.write(i);
        Map<?, ?> back = jackson.readValue(line, Map.class);
        assertThat(back.get("summary")).isEqualTo(s);
        assertThat(line).contains(jackson.writeValueAsString(s));
        assertThat(line).contains("\"credential\":" + jackson.writeValueAsString(s));
    }
}
