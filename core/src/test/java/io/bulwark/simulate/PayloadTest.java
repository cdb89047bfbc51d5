package io.bulwark.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PayloadTest {
    private final Noise noise = new Noise(new SplittableRandom(3));

    /** Writes a payload in segment-sized pieces, as TCP carries it, and joins them again. */
    private static byte[] segmented(Payload p, int mss) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Frame f = new Frame();
        for (int from = 0; from < p.length(); from += mss) {
            int n = Math.min(mss, p.length() - from);
            f.ethernet(1, 2, Frame.ETHERTYPE_IPV4).ipv4(1, 2, Frame.PROTO_TCP, 64, 0, true).tcp(1, 2, 0, 0, Frame.ACK, 0);
            int at = f.position();
            p.write(f, from, n);
            out.write(f.array(), at, n);
        }
        return out.toByteArray();
    }

    @Test
    void tls_anySegmentation_recordsChainToTheEnd() {
        for (int length : new int[] {22, 517, 16_389, 16_390, 40_000, 100_003}) {
            Payload.Tls tls = new Payload.Tls(length, noise, length);
            byte[] b = segmented(tls, 1448);
            int at = 0;
            while (at < b.length) {
                assertThat(b[at]).as("content type at %d of %d", at, length).isEqualTo((byte) 23);
                assertThat(b[at + 1]).isEqualTo((byte) 3);
                assertThat(b[at + 2]).isEqualTo((byte) 3);
                int body = ((b[at + 3] & 0xff) << 8) | (b[at + 4] & 0xff);
                assertThat(body).isBetween(17, 16_384);
                at += 5 + body;
            }
            assertThat(at).isEqualTo(tls.length());
            assertThat(tls.length()).isGreaterThanOrEqualTo(length);
        }
    }

    @Test
    void tls_sameKey_sameBytes() {
        assertThat(segmented(new Payload.Tls(5_000, noise, 42), 1448))
                .isEqualTo(segmented(new Payload.Tls(5_000, noise, 42), 1000));
    }

    @Test
    void text_headThenBody_lengthAndHeadExact() {
        byte[] head = "HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        Payload.Text text = new Payload.Text(head, 3000, noise, 9);
        byte[] b = segmented(text, 1448);
        assertThat(b).hasSize(head.length + 3000);
        assertThat(new String(b, 0, head.length, StandardCharsets.US_ASCII)).isEqualTo(new String(head, StandardCharsets.US_ASCII));
        for (int i = head.length; i < b.length; i++) {
            assertThat(b[i] == ' ' || b[i] == '\n' || (b[i] >= 'a' && b[i] <= 'z')).isTrue();
        }
    }
}
