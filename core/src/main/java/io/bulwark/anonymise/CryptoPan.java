package io.bulwark.anonymise;

import io.bulwark.flow.IpAddr;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;

/**
 * Keyed, prefix-preserving pseudonymisation of IP addresses: Crypto-PAn (J. Xu, J. Fan,
 * M. Ammar, S. Moon, "Prefix-Preserving IP Address Anonymization: Measurement-based Security
 * Evaluation and a New Cryptography-based Scheme", ICNP 2002), bit-compatible with
 * J. Fan's reference C++ implementation. Two addresses sharing exactly a k-bit prefix map to
 * pseudonyms sharing exactly a k-bit prefix, so subnets stay subnets in shared data.
 *
 * <p>The mapping is a bijection that anyone holding the key can invert ({@link #deanonymise}):
 * it is pseudonymisation in the GDPR sense, not anonymisation, and the key must be held
 * like any other secret that re-identifies people.
 *
 * <p>IPv4 addresses (including IPv4-mapped {@link IpAddr}s) use the 32-bit scheme of the
 * paper; every other address uses the same construction over 128 bits, as the yacryptopan and
 * Yawning Angel's Go ports do. The pad is shared, so the top 32 bits of the IPv6 pseudonym of
 * {@code a.b.c.d::} equal the IPv4 pseudonym of {@code a.b.c.d}. An IPv6 address whose
 * pseudonym happens to be IPv4-mapped (probability 2^-96) would be read back as IPv4; we accept
 * that.
 *
 * <p>Thread-safe and lock-free: {@link Cipher} is not thread-safe, so each thread gets its own
 * {@code Cipher} and block buffers through a {@link ThreadLocal}, created on that thread's
 * first call. After that, {@link #anonymiseV4} and {@link #deanonymiseV4} allocate nothing.
 * Cost: one AES block per address bit past the 16th (16 for IPv4, 112 for IPv6).
 */
public final class CryptoPan {
    /** Key length: 16 bytes of AES-128 key, then 16 bytes encrypted into the pad. */
    public static final int KEY_BYTES = 32;

    private static final int TABLE_BITS = 16;
    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final SecretKeySpec aesKey;
    /** AES_K(key[16..32)): the bits that fill each PRF input past the known prefix. */
    private final long padHi;
    private final long padLo;
    private final ThreadLocal<Prf> prf;
    /**
     * The first {@value #TABLE_BITS} pseudonym bits depend only on the first 15 address bits,
     * so they are a fixed permutation of 2^16 values: computed once (2^16 - 1 AES blocks, about
     * a millisecond) and inverted, 256 KB per instance, not a cache. It skips half the AES
     * blocks of an IPv4 address: CryptoPanBenchmark.anonymiseV4 went from 1.37 M to 1.8 M
     * addresses/s (+30%; two loaded shared cores, so noisy), anonymiseV6 from 0.34 M to 0.39 M.
     */
    private final char[] top;
    private final char[] untop;

    /**
     * @param key32 32 bytes; the array is not kept (the AES key is copied)
     * @throws IllegalArgumentException unless {@code key32} has exactly 32 bytes, or when it is
     *                                  {@linkplain #weakness weak}
     */
    public CryptoPan(byte[] key32) {
        if (key32 == null || key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("Crypto-PAn key must be " + KEY_BYTES + " bytes, got "
                    + (key32 == null ? "null" : key32.length));
        }
        String weak = weakness(key32);
        if (weak != null) {
            throw new IllegalArgumentException("weak Crypto-PAn key: " + weak);
        }
        aesKey = new SecretKeySpec(key32, 0, 16, "AES");
        prf = ThreadLocal.withInitial(() -> new Prf(aesKey));
        byte[] pad = new byte[16];
        prf.get().encrypt(key32, 16, pad);
        padHi = (long) LONG_BE.get(pad, 0);
        padLo = (long) LONG_BE.get(pad, 8);
        Arrays.fill(pad, (byte) 0);
        top = new char[1 << TABLE_BITS];
        untop = new char[1 << TABLE_BITS];
        buildTable();
    }

