package io.bulwark.decode.zeek;

import static io.bulwark.decode.zeek.ConnFields.ACK;
import static io.bulwark.decode.zeek.ConnFields.FIN;
import static io.bulwark.decode.zeek.ConnFields.PSH;
import static io.bulwark.decode.zeek.ConnFields.RST;
import static io.bulwark.decode.zeek.ConnFields.SYN;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConnFieldsTest {

    @Test
    void tcpFlags_fullHandshakeAndClose_splitsByCase() {
        // S orig SYN, h resp SYN-ACK, A orig ACK, D/d data both ways, F/f FIN both ways
        assertThat(ConnFields.tcpFlags("ShADadFf", true)).isEqualTo(SYN | ACK | PSH | FIN);
        assertThat(ConnFields.tcpFlags("ShADadFf", false)).isEqualTo(SYN | ACK | PSH | FIN);
    }

    @ParameterizedTest(name = "history \"{0}\"")
    @CsvSource({
        // history, originator flags, responder flags
        "S,          2,  0",   // S0 scan probe: a lone SYN
        "Sr,         2,  4",   // REJ: answered by a RST
        "ShR,        6,  18",
        "H,          18, 0",   // upper-case H: the originator sent the SYN-ACK
        "^hA,        16, 18",  // ^ (direction flipped by Zeek) is not a flag
        "DdAaCcGgTtWwIiQq, 24, 24",  // checksum, gap, retransmit, window, ... letters add nothing
        "'',         0,  0",
    })
    void tcpFlags_history_mapsLetters(String history, int out, int in) {
        assertThat(ConnFields.tcpFlags(history, true)).isEqualTo(out);
        assertThat(ConnFields.tcpFlags(history, false)).isEqualTo(in);
    }

    @Test
    void tcpFlags_nonAsciiLetter_addsNothing() {
        // U+017F LATIN SMALL LETTER LONG S upper-cases to 'S' in Java; it must not become a SYN.
        assertThat(ConnFields.tcpFlags("\u017f\u0130", false)).isZero();
        assertThat(ConnFields.tcpFlags("\u017f\u0130", true)).isZero();
    }

    @ParameterizedTest(name = "{0} v4={1}")
    @CsvSource({"tcp, true, 6", "udp, true, 17", "icmp, true, 1", "icmp, false, 58",
        "unknown_transport, true, 255", "sctp, true, -1", "TCP, true, -1", "'', true, -1"})
    void protocol_zeekEnum_mapsToIpProtocol(String proto, boolean v4, int expected) {
        assertThat(ConnFields.protocol(proto, v4)).isEqualTo(expected);
    }

    @Test
    void toRecord_mixedAddressFamilies_isMalformed() {
        String[] v = new String[ConnFields.Field.COUNT];
        v[ConnFields.Field.TS.ordinal()] = "1";
        v[ConnFields.Field.ORIG_H.ordinal()] = "10.0.0.1";
        v[ConnFields.Field.ORIG_P.ordinal()] = "1";
        v[ConnFields.Field.RESP_H.ordinal()] = "2001:db8::1";
        v[ConnFields.Field.RESP_P.ordinal()] = "2";
        v[ConnFields.Field.PROTO.ordinal()] = "tcp";

        assertThat(ConnFields.toRecord(v, "x", 0)).isNull();

        v[ConnFields.Field.RESP_H.ordinal()] = "10.0.0.2";
        assertThat(ConnFields.toRecord(v, "x", 0)).isNotNull();
    }

    @Test
    void toRecord_noUid_derivesSameUidEachTime() {
        String[] v = new String[ConnFields.Field.COUNT];
        v[ConnFields.Field.TS.ordinal()] = "1533042911.474174";
        v[ConnFields.Field.ORIG_H.ordinal()] = "10.0.0.1";
        v[ConnFields.Field.ORIG_P.ordinal()] = "1";
        v[ConnFields.Field.RESP_H.ordinal()] = "10.0.0.2";
        v[ConnFields.Field.RESP_P.ordinal()] = "2";
        v[ConnFields.Field.PROTO.ordinal()] = "udp";

        String uid = ConnFields.toRecord(v, "x", 100).uid();

        assertThat(uid).startsWith("C").hasSize(14).isEqualTo(ConnFields.toRecord(v, "x", 100).uid());
        assertThat(ConnFields.toRecord(v, "x", 200).uid()).isNotEqualTo(uid);
    }
}
