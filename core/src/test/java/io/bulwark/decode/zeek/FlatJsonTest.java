package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.decode.zeek.FlatJson.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FlatJsonTest {
    private final FlatJson json = new FlatJson();

    @Test
    void parse_zeekConnLine_exposesTopLevelMembers() {
        // One conn record as Zeek's JSON writer prints it (IoT-23 capture 8-1, first row),
        // with the unset fields service/local_orig omitted and a set as an array.
        String line = "{\"ts\":1533042911.474174,\"uid\":\"C5JLGOoxIw2dBZt47\",\"id.orig_h\":\"192.168.100.113\","
                + "\"id.orig_p\":123,\"proto\":\"udp\",\"duration\":0.00549,\"local_resp\":false,"
                + "\"tunnel_parents\":[],\"missed\":null,\"deep\":{\"a\":[1,{\"b\":\"}\"}]}}";

        assertThat(json.parse(line)).isTrue();

        assertThat(json.size()).isEqualTo(10);
        assertMember(0, "ts", "1533042911.474174", Kind.NUMBER);
        assertMember(1, "uid", "C5JLGOoxIw2dBZt47", Kind.STRING);
        assertMember(3, "id.orig_p", "123", Kind.NUMBER);
        assertMember(6, "local_resp", "false", Kind.FALSE);
        assertMember(7, "tunnel_parents", null, Kind.NESTED);
        assertMember(8, "missed", null, Kind.NULL);
        assertMember(9, "deep", null, Kind.NESTED);
    }

    @Test
    void parse_escapes_areDecoded() {
        String line = "{\"k\\u00e9y\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u20AC\", \"t\" : true }\r\n";

        assertThat(json.parse(line)).isTrue();

        assertMember(0, "k\u00e9y", "a\"b\\c/d\b\f\n\r\t\u20ac", Kind.STRING);
        assertMember(1, "t", "true", Kind.TRUE);
    }

    @Test
    void parse_emptyObject_hasNoMembers() {
        assertThat(json.parse(" { } ")).isTrue();
        assertThat(json.size()).isZero();
    }

    @Test
    void parse_numbers_keepTheirText() {
        assertThat(json.parse("{\"a\":-0,\"b\":1e-06,\"c\":2.5E+3,\"d\":0.1}")).isTrue();

        assertThat(json.value(0)).isEqualTo("-0");
        assertThat(json.value(1)).isEqualTo("1e-06");
        assertThat(json.value(2)).isEqualTo("2.5E+3");
        assertThat(json.value(3)).isEqualTo("0.1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "}", "[1]", "\"s\"", "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}",
        "{'a':1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":-}", "{\"a\":+1}", "{\"a\":1e}",
        "{\"a\":tru}", "{\"a\":nul}", "{\"a\":True}", "{\"a\":\"x\\q\"}", "{\"a\":\"\\u12\"}",
        "{\"a\":\"\\u12g4\"}", "{\"a\":\"tab\there\"}", "{\"a\":1} x", "{\"a\":1}{}", "{\"a\":\"open}",
        "{\"a\":[1,]}", "{\"a\":[1 2]}", "{\"a\":{\"b\"}}", "{\"a\":{1:2}}", "{\"a\":[}", "{\"a\":NaN}",
        "{\"a\":1,\"b\"}", "{\"a\"}", "{\"a\":}", "{\"a\":1 \"b\":2}", "{\"a\":\"\\"})
    void parse_malformed_returnsFalse(String line) {
        assertThat(json.parse(line)).isFalse();
        assertThat(json.size()).isZero();
    }

    @Test
    void parse_nestingAtBound_isAccepted_deeperIsRefused() {
        String ok = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH) + "]".repeat(FlatJson.MAX_DEPTH) + "}";
        String deep = "{\"a\":" + "[".repeat(FlatJson.MAX_DEPTH + 1) + "]".repeat(FlatJson.MAX_DEPTH + 1) + "}";

        assertThat(json.parse(ok)).isTrue();
        assertThat(json.parse(deep)).isFalse();
    }

    @Test
    void parse_hugeNesting_failsWithoutStackOverflow() {
        assertThat(json.parse("{\"a\":" + "[".repeat(100_000))).isFalse();
    }

    @Test
    void parse_membersAtBound_isAccepted_moreIsRefused() {
        assertThat(json.parse(members(FlatJson.MAX_MEMBERS))).isTrue();
        assertThat(json.size()).isEqualTo(FlatJson.MAX_MEMBERS);

        assertThat(json.parse(members(FlatJson.MAX_MEMBERS + 1))).isFalse();
    }

    @Test
    void parse_afterFailure_reusedParserStartsClean() {
        json.parse("{\"a\":1,\"b\":2}");
        json.parse("{\"a\":1,");

        assertThat(json.parse("{\"c\":3}")).isTrue();
        assertThat(json.size()).isEqualTo(1);
        assertMember(0, "c", "3", Kind.NUMBER);
    }

    @Test
    void parse_duplicateKeys_areKeptForTheCallerToJudge() {
        assertThat(json.parse("{\"a\":1,\"a\":2}")).isTrue();
        assertThat(json.size()).isEqualTo(2);
    }

    private static String members(int n) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",").append("\"k").append(i).append("\":").append(i);
        }
        return sb.append('}').toString();
    }

    private void assertMember(int i, String key, String value, Kind kind) {
        assertThat(json.key(i)).isEqualTo(key);
        assertThat(json.value(i)).isEqualTo(value);
        assertThat(json.kind(i)).isEqualTo(kind);
    }
}