    /** A half of the key with fewer distinct byte values than this is not random (p < 1e-20 for random bytes). */
    private static final int MIN_DISTINCT_PER_HALF = 5;

    /**
     * Why a 32-byte key is trivially weak, in a few words, or null. A key is weak when anybody
     * could guess it or most of it, whatever its length: every byte the same (an all-zero key
     * is the usual mistake), the pad half equal to the AES-key half (16 bytes of secret, not
     * 32), a half of one repeated byte or of fewer than {@value #MIN_DISTINCT_PER_HALF} distinct
     * bytes, or bytes counting up or down in equal steps (00 01 02 ...). Random keys fail none of
     * these but with negligible probability. This cannot prove a key random: generate keys from
     * a CSPRNG.
     *
     * @param key32 exactly {@value #KEY_BYTES} bytes
     */
    public static String weakness(byte[] key32) {
        if (key32 == null || key32.length != KEY_BYTES) {
            throw new IllegalArgumentException("Crypto-PAn key must be " + KEY_BYTES + " bytes");
        }
        int step = (key32[1] - key32[0]) & 0xff;
        boolean progression = true;
        for (int i = 2; i < KEY_BYTES && progression; i++) {
            progression = ((key32[i] - key32[i - 1]) & 0xff) == step;
        }
        if (progression && step == 0) {
            return String.format("all %d bytes are 0x%02x", KEY_BYTES, key32[0] & 0xff);
        }
        if (progression) {
            return String.format("its bytes count in steps of %d from 0x%02x", (byte) step, key32[0] & 0xff);
        }
        if (Arrays.equals(key32, 0, 16, key32, 16, 32)) {
            return "the pad half (bytes 16-31) repeats the AES-key half (bytes 0-15)";
        }
        for (int half = 0; half < 2; half++) {
            boolean[] seen = new boolean[256];
            int distinct = 0;
            for (int i = half * 16; i < half * 16 + 16; i++) {
                if (!seen[key32[i] & 0xff]) {
                    seen[key32[i] & 0xff] = true;
                    distinct++;
                }
            }
            String name = half == 0 ? "the AES-key half (bytes 0-15)" : "the pad half (bytes 16-31)";
            if (distinct == 1) {
                return String.format("%s is the byte 0x%02x repeated", name, key32[half * 16] & 0xff);
            }
            if (distinct < MIN_DISTINCT_PER_HALF) {
                return name + " has only " + distinct + " distinct byte values";
            }
        }
        return null;
    }

    private void buildTable() {
        Prf p = prf.get();
        // flip[(1 << d) + v]: the PRF bit for the d-bit prefix v, d < 16 (a heap-ordered tree).
        byte[] flip = new byte[1 << TABLE_BITS];
        for (int d = 0; d < TABLE_BITS; d++) {
            long mask = prefixMask(d);
            for (int v = 0; v < 1 << d; v++) {
                long prefix = d == 0 ? 0 : (long) v << (64 - d);
                flip[(1 << d) + v] = (byte) p.topBit(prefix | (padHi & ~mask), padLo);
            }
        }
        for (int a = 0; a < 1 << TABLE_BITS; a++) {
            int flips = 0;
            for (int d = 0; d < TABLE_BITS; d++) {
                flips |= flip[(1 << d) + (a >>> (TABLE_BITS - d))] << (TABLE_BITS - 1 - d);
            }
            top[a] = (char) (a ^ flips);
            untop[a ^ flips] = (char) a;
        }
    }

    /** The pseudonym of an IPv4 address (as a big-endian int, the top bit first). */
    public int anonymiseV4(int addr) {
        return (int) (walkHi((long) addr << 32, 32, false) >>> 32);
    }

