package io.bulwark.detect.ioc;

import io.bulwark.flow.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class IocListTest {
    private static IocList stix(String... patterns) {
        List<Map.Entry<String, String>> l = new java.util.ArrayList<>();
        for (int i = 0; i < patterns.length; i++) {
            l.add(Map.entry("indicator--" + i, patterns[i]));
        }
        return IocList.fromStixPatterns(l);
    }

    @Test
    void stixPatterns_eachEqualityForm_areIndicatorsWithTheirId() {
        IocList l = stix("[ipv4-addr:value = '75.55.25.184']", "[ipv6-addr:value = '2001:db8::66']",
                "[domain-name:value = 'Evil.Example.']", "[url:value = 'http://evil.example/bins/mirai.arm7']");
        assertThat(l.size()).isEqualTo(4);
        assertThat(l.ignored()).isZero();
        assertThat(l.address(IpAddr.parse("75.55.25.184"))).satisfies(i -> {
            assertThat(i.type()).isEqualTo(IocList.Type.ipv4);
            assertThat(i.source()).isEqualTo("indicator--0");
        });
        assertThat(l.address(IpAddr.parse("2001:db8:0::66")).type()).isEqualTo(IocList.Type.ipv6);
        assertThat(l.domain("evil.example").type()).isEqualTo(IocList.Type.domain);
        assertThat(l.url("evil.example", "/bins/mirai.arm7").value()).isEqualTo("http://evil.example/bins/mirai.arm7");
        assertThat(l.url("evil.example", "/bins/mirai.arm7?x=1")).isNotNull();
        assertThat(l.url("evil.example", "/bins/mirai.mips")).isNull();
    }

    @Test
    void stixPatterns_joinedByOr_insideAndBetweenBrackets_allCount() {
        IocList l = stix("[ipv4-addr:value = '198.51.100.1' OR ipv4-addr:value = '198.51.100.2'] OR [domain-name:value = 'a.example']",
                "([url:value = 'http://198.51.100.3:8080/x.sh'] OR [domain-name:value = 'OR.example'])");
        assertThat(l.address(IpAddr.parse("198.51.100.1"))).isNotNull();
        assertThat(l.address(IpAddr.parse("198.51.100.2"))).isNotNull();
        assertThat(l.domain("a.example")).isNotNull();
        assertThat(l.domain("or.example")).isNotNull();
        assertThat(l.url("198.51.100.3", "/x.sh")).isNotNull();
        assertThat(l.address(IpAddr.parse("198.51.100.3")).type()).isEqualTo(IocList.Type.url);
        assertThat(l.ignored()).isZero();
    }

    @Test
    void stixPatterns_otherObjectsOperatorsAndAnd_areIgnoredAndCounted() {
        IocList l = stix("[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
                "[ipv4-addr:value = '198.51.100.1' AND network-traffic:dst_port = 23]",
                "[ipv4-addr:value != '198.51.100.4']",
                "[ipv4-addr:value = '198.51.100.5'] WITHIN 300 SECONDS",
                "[ipv4-addr:value = '198.51.100.6' OR file:name = 'x']",
                "[ipv4-addr:value = 'not an address']",
                "[domain-name:value = 'bad name!']");
        assertThat(l.size()).isEqualTo(1);
        assertThat(l.address(IpAddr.parse("198.51.100.6"))).isNotNull();
        assertThat(l.address(IpAddr.parse("198.51.100.1"))).isNull();
        assertThat(l.address(IpAddr.parse("198.51.100.4"))).isNull();
        assertThat(l.address(IpAddr.parse("198.51.100.5"))).isNull();
        assertThat(l.ignored()).isEqualTo(7);
    }

    @Test
    void domain_matchesItsSubdomains_butNotLookalikes() {
        IocList l = IocList.fromText(List.of("evil.example"), "feed");
        assertThat(l.domain("cnc.evil.example")).isNotNull();
        assertThat(l.domain("a.b.evil.example")).isNotNull();
        assertThat(l.domain("notevil.example")).isNull();
        assertThat(l.domain("evil.example.com")).isNull();
        assertThat(l.domain("example")).isNull();
    }

    @Test
    void urlHost_standsForTheUrl_exactlyButNotAsSuffix() {
        IocList l = IocList.fromText(List.of("http://dl.evil.example/bins/x86"), "feed");
        assertThat(l.domain("dl.evil.example").type()).isEqualTo(IocList.Type.url);
        assertThat(l.domain("a.dl.evil.example")).isNull();
        assertThat(l.domain("evil.example")).isNull();
    }

    @Test
    void text_commentsBlanksAndJunk() {
        IocList l = IocList.fromText(List.of("# partner feed", "", "203.0.113.7   # scanner", "2001:db8::1",
                "cnc.example", "http://x.example/a", "[domain-name:value = 'y.example']", "not a name at all"), "feed.txt");
        assertThat(l.size()).isEqualTo(5);
        assertThat(l.ignored()).isEqualTo(1);
        assertThat(l.address(IpAddr.parse("203.0.113.7")).source()).isEqualTo("feed.txt");
        assertThat(l.domain("y.example").source()).isEqualTo("feed.txt");
    }

    @Test
    void builder_bound_dropsAndCountsBeyondIt() {
        IocList.Builder b = new IocList.Builder(3);
        for (int i = 0; i < 10; i++) {
            b.ip("198.51.100." + i, "feed");
        }
        b.ip("198.51.100.0", "feed");
        IocList l = b.build();
        assertThat(l.size()).isEqualTo(3);
        assertThat(l.dropped()).isEqualTo(7);
    }

    @Test
    void source_longLabel_isCut() {
        IocList l = IocList.fromText(List.of("198.51.100.9"), "x".repeat(500));
        assertThat(l.address(IpAddr.parse("198.51.100.9")).source()).hasSize(IocList.MAX_SOURCE);
    }

    @Test
    void empty_matchesNothing() {
        assertThat(IocList.empty().isEmpty()).isTrue();
        assertThat(IocList.empty().hasNames()).isFalse();
        assertThat(IocList.empty().domain("evil.example")).isNull();
    }
}
