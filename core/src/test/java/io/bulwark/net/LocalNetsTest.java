package io.bulwark.net;

import io.bulwark.flow.IpAddr;
import io.bulwark.mud.Cidr;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** LocalNets and the MUD {@link Cidr} share one prefix parser; both must match the plain definition. */
class LocalNetsTest {
    /** True when the first {@code bits} of the 128-bit forms of a and p are equal. */
    private static boolean reference(IpAddr a, IpAddr p, int bits) {
        return prefix(a, bits).equals(prefix(p, bits));
    }

    private static BigInteger prefix(IpAddr a, int bits) {
        BigInteger v = BigInteger.valueOf(a.hi()).shiftLeft(64).or(new BigInteger(Long.toUnsignedString(a.lo())));
        v = v.and(BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE));
        return v.shiftRight(128 - bits);
    }

    @Test
    void contains_everyPrefixLength_matchesBitwiseDefinitionAndCidr() {
        Random r = new Random(42);
        for (int round = 0; round < 2000; round++) {
            boolean v4 = r.nextBoolean();
            IpAddr net = v4 ? IpAddr.ofV4(r.nextInt()) : new IpAddr(r.nextLong(), r.nextLong());
            int len = r.nextInt(v4 ? 33 : 129);
            // half the probes share the prefix, so both answers are exercised
            IpAddr probe = r.nextBoolean() ? net
                    : v4 ? IpAddr.ofV4(r.nextInt()) : new IpAddr(r.nextLong(), r.nextLong());
            if (r.nextBoolean()) {
                probe = v4 ? IpAddr.ofV4(probe.v4() ^ (1 << r.nextInt(32))) : new IpAddr(probe.hi(), probe.lo() ^ 1L << r.nextInt(64));
            }
            String text = net + "/" + len;
            int bits = v4 ? 96 + len : len;
            boolean expected = reference(probe, net, bits);
            assertThat(LocalNets.of(List.of(text)).contains(probe)).as(text + " contains " + probe).isEqualTo(expected);
            assertThat(Cidr.parse(text).contains(probe)).as(text + " contains " + probe).isEqualTo(expected);
        }
    }

    @Test
    void of_bareAddress_isOneHost() {
        LocalNets n = LocalNets.of(List.of(" 192.0.2.7 ", "2001:db8::1"));
        assertThat(n.contains(IpAddr.parse("192.0.2.7"))).isTrue();
        assertThat(n.contains(IpAddr.parse("192.0.2.6"))).isFalse();
        assertThat(n.contains(IpAddr.parse("2001:db8::1"))).isTrue();
        assertThat(n.contains(IpAddr.parse("2001:db8::2"))).isFalse();
        assertThat(n.prefixes()).containsExactly(" 192.0.2.7 ", "2001:db8::1");
    }

    @Test
    void of_badPrefix_namesWhatIsWrong() {
        assertThatThrownBy(() -> LocalNets.of(List.of("10.0.0.0/33")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("prefix length out of range: 10.0.0.0/33");
        assertThatThrownBy(() -> LocalNets.of(List.of(" fe80::/-1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("prefix length out of range: fe80::/-1");
        assertThatThrownBy(() -> LocalNets.of(List.of("10.0.0.0/x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a CIDR prefix: 10.0.0.0/x");
        assertThatThrownBy(() -> LocalNets.of(List.of("lan/8")))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("not a CIDR prefix: lan/8");
        assertThat(Cidr.parse("10.0.0.0/33")).isNull();
        assertThat(Cidr.parse("lan")).isNull();
        assertThat(Cidr.parse(null)).isNull();
    }

    @Test
    void defaults_holdPrivateRangesOnly() {
        LocalNets d = LocalNets.defaults();
        assertThat(d.contains(IpAddr.parse("10.1.2.3"))).isTrue();
        assertThat(d.contains(IpAddr.parse("172.31.255.255"))).isTrue();
        assertThat(d.contains(IpAddr.parse("172.32.0.0"))).isFalse();
        assertThat(d.contains(IpAddr.parse("fd00::1"))).isTrue();
        assertThat(d.contains(IpAddr.parse("8.8.8.8"))).isFalse();
    }
}