    /** The address whose {@link #anonymiseV4} is {@code pseudonym}. */
    public int deanonymiseV4(int pseudonym) {
        return (int) (walkHi((long) pseudonym << 32, 32, true) >>> 32);
    }

    /** The pseudonym of {@code addr}: IPv4 (mapped) stays IPv4, anything else is 128-bit. */
    public IpAddr anonymise(IpAddr addr) {
        return map(addr, false);
    }

    /** The address whose {@link #anonymise} is {@code pseudonym}. */
    public IpAddr deanonymise(IpAddr pseudonym) {
        return map(pseudonym, true);
    }

    private IpAddr map(IpAddr a, boolean reverse) {
        if (a.isV4()) {
            int v = a.v4();
            return IpAddr.ofV4(reverse ? deanonymiseV4(v) : anonymiseV4(v));
        }
        long hi = walkHi(a.hi(), 64, reverse);
        // The low half's PRF inputs start with the whole original high half.
        long lo = walkLo(reverse ? hi : a.hi(), a.lo(), reverse);
        return new IpAddr(hi, lo);
    }

    /*
     * Section 4 of the paper: output bit i = input bit i XOR f(first i bits of the original),
     * where f is the top bit of AES_K(original prefix || the pad's remaining bits). Forward,
     * the original is the input. Reverse, the original prefix is what we have recovered so far,
     * which is why de-anonymising must also go one bit at a time.
     */

    /** Bits 0..n-1 of a 128-bit address whose high half is {@code in}; the low pad is fixed. */
    private long walkHi(long in, int n, boolean reverse) {
        Prf p = prf.get();
        int first = (int) (in >>> (64 - TABLE_BITS));
        long out = (long) (reverse ? untop[first] : top[first]) << (64 - TABLE_BITS);
        for (int i = TABLE_BITS; i < n; i++) {
            long known = reverse ? out : in;
            long mask = prefixMask(i);
            long flip = p.topBit((known & mask) | (padHi & ~mask), padLo);
            out |= (((in >>> (63 - i)) ^ flip) & 1) << (63 - i);
        }
        return out;
    }

    /** Bits 64..127, given the original high half {@code hi}. */
    private long walkLo(long hi, long in, boolean reverse) {
        Prf p = prf.get();
        long out = 0;
        for (int i = 0; i < 64; i++) {
            long known = reverse ? out : in;
            long mask = prefixMask(i);
            long flip = p.topBit(hi, (known & mask) | (padLo & ~mask));
            out |= (((in >>> (63 - i)) ^ flip) & 1) << (63 - i);
        }
        return out;
    }

    /** The top {@code i} bits set, 0 &lt;= i &lt; 64 ({@code -1L << 64} would be -1, not 0). */
    private static long prefixMask(int i) {
        return i == 0 ? 0 : -1L << (64 - i);
    }

    /** One thread's AES-128-ECB and its block buffers. */
    private static final class Prf {
        private final Cipher cipher;
        private final byte[] in = new byte[16];
        private final byte[] out = new byte[16];

        Prf(SecretKeySpec key) {
            try {
                cipher = Cipher.getInstance("AES/ECB/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, key);
            } catch (GeneralSecurityException e) {
                // Every Java SE runtime must provide AES/ECB/NoPadding (Cipher javadoc).
                throw new IllegalStateException("AES/ECB/NoPadding unavailable", e);
            }
        }

        /** The most significant bit of AES_K(hi || lo), as 0 or 1. */
        long topBit(long hi, long lo) {
            LONG_BE.set(in, 0, hi);
            LONG_BE.set(in, 8, lo);
            encrypt(in, 0, out);
            return (out[0] >>> 7) & 1;
        }

        void encrypt(byte[] src, int off, byte[] dst) {
            try {
                // ECB holds no state between blocks, so update() on whole blocks is enough and
                // skips doFinal's reset.
                cipher.update(src, off, 16, dst, 0);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("AES block", e);
            }
        }
    }
}
