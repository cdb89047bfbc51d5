package io.bulwark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The published test vectors of the Community ID spec, seed 0
 * (https://github.com/corelight/community-id-spec, baseline/baseline_deflt.json).
 * Both directions of a flow must hash to the same id, or flows seen from either end
 * could not be joined.
 */
class CommunityIdTest {

    @ParameterizedTest(name = "{0} {1}:{3} -> {2}:{4}")
    @CsvSource({
        // proto, src, dst, sport (ICMP type), dport (ICMP code), expected
        "6,   128.232.110.120,                     66.35.250.204,             34855, 80, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "17,  192.168.1.52,                        8.8.8.8,                   54585, 53, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "6,   2001:470:e5bf:dead:4957:2174:e82c:4887, 2607:f8b0:400c:c03::1a, 63943, 25, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
        "132, 192.168.170.8,                       192.168.170.56,            7,     7,  1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
        "1,   192.168.0.89,                        192.168.0.1,               8,     0,  1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
        "58,  3ffe:507:0:1:200:86ff:fe05:80da,     3ffe:501:0:1001::2,        128,   0,  1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=",
    })
    void v1_specVector_matchesPublishedId(int proto, String src, String dst, int sport, int dport, String expected) {
        String id = CommunityId.v1(0, IpAddr.parse(src), IpAddr.parse(dst), proto, sport, dport);

        assertThat(id).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} reply of {1} -> {2}")
    @CsvSource({
        // proto, src, dst, sport, dport, reverse sport, reverse dport, expected
        "6,   128.232.110.120,                     66.35.250.204,             34855, 80, 80,    34855, 1:LQU9qZlK+B5F3KDmev6m5PMibrg=",
        "17,  192.168.1.52,                        8.8.8.8,                   54585, 53, 53,    54585, 1:d/FP5EW3wiY1vCndhwleRRKHowQ=",
        "6,   2001:470:e5bf:dead:4957:2174:e82c:4887, 2607:f8b0:400c:c03::1a, 63943, 25, 25,    63943, 1:/qFaeAR+gFe1KYjMzVDsMv+wgU4=",
        "132, 192.168.170.8,                       192.168.170.56,            7,     7,  7,     7,     1:MP2EtRCAUIZvTw6MxJHLV7N7JDs=",
        // the reply of an echo request is an echo reply: type 0 (v4) or 129 (v6), code 0
        "1,   192.168.0.89,                        192.168.0.1,               8,     0,  0,     0,     1:X0snYXpgwiv9TZtqg64sgzUn6Dk=",
        "58,  3ffe:507:0:1:200:86ff:fe05:80da,     3ffe:501:0:1001::2,        128,   0,  129,   0,     1:+TW+HtLHvV1xnGhV1lv7XoJrqQg=",
    })
    void v1_reverseDirection_givesSameId(int proto, String src, String dst, int sport, int dport,
                                         int rsport, int rdport, String expected) {
        String reverse = CommunityId.v1(0, IpAddr.parse(dst), IpAddr.parse(src), proto, rsport, rdport);

        assertThat(reverse).isEqualTo(expected);
    }

    @ParameterizedTest(name = "seed {0}")
    @CsvSource({"1", "65535"})
    void v1_otherSeed_changesId(int seed) {
        IpAddr a = IpAddr.parse("192.168.1.52");
        IpAddr b = IpAddr.parse("8.8.8.8");

        assertThat(CommunityId.v1(seed, a, b, 17, 54585, 53))
                .startsWith("1:")
                .isNotEqualTo("1:d/FP5EW3wiY1vCndhwleRRKHowQ=")
                .isEqualTo(CommunityId.v1(seed, b, a, 17, 53, 54585));
    }

    @Test
    void v1_oneWayIcmpType_keepsGivenOrder() {
        // Destination unreachable (3) has no counterpart: the spec hashes it one-way, so the
        // two directions differ by design.
        IpAddr a = IpAddr.parse("10.0.0.1");
        IpAddr b = IpAddr.parse("10.0.0.2");

        assertThat(CommunityId.v1(0, a, b, 1, 3, 1)).isNotEqualTo(CommunityId.v1(0, b, a, 1, 3, 1));
    }
}
