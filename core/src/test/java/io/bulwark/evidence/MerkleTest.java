package io.bulwark.evidence;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Published known answers for the RFC 6962 tree.
 *
 * <p>Hasher answers: transparency-dev/merkle, rfc6962/rfc6962_test.go (TestRFC6962Hasher).
 * Eight-leaf reference tree, its roots and its proofs: transparency-dev/merkle,
 * proof/verify_test.go (leaves, roots, inclusionProofs, consistencyProofs), which carries
 * them over from google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc
 * (kInputs, kSHA256Roots). Those files number leaves from 1; here indexes start at 0.
 */
class MerkleTest {
    static final HexFormat HEX = HexFormat.of();

    static final String EMPTY_TREE = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    static final String[] LEAF_INPUTS = {
            "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    };

    /** MTH of the first i+1 leaves, for tree sizes 1..8. */
    static final String[] ROOTS = {
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
            "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
            "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
            "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
            "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    record InclusionVector(long index, long size, String... proof) {
    }

    record ConsistencyVector(long m, long n, String... proof) {
    }

    static final List<InclusionVector> INCLUSION = List.of(
            new InclusionVector(0, 1),
            new InclusionVector(0, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new InclusionVector(5, 8,
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new InclusionVector(2, 3,
                    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
            new InclusionVector(1, 5,
                    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"));

    static final List<ConsistencyVector> CONSISTENCY = List.of(
            new ConsistencyVector(1, 1),
            new ConsistencyVector(1, 8,
                    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"),
            new ConsistencyVector(6, 8,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
            new ConsistencyVector(2, 5,
                    "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
            new ConsistencyVector(6, 7,
                    "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"));

    static byte[] h(String hex) {
        return HEX.parseHex(hex);
    }

    static List<byte[]> hashes(String... hex) {
        List<byte[]> out = new ArrayList<>();
        for (String s : hex) {
            out.add(h(s));
        }
        return out;
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash(h(LEAF_INPUTS[i])));
        }
        return out;
    }

    static List<String> hex(List<byte[]> hashes) {
        return hashes.stream().map(HEX::formatHex).toList();
    }

    static byte[] root(int n) {
        return h(ROOTS[n - 1]);
    }

    @Test
    void root_emptyTree_isSha256OfTheEmptyString() {
        assertThat(HEX.formatHex(Merkle.root(List.of()))).isEqualTo(EMPTY_TREE);
    }

    @Test
    void leafHash_emptyInput_matchesRfc6962KnownAnswer() {
        assertThat(HEX.formatHex(Merkle.leafHash(new byte[0])))
                .isEqualTo("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
    }

    @Test
    void leafHash_l123456_matchesRfc6962KnownAnswer() {
        assertThat(HEX.formatHex(Merkle.leafHash("L123456".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56");
    }

    @Test
    void nodeHash_n123N456_matchesRfc6962KnownAnswer() {
        byte[] node = Merkle.nodeHash("N123".getBytes(StandardCharsets.US_ASCII),
                "N456".getBytes(StandardCharsets.US_ASCII));
        assertThat(HEX.formatHex(node)).isEqualTo("aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb");
    }

    @Test
    void root_referenceTreeSizes1To8_matchPublishedRoots() {
        for (int n = 1; n <= 8; n++) {
            assertThat(HEX.formatHex(Merkle.root(leaves(n)))).as("size %d", n).isEqualTo(ROOTS[n - 1]);
        }
    }

    @Test
    void inclusionProof_publishedVectors_generatedAndVerified() {
        List<byte[]> all = leaves(8);
        for (InclusionVector v : INCLUSION) {
            List<byte[]> proof = Merkle.inclusionProof(all, v.index(), v.size());
            assertThat(hex(proof)).as("PATH(%d, D[%d])", v.index(), v.size()).containsExactly(v.proof());
            assertThat(Merkle.verifyInclusion(all.get((int) v.index()), v.index(), v.size(), hashes(v.proof()),
                    root((int) v.size()))).isTrue();
        }
    }

    @Test
    void consistencyProof_publishedVectors_generatedAndVerified() {
        List<byte[]> all = leaves(8);
        for (ConsistencyVector v : CONSISTENCY) {
            List<byte[]> proof = Merkle.consistencyProof(all, v.m(), v.n());
            assertThat(hex(proof)).as("PROOF(%d, D[%d])", v.m(), v.n()).containsExactly(v.proof());
            assertThat(Merkle.verifyConsistency(v.m(), v.n(), root((int) v.m()), root((int) v.n()),
                    hashes(v.proof()))).isTrue();
        }
    }

    @Test
    void verifyInclusion_anyCorruption_rejected() {
        List<byte[]> all = leaves(8);
        for (InclusionVector v : INCLUSION) {
            long i = v.index(), n = v.size();
            byte[] leaf = all.get((int) i);
            byte[] root = root((int) n);
            List<byte[]> proof = hashes(v.proof());
            String at = "PATH(" + i + ", D[" + n + "])";
            assertThat(Merkle.verifyInclusion(leaf, i - 1, n, proof, root)).as(at + " index-1").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i + 1, n, proof, root)).as(at + " index+1").isFalse();
            if ((i ^ 2) < n) {
                assertThat(Merkle.verifyInclusion(leaf, i ^ 2, n, proof, root)).as(at + " index^2").isFalse();
            }
            assertThat(Merkle.verifyInclusion(leaf, i, n * 2, proof, root)).as(at + " size*2").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i, n / 2, proof, root)).as(at + " size/2").isFalse();
            assertThat(Merkle.verifyInclusion(Merkle.leafHash(new byte[] {9}), i, n, proof, root))
                    .as(at + " wrong leaf").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i, n, proof, h(EMPTY_TREE))).as(at + " empty root").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i, n, with(proof, proof.size(), root), root))
                    .as(at + " trailing root").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i, n, with(proof, 0, root), root))
                    .as(at + " preceding root").isFalse();
            assertThat(Merkle.verifyInclusion(leaf, i, n, with(proof, 0, new byte[0]), root))
                    .as(at + " preceding garbage").isFalse();
            if (!proof.isEmpty()) {
                assertThat(Merkle.verifyInclusion(leaf, i, n, proof.subList(0, proof.size() - 1), root))
                        .as(at + " removed element").isFalse();
            }
            for (int e = 0; e < proof.size(); e++) {
                for (int bit = 0; bit < 256; bit++) {
                    assertThat(Merkle.verifyInclusion(leaf, i, n, flipped(proof, e, bit), root))
                            .as(at + " element %d bit %d", e, bit).isFalse();
                }
            }
        }
    }

    @Test
    void verifyConsistency_anyCorruption_rejected() {
        for (ConsistencyVector v : CONSISTENCY) {
            long m = v.m(), n = v.n();
            if (m == n) {
                continue;
            }
            byte[] rm = root((int) m), rn = root((int) n);
            List<byte[]> proof = hashes(v.proof());
            String at = "PROOF(" + m + ", D[" + n + "])";
            assertThat(Merkle.verifyConsistency(m - 1, n, rm, rn, proof)).as(at + " m-1").isFalse();
            assertThat(Merkle.verifyConsistency(m + 1, n, rm, rn, proof)).as(at + " m+1").isFalse();
            assertThat(Merkle.verifyConsistency(m ^ 2, n, rm, rn, proof)).as(at + " m^2").isFalse();
            assertThat(Merkle.verifyConsistency(m, n * 2, rm, rn, proof)).as(at + " n*2").isFalse();
            assertThat(Merkle.verifyConsistency(m, n / 2, rm, rn, proof)).as(at + " n/2").isFalse();
            assertThat(Merkle.verifyConsistency(m, n, rn, rm, proof)).as(at + " swapped roots").isFalse();
            assertThat(Merkle.verifyConsistency(m, n, rm, rn, List.of())).as(at + " empty proof").isFalse();
            assertThat(Merkle.verifyConsistency(m, n, rm, rn, with(proof, proof.size(), rm)))
                    .as(at + " trailing root").isFalse();
            assertThat(Merkle.verifyConsistency(m, n, rm, rn, with(proof, 0, proof.get(0))))
                    .as(at + " preceding proof[0]").isFalse();
            assertThat(Merkle.verifyConsistency(m, n, rm, rn, proof.subList(0, proof.size() - 1)))
                    .as(at + " truncated").isFalse();
            for (int e = 0; e < proof.size(); e++) {
                for (int bit = 0; bit < 256; bit++) {
                    assertThat(Merkle.verifyConsistency(m, n, rm, rn, flipped(proof, e, bit)))
                            .as(at + " element %d bit %d", e, bit).isFalse();
                }
            }
        }
    }

    @Test
    void verifyConsistency_mGreaterThanN_rejected() {
        assertThat(Merkle.verifyConsistency(8, 6, root(8), root(6), hashes(CONSISTENCY.get(2).proof()))).isFalse();
        assertThat(Merkle.verifyConsistency(2, 1, root(2), root(1), List.of())).isFalse();
    }

    @Test
    void verifyConsistency_emptyOldTree_needsEmptyProofAndEmptyRoot() {
        assertThat(Merkle.verifyConsistency(0, 8, h(EMPTY_TREE), root(8), List.of())).isTrue();
        assertThat(Merkle.verifyConsistency(0, 0, h(EMPTY_TREE), h(EMPTY_TREE), List.of())).isTrue();
        assertThat(Merkle.verifyConsistency(0, 8, root(1), root(8), List.of())).isFalse();
        assertThat(Merkle.verifyConsistency(0, 8, h(EMPTY_TREE), root(8), List.of(h(EMPTY_TREE)))).isFalse();
    }

    @Test
    void verifyConsistency_sameSize_needsEqualRootsAndEmptyProof() {
        assertThat(Merkle.verifyConsistency(5, 5, root(5), root(5), List.of())).isTrue();
        assertThat(Merkle.verifyConsistency(5, 5, root(5), root(6), List.of())).isFalse();
        assertThat(Merkle.verifyConsistency(5, 5, root(5), root(5), List.of(root(5)))).isFalse();
    }

    @Test
    void verifyInclusion_degenerateArguments_falseNotException() {
        byte[] leaf = leaves(1).get(0);
        assertThat(Merkle.verifyInclusion(leaf, 0, 1, List.of(), root(1))).isTrue();
        assertThat(Merkle.verifyInclusion(leaf, 0, 0, List.of(), root(1))).isFalse();
        assertThat(Merkle.verifyInclusion(leaf, 1, 1, List.of(), root(1))).isFalse();
        assertThat(Merkle.verifyInclusion(leaf, -1, 1, List.of(), root(1))).isFalse();
        assertThat(Merkle.verifyInclusion(null, 0, 1, List.of(), root(1))).isFalse();
        assertThat(Merkle.verifyInclusion(leaf, 0, 1, null, root(1))).isFalse();
        assertThat(Merkle.verifyInclusion(leaf, 0, 1, List.of(), new byte[0])).isFalse();
        assertThat(Merkle.verifyInclusion(new byte[0], 0, 1, List.of(), new byte[0])).isFalse();
        assertThat(Merkle.verifyInclusion(leaf, 0, Long.MAX_VALUE, List.of(), root(1))).isFalse();
        assertThat(Merkle.verifyConsistency(1, 2, null, root(2), List.of(leaf))).isFalse();
        assertThat(Merkle.verifyConsistency(-1, 2, root(1), root(2), List.of(leaf))).isFalse();
    }

    @Test
    void inclusionProof_indexOutOfRange_illegalArgument() {
        assertThatThrownBy(() -> Merkle.inclusionProof(leaves(8), 8, 8)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Merkle.inclusionProof(leaves(8), 0, 9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Merkle.consistencyProof(leaves(8), 6, 5)).isInstanceOf(IllegalArgumentException.class);
    }

    static List<byte[]> with(List<byte[]> proof, int at, byte[] extra) {
        List<byte[]> out = new ArrayList<>(proof);
        out.add(at, extra);
        return out;
    }

    static List<byte[]> flipped(List<byte[]> proof, int element, int bit) {
        List<byte[]> out = new ArrayList<>(proof);
        byte[] e = out.get(element).clone();
        e[bit / 8] ^= (byte) (1 << (bit % 8));
        out.set(element, e);
        return out;
    }
}
