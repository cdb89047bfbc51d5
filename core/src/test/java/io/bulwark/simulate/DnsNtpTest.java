package io.bulwark.simulate;

import static io.bulwark.simulate.WireCheck.u16;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DnsNtpTest {
    private static final int UDP_PAYLOAD = 14 + 20 + 8;

    @Test
    void name_dotted_lengthPrefixedLabels() {
        assertThat(Dns.name("pool.ntp.org")).containsExactly(4, 'p', 'o', 'o', 'l', 3, 'n', 't', 'p', 3, 'o', 'r', 'g', 0);
        assertThatThrownBy(() -> Dns.name("a..b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answer_oneAddress_headerCountsAndRecord() {
        Frame f = new Frame().ethernet(1, 2, Frame.ETHERTYPE_IPV4).ipv4(1, 2, Frame.PROTO_UDP, 64, 0, true).udp(53, 40000);
        Dns.answer(f, 0xbeef, Dns.name("a.example"), Dns.TYPE_A, new int[] {0x5db8d822}, 300);
        f.finish();
        byte[] b = f.array();
        int d = UDP_PAYLOAD;
        assertThat(u16(b, d)).isEqualTo(0xbeef);
        assertThat(u16(b, d + 2)).isEqualTo(0x8180);
        assertThat(u16(b, d + 4)).isEqualTo(1);
        assertThat(u16(b, d + 6)).isEqualTo(1);
        int answer = d + 12 + Dns.name("a.example").length + 4;
        assertThat(u16(b, answer)).isEqualTo(0xc00c);
        assertThat(u16(b, answer + 10)).isEqualTo(4);
        assertThat(WireCheck.u32(b, answer + 12)).isEqualTo(0x5db8d822L);
        assertThat(WireCheck.valid(b, 14)).isTrue();
    }

    @Test
    void ntpTimestamp_unixEpoch_era0Seconds() {
        assertThat(Ntp.timestamp(0)).isEqualTo(2_208_988_800L << 32);
        assertThat(Ntp.timestamp(500_000_000L) & 0xffff_ffffL).isEqualTo(1L << 31);
    }

    @Test
    void ntpRequest_clientMode_48Bytes() {
        Frame f = new Frame().ethernet(1, 2, Frame.ETHERTYPE_IPV4).ipv4(1, 2, Frame.PROTO_UDP, 64, 0, true).udp(40000, 123);
        Ntp.request(f, 1_000_000_000L);
        assertThat(f.position() - UDP_PAYLOAD).isEqualTo(48);
        assertThat(f.array()[UDP_PAYLOAD]).isEqualTo((byte) 0x23);
    }

    @Test
    void miraiExclusions_reservedAndGovernmentRanges_excluded() {
        for (String ip : new String[] {"0.1.2.3", "10.0.0.1", "127.0.0.1", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "100.64.0.1", "169.254.1.1", "224.0.0.251", "255.255.255.255", "3.1.1.1",
                "6.0.0.1", "7.0.0.1", "11.0.0.1", "15.0.0.1", "16.0.0.1", "21.0.0.1", "22.0.0.1", "26.0.0.1",
                "28.0.0.1", "29.0.0.1", "30.0.0.1", "33.0.0.1", "55.0.0.1", "56.0.0.1", "214.0.0.1", "215.0.0.1"}) {
            assertThat(Internet.excludedByMirai(Endpoint.v4(ip))).as(ip).isTrue();
        }
        for (String ip : new String[] {"1.1.1.1", "8.8.8.8", "172.15.0.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "223.255.255.254"}) {
            assertThat(Internet.excludedByMirai(Endpoint.v4(ip))).as(ip).isFalse();
        }
    }
}
