package io.bulwark.inventory;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * Fuzzes every inventory payload parser (DHCPv4/v6, mDNS, HTTP/SSDP header lines, banners,
 * TLS ClientHello) with the same bytes. The payload sits at an offset inside a larger buffer
 * whose limit is the payload's end, so a read past it fails loudly. Kept values must be bounded
 * printable text.
 */
class InventoryParsersFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void parsers_fuzzedPayloads_neverThrowAndKeepBoundedText(byte[] input) {
        ByteBuffer b = ByteBuffer.allocate(input.length + 16);
        b.put(9, input, 0, input.length);
        b.limit(9 + input.length);
        int off = 9, len = input.length;
        BiConsumer<String, String> sink = (source, value) -> {
            assertThat(value.length()).isLessThanOrEqualTo(Observation.MAX_VALUE);
            assertThat(value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(value).isTrue();
        };
        Dhcp.v4(b, off, len, sink);
        Dhcp.v6(b, off, len, sink);
        Mdns.read(b, off, len, sink);
        HeaderLines.read(b, off, len, "http", sink);
        HeaderLines.read(b, off, len, "ssdp", sink);
        String t = Banner.telnet(b, off, len);
        assertThat(t.length()).isLessThanOrEqualTo(Observation.MAX_VALUE);
        Banner.line(b, off, len, "SSH-");
        ClientHello h = ClientHello.read(b, off, len);
        if (h != null) {
            assertThat(h.ja4()).matches("t(13|12|11|10|s3|00)[di]\\d{4}[0-9a-zA-Z]{2}_[0-9a-f]{12}_[0-9a-f]{12}");
        }
    }
}
