package io.bulwark.flow;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IpAddrTest {

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "1.2.3.4", "192.168.100.113", "255.255.255.255", "10.0.0.255"})
    void parse_v4Literal_roundTrips(String text) {
        IpAddr a = IpAddr.parse(text);

        assertThat(a).isNotNull();
        assertThat(a.isV4()).isTrue();
        assertThat(a).hasToString(text);
    }

    @Test
    void parse_v4_holdsMappedForm() {
        // RFC 4291 2.5.5.2: ::ffff:c0a8:6471
        IpAddr a = IpAddr.parse("192.168.100.113");

        assertThat(a.hi()).isZero();
        assertThat(a.lo()).isEqualTo(0x0000_ffff_c0a8_6471L);
        assertThat(a.v4()).isEqualTo(0xc0a8_6471);
        assertThat(a.toBytes()).containsExactly(192, 168, 100, 113);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // input, RFC 5952 canonical text
        "::,                                      ::",
        "::1,                                     ::1",
        "1::,                                     1::",
        "2001:DB8:0:0:0:0:2:1,                    2001:db8::2:1",      // 4.3 lower case
        "2001:0db8::0001,                         2001:db8::1",        // 4.1 no leading zeros
        "2001:db8:0:1:1:1:1:1,                    2001:db8:0:1:1:1:1:1", // 4.2.2 one zero group stays
        "2001:0:0:1:0:0:0:1,                      2001:0:0:1::1",      // 4.2.3 longest run wins
        "2001:db8:0:0:1:0:0:1,                    2001:db8::1:0:0:1",  // 4.2.3 tie: first run wins
        "fe80::200:86ff:fe05:80da,                fe80::200:86ff:fe05:80da",
        "2607:f8b0:400c:c03:0:0:0:1a,             2607:f8b0:400c:c03::1a",
        "1:2:3:4:5:6:7:8,                         1:2:3:4:5:6:7:8",
    })
    void parse_v6Literal_formatsPerRfc5952(String text, String canonical) {
        IpAddr a = IpAddr.parse(text);

        assertThat(a).isNotNull();
        assertThat(a.isV4()).isFalse();
        assertThat(a).hasToString(canonical);
        assertThat(IpAddr.parse(canonical)).isEqualTo(a);
    }

    @Test
    void parse_v4MappedV6_equalsV4() {
        assertThat(IpAddr.parse("::ffff:1.2.3.4")).isEqualTo(IpAddr.parse("1.2.3.4"));
    }

    @Test
    void fromBytes_sixteenBytes_matchesParse() {
        byte[] b = IpAddr.parse("2001:db8::2:1").toBytes();

        assertThat(b).hasSize(16);
        assertThat(IpAddr.fromBytes(b)).isEqualTo(IpAddr.parse("2001:db8::2:1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.", ".1.2.3", "1..2.3", "1.2.3.4 ",
        "-1.2.3.4", "a.b.c.d", "1.2.3.4:80", "localhost", "example.com", "-", "(empty)",
        "1::2::3", ":::", "1:2:3:4:5:6:7:8:9", "12345::1", "::g", "zz::1", "1:2", "::1%eth0", "fe80::1%1",
        "[::1", "::1]"})
    void parse_notAnAddress_returnsNull(String text) {
        assertThat(IpAddr.parse(text)).isNull();
    }

    @Test
    void parse_null_returnsNull() {
        assertThat(IpAddr.parse(null)).isNull();
    }

    @Test
    void compareTo_v4SortsBeforeV6AndByValue() {
        assertThat(IpAddr.parse("1.2.3.4")).isLessThan(IpAddr.parse("1.2.3.5"));
        assertThat(IpAddr.parse("255.255.255.255")).isLessThan(IpAddr.parse("2001:db8::1"));
        assertThat(IpAddr.parse("::1")).isLessThan(IpAddr.parse("0.0.0.0"));
    }
}
