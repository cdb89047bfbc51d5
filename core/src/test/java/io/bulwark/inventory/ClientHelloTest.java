package io.bulwark.inventory;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

class ClientHelloTest {
    private static final int[] CIPHERS = {0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8,
            0xc013, 0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
    private static final int[] SIGALGS = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601};

    /**
     * The worked example of FoxIO's JA4 specification (a Chrome ClientHello): 15 ciphers and 16
     * extensions besides GREASE, SNI present, ALPN h2, TLS 1.3 in supported_versions; the spec
     * gives t13d1516h2_8daaf6152771_e5627efa2ab1. Extensions appear unsorted and with GREASE,
     * as Chrome sends them.
     */
    static byte[] chromeHello(boolean truncateExtensions) {
        ByteArrayOutputStream ext = new ByteArrayOutputStream();
        ext(ext, 0x0a0a, new byte[0]);                                  // GREASE
        ext(ext, 0x0000, sni("example.com"));                           // server_name
        ext(ext, 0x0017, new byte[0]);                                  // extended_master_secret
        ext(ext, 0xff01, new byte[]{0});                                // renegotiation_info
        ext(ext, 0x000a, new byte[]{0, 2, 0, 0x1d});                    // supported_groups
        ext(ext, 0x000b, new byte[]{1, 0});                             // ec_point_formats
        ext(ext, 0x0023, new byte[0]);                                  // session_ticket
        ext(ext, 0x0010, new byte[]{0, 3, 2, 'h', '2'});               // ALPN h2
        ext(ext, 0x0005, new byte[]{1, 0, 0, 0, 0});                    // status_request
        ByteArrayOutputStream sig = new ByteArrayOutputStream();
        u16(sig, SIGALGS.length * 2);
        for (int s : SIGALGS) {
            u16(sig, s);
        }
        ext(ext, 0x000d, sig.toByteArray());                            // signature_algorithms
        ext(ext, 0x0012, new byte[0]);                                  // signed_certificate_timestamp
        ext(ext, 0x0033, new byte[]{0, 0});                             // key_share
        ext(ext, 0x002d, new byte[]{1, 1});                             // psk_key_exchange_modes
        ext(ext, 0x002b, new byte[]{6, 0x1a, 0x1a, 0x03, 0x04, 0x03, 0x03}); // supported_versions, GREASE first
        ext(ext, 0x001b, new byte[]{2, 0, 2});                          // compress_certificate
        ext(ext, 0x4469, new byte[]{0, 0});                             // application_settings
        if (!truncateExtensions) {
            ext(ext, 0x0015, new byte[4]);                              // padding
        }
        ext(ext, 0x2a2a, new byte[]{0});                                // GREASE
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        u16(body, 0x0303);
        body.writeBytes(new byte[32]);
        body.write(0);                                                  // session id
        u16(body, (CIPHERS.length + 1) * 2);
        u16(body, 0x3a3a);                                              // GREASE cipher
        for (int c : CIPHERS) {
            u16(body, c);
        }
        body.write(1);
        body.write(0);                                                  // compression: null
        byte[] e = ext.toByteArray();
        u16(body, e.length);
        body.writeBytes(e);
        byte[] b = body.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.write(0x16);
        u16(rec, 0x0301);
        u16(rec, b.length + 4);
        rec.write(1);
        rec.write(0);
        u16(rec, b.length);
        rec.writeBytes(b);
        return rec.toByteArray();
    }

    private static byte[] sni(String host) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, host.length() + 3);
        o.write(0);
        u16(o, host.length());
        o.writeBytes(host.getBytes());
        return o.toByteArray();
    }

    private static void ext(ByteArrayOutputStream o, int type, byte[] data) {
        u16(o, type);
        u16(o, data.length);
        o.writeBytes(data);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v & 0xff);
    }

    @Test
    void read_specificationExample_givesTheSpecificationsJa4() {
        byte[] b = chromeHello(false);
        ClientHello h = ClientHello.read(ByteBuffer.wrap(b), 0, b.length);
        assertThat(h).isNotNull();
        assertThat(h.ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
        assertThat(h.version()).isEqualTo(0x0304);
        assertThat(h.sni()).isEqualTo("example.com");
    }

    @Test
    void read_atAnOffsetInsideALargerBuffer_readsOnlyThePayload() {
        byte[] hello = chromeHello(false);
        byte[] frame = new byte[hello.length + 100];
        System.arraycopy(hello, 0, frame, 60, hello.length);
        ClientHello h = ClientHello.read(ByteBuffer.wrap(frame), 60, hello.length);
        assertThat(h.ja4()).isEqualTo("t13d1516h2_8daaf6152771_e5627efa2ab1");
    }

    @Test
    void read_everyTruncation_neverThrows() {
        byte[] b = chromeHello(false);
        for (int n = 0; n <= b.length; n++) {
            ClientHello.read(ByteBuffer.wrap(b), 0, n);
        }
    }

    @Test
    void read_absurdLengths_neverThrow() {
        byte[] b = chromeHello(false);
        for (int i = 0; i < b.length; i++) {
            byte[] c = b.clone();
            c[i] = (byte) 0xff;
            ClientHello.read(ByteBuffer.wrap(c), 0, c.length);
        }
    }

    @Test
    void read_notAClientHello_isNull() {
        byte[] http = "GET / HTTP/1.1\r\n".getBytes();
        assertThat(ClientHello.read(ByteBuffer.wrap(http), 0, http.length)).isNull();
    }

    @Test
    void grease_values_areRecognised() {
        assertThat(ClientHello.grease(0x0a0a)).isTrue();
        assertThat(ClientHello.grease(0xfafa)).isTrue();
        assertThat(ClientHello.grease(0x0a1a)).isFalse();
        assertThat(ClientHello.grease(0x1301)).isFalse();
    }
}
