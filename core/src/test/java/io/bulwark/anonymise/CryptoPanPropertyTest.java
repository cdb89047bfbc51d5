package io.bulwark.anonymise;

import io.bulwark.flow.IpAddr;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The properties the paper proves (section 4), on random addresses from a fixed seed. */
class CryptoPanPropertyTest {
    static final long SEED = 0x0c1e_2002L;
    static final int PAIRS = 2_000;

    private final SplittableRandom rnd = new SplittableRandom(SEED);
    private final CryptoPan cp = new CryptoPan(randomKey(rnd));

    @Test
    void anonymiseV4_pairsSharingKBits_pseudonymsShareExactlyKBits() {
        for (int n = 0; n < PAIRS; n++) {
            int k = rnd.nextInt(33);
            int a = rnd.nextInt();
            int b = withPrefix(a, k, rnd.nextInt());

            assertThat(commonPrefix(cp.anonymiseV4(a), cp.anonymiseV4(b)))
                    .as("k=%d a=%08x b=%08x", k, a, b)
                    .isEqualTo(commonPrefix(a, b));
        }
    }

    @Test
    void anonymise_v6PairsSharingKBits_pseudonymsShareExactlyKBits() {
        for (int n = 0; n < PAIRS; n++) {
            IpAddr a = randomV6(rnd);
            IpAddr b = randomV6WithPrefix(a, rnd.nextInt(129), rnd);

            assertThat(commonPrefix(cp.anonymise(a), cp.anonymise(b)))
                    .as("a=%s b=%s", a, b)
                    .isEqualTo(commonPrefix(a, b));
        }
    }

    @Test
    void deanonymise_ofAnonymise_isIdentity() {
        for (int n = 0; n < PAIRS; n++) {
            int v4 = rnd.nextInt();
            IpAddr v6 = randomV6(rnd);

            assertThat(cp.deanonymiseV4(cp.anonymiseV4(v4))).isEqualTo(v4);
            assertThat(cp.anonymiseV4(cp.deanonymiseV4(v4))).isEqualTo(v4);
            assertThat(cp.deanonymise(cp.anonymise(v6))).isEqualTo(v6);
            assertThat(cp.deanonymise(cp.anonymise(IpAddr.ofV4(v4)))).isEqualTo(IpAddr.ofV4(v4));
        }
    }

    @Test
    void anonymise_differentKeys_differentPseudonyms() {
        CryptoPan other = new CryptoPan(randomKey(rnd));
        int sameV4 = 0;
        int sameV6 = 0;
        for (int n = 0; n < PAIRS; n++) {
            int v4 = rnd.nextInt();
            IpAddr v6 = randomV6(rnd);
            sameV4 += cp.anonymiseV4(v4) == other.anonymiseV4(v4) ? 1 : 0;
            sameV6 += cp.anonymise(v6).equals(other.anonymise(v6)) ? 1 : 0;
        }

        // A chance collision is 2^-32 per IPv4 address: none expected among 2,000.
        assertThat(sameV4).isZero();
        assertThat(sameV6).isZero();
    }

    @Test
    void anonymiseV4_wholeSlash20_isAPermutationOfOneSlash20() {
        int base = rnd.nextInt() & 0xffff_f000;
        Set<Integer> images = new HashSet<>();
        for (int host = 0; host < 4096; host++) {
            images.add(cp.anonymiseV4(base | host));
        }

        // Injective, and prefix preservation puts every image in the same /20: so onto it.
        assertThat(images).hasSize(4096);
        int net = cp.anonymiseV4(base) & 0xffff_f000;
        assertThat(images).allSatisfy(p -> assertThat(p & 0xffff_f000).isEqualTo(net));
    }

    @Test
    void anonymise_manyThreads_sameAsOneThread() throws Exception {
        int[] in = rnd.ints(PAIRS).toArray();
        int[] expected = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            expected[i] = cp.anonymiseV4(in[i]);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    int[] out = new int[in.length];
                    for (int i = 0; i < in.length; i++) {
                        out[i] = cp.anonymiseV4(in[i]);
                    }
                    return out;
                }));
            }
            for (Future<int[]> run : runs) {
                assertThat(run.get()).containsExactly(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static byte[] randomKey(SplittableRandom rnd) {
        byte[] key = new byte[CryptoPan.KEY_BYTES];
        rnd.nextBytes(key);
        return key;
    }

    /** {@code a}'s first k bits, then the bit after them flipped, then random bits. */
    static int withPrefix(int a, int k, int random) {
        if (k == 32) {
            return a;
        }
        int keep = k == 0 ? 0 : -1 << (32 - k);
        int flip = 1 << (31 - k);
        return (a & keep) | ((a ^ flip) & flip) | (random & ~keep & ~flip);
    }

    static IpAddr randomV6(SplittableRandom rnd) {
        return new IpAddr(rnd.nextLong(), rnd.nextLong());
    }

    static IpAddr randomV6WithPrefix(IpAddr a, int k, SplittableRandom rnd) {
        long hi = rnd.nextLong();
        long lo = rnd.nextLong();
        if (k < 64) {
            hi = withPrefix64(a.hi(), k, hi);
        } else {
            hi = a.hi();
            lo = k == 128 ? a.lo() : withPrefix64(a.lo(), k - 64, lo);
        }
        return new IpAddr(hi, lo);
    }

    static long withPrefix64(long a, int k, long random) {
        long keep = k == 0 ? 0 : -1L << (64 - k);
        long flip = 1L << (63 - k);
        return (a & keep) | ((a ^ flip) & flip) | (random & ~keep & ~flip);
    }

    static int commonPrefix(int a, int b) {
        return Integer.numberOfLeadingZeros(a ^ b);
    }

    static int commonPrefix(IpAddr a, IpAddr b) {
        long hi = a.hi() ^ b.hi();
        return hi != 0 ? Long.numberOfLeadingZeros(hi) : 64 + Long.numberOfLeadingZeros(a.lo() ^ b.lo());
    }
}
