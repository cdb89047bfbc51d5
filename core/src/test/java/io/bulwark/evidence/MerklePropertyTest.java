package io.bulwark.evidence;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Random trees from a fixed seed: every proof the generator makes, the verifier accepts. */
class MerklePropertyTest {
    static final long SEED = 0x6962_9162L;

    static List<byte[]> randomLeaves(SplittableRandom rnd, int n) {
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] input = new byte[rnd.nextInt(40)];
            rnd.nextBytes(input);
            out.add(Merkle.leafHash(input));
        }
        return out;
    }

    /**
     * MTH written straight from RFC 6962 section 2.1, independent of {@link Merkle#root}: split
     * at the largest power of two below n, found by doubling rather than by bit tricks.
     */
    static byte[] referenceRoot(List<byte[]> d) {
        if (d.isEmpty()) {
            return Merkle.sha256().digest();
        }
        if (d.size() == 1) {
            return d.get(0);
        }
        int k = 1;
        while (k * 2 < d.size()) {
            k *= 2;
        }
        return Merkle.nodeHash(referenceRoot(d.subList(0, k)), referenceRoot(d.subList(k, d.size())));
    }

    @Test
    void root_randomTrees_agreesWithTheRecursiveDefinition() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int n = 0; n <= 300; n++) {
            List<byte[]> leaves = randomLeaves(rnd, n);
            assertThat(Merkle.root(leaves)).as("n=%d", n).isEqualTo(referenceRoot(leaves));
        }
    }

    @Test
    void compactRange_afterEveryAppend_rootAgreesWithTheRecursiveDefinition() {
        SplittableRandom rnd = new SplittableRandom(SEED + 3);
        List<byte[]> leaves = randomLeaves(rnd, 300);
        CompactRange range = new CompactRange();
        assertThat(range.root()).isEqualTo(referenceRoot(List.of()));
        for (int n = 1; n <= leaves.size(); n++) {
            range.append(leaves.get(n - 1));
            assertThat(range.root()).as("n=%d", n).isEqualTo(referenceRoot(leaves.subList(0, n)));
        }
    }

    @Test
    void inclusionProof_randomTrees_everyLeafVerifies() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        for (int trial = 0; trial < 40; trial++) {
            int n = 1 + rnd.nextInt(300);
            List<byte[]> leaves = randomLeaves(rnd, n);
            byte[] root = referenceRoot(leaves);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = Merkle.inclusionProof(leaves, i, n);
                assertThat(Merkle.verifyInclusion(leaves.get(i), i, n, proof, root)).as("i=%d n=%d", i, n).isTrue();
            }
            // A leaf never verifies at another leaf's position.
            int i = rnd.nextInt(n);
            int j = rnd.nextInt(n);
            if (i != j && !Arrays.equals(leaves.get(i), leaves.get(j))) {
                List<byte[]> proof = Merkle.inclusionProof(leaves, i, n);
                assertThat(Merkle.verifyInclusion(leaves.get(j), i, n, proof, root)).isFalse();
            }
        }
    }

    @Test
    void consistencyProof_randomTrees_everyPrefixVerifies() {
        SplittableRandom rnd = new SplittableRandom(SEED + 2);
        for (int trial = 0; trial < 40; trial++) {
            int n = 2 + rnd.nextInt(299);
            List<byte[]> leaves = randomLeaves(rnd, n);
            byte[] rootN = referenceRoot(leaves);
            for (int m = 1; m < n; m++) {
                byte[] rootM = referenceRoot(leaves.subList(0, m));
                List<byte[]> proof = Merkle.consistencyProof(leaves, m, n);
                assertThat(Merkle.verifyConsistency(m, n, rootM, rootN, proof)).as("m=%d n=%d", m, n).isTrue();
                if (m > 1) {
                    // The proof is bound to m: the previous size's root does not pass with it.
                    byte[] other = referenceRoot(leaves.subList(0, m - 1));
                    assertThat(Merkle.verifyConsistency(m, n, other, rootN, proof)).isFalse();
                }
            }
        }
    }
}
