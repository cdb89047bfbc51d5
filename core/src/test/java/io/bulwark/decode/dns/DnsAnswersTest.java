package io.bulwark.decode.dns;

import io.bulwark.decode.packet.Packet;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DnsAnswersTest {
    private static Packet udpPayload(byte[] payload) {
        Packet p = new Packet();
        p.buf = ByteBuffer.wrap(payload);
        p.payloadOffset = 0;
        p.payloadLength = payload.length;
        return p;
    }

    // id 1234, flags 8180 (response, no error), 1 question, 2 answers
    // question: cnc.example.com A IN; answers: pointer to the question name, A, IN, TTL 60, 4 bytes
    static final String RESPONSE = "1234 8180 0001 0002 0000 0000"
            + "03636e63 076578616d706c65 03636f6d 00 0001 0001"
            + "c00c 0001 0001 0000003c 0004 b280b9fa"
            + "c00c 0001 0001 0000003c 0004 80b9fa32";

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void read_responseWithTwoARecords_namesBothAddresses() {
        List<String> got = new ArrayList<>();
        int n = DnsAnswers.read(udpPayload(hex(RESPONSE)), (name, ip) -> got.add(name + "=" + Integer.toHexString(ip)));
        assertThat(n).isEqualTo(2);
        assertThat(got).containsExactly("cnc.example.com=b280b9fa", "cnc.example.com=80b9fa32");
    }

    @Test
    void read_everyTruncation_neverThrowsAndNeverInventsAnswers() {
        byte[] whole = hex(RESPONSE);
        for (int len = 0; len < whole.length; len++) {
            List<String> got = new ArrayList<>();
            DnsAnswers.read(udpPayload(Arrays.copyOf(whole, len)), (name, ip) -> got.add(name));
            assertThat(got.size()).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void read_compressionLoop_endsTheParse() {
        // the question name is a pointer to itself
        byte[] loop = hex("1234 8180 0001 0001 0000 0000 c00c 0001 0001 c00c 0001 0001 0000003c 0004 01020304");
        assertThat(DnsAnswers.read(udpPayload(loop), (name, ip) -> { })).isZero();
    }

    @Test
    void read_queryOrError_isIgnored() {
        byte[] query = hex(RESPONSE);
        query[2] = 0x01;
        assertThat(DnsAnswers.read(udpPayload(query), (name, ip) -> { })).isZero();
        byte[] nx = hex(RESPONSE);
        nx[3] = (byte) 0x83;
        assertThat(DnsAnswers.read(udpPayload(nx), (name, ip) -> { })).isZero();
    }
    @Test
    void read_aaaaOnly_handsNothingToTheSink() {
        // cnc.example.com AAAA: one 16-byte answer
        byte[] aaaa = hex("1234 8180 0001 0001 0000 0000"
                + "03636e63 076578616d706c65 03636f6d 00 001c 0001"
                + "c00c 001c 0001 0000003c 0010 20010db8000000000000000000000001");
        List<String> got = new ArrayList<>();
        assertThat(DnsAnswers.read(udpPayload(aaaa), (name, ip) -> got.add(name))).isZero();
        assertThat(got).isEmpty();
    }

    @Test
    void read_cnameThenA_namesTheAddressByTheQuestionInLowerCase() {
        // CNC.Example.COM A: a CNAME to "x" + the question's tail, then the A record
        byte[] chain = hex("1234 8180 0001 0002 0000 0000"
                + "03434e43 074578616d706c65 03434f4d 00 0001 0001"
                + "c00c 0005 0001 0000003c 0004 0178c010"
                + "c02d 0001 0001 0000003c 0004 01020304");
        List<String> got = new ArrayList<>();
        assertThat(DnsAnswers.read(udpPayload(chain), (name, ip) -> got.add(name + "=" + Integer.toHexString(ip))))
                .isEqualTo(1);
        assertThat(got).containsExactly("cnc.example.com=1020304");
    }

    @Test
    void read_malformedQuestionName_handsNothingToTheSink() {
        // the question's label type 01 is reserved; its A answer must not be named by garbage
        byte[] bad = hex("1234 8180 0001 0001 0000 0000 43616263 00 0001 0001"
                + "c00c 0001 0001 0000003c 0004 01020304");
        List<String> got = new ArrayList<>();
        assertThat(DnsAnswers.read(udpPayload(bad), (name, ip) -> got.add(name))).isZero();
        assertThat(got).isEmpty();
    }
}
