package io.bulwark.evidence;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Merkle tree of RFC 6962 section 2.1, as restated in RFC 9162 (Certificate Transparency
 * v2) section 2.1: SHA-256, leaves hashed as {@code SHA-256(0x00 || input)} and interior nodes
 * as {@code SHA-256(0x01 || left || right)}, so a leaf can never be passed off as a node
 * (second-preimage resistance).
 *
 * <p>Generation ({@link #root}, {@link #inclusionProof}, {@link #consistencyProof}) takes the
 * leaf hashes of the whole log and recomputes the subtree hashes it needs: O(n) SHA-256 calls
 * and O(log n) stack depth for n leaves. That is a few milliseconds for the thousands of leaves
 * an evidence log holds; a log of billions would need stored interior nodes instead.
 * Arguments out of range are a caller's bug and throw {@link IllegalArgumentException}.
 *
 * <p>Verification never throws: any malformed argument (null, a hash that is not 32 bytes,
 * sizes out of range, a proof of the wrong length) is simply a proof that does not verify.
 *
 * <p>Thread-safe: no state.
 */
public final class Merkle {
    /** Length in bytes of every hash in the tree. */
    public static final int HASH_LENGTH = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private Merkle() {
    }

    /** {@code SHA-256(0x00 || leafInput)}: the hash of one entry (RFC 9162 section 2.1.1). */
    public static byte[] leafHash(byte[] leafInput) {
        MessageDigest d = sha256();
        d.update(LEAF_PREFIX);
        d.update(leafInput);
        return d.digest();
    }

    /** {@code SHA-256(0x01 || left || right)}: the hash of an interior node. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = sha256();
        d.update(NODE_PREFIX);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** MTH of the whole list; the empty tree's hash is {@code SHA-256("")}. */
    public static byte[] root(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return sha256().digest();
        }
        return subtree(leafHashes, 0, leafHashes.size());
    }

    /**
     * PATH(index, D[treeSize]) of RFC 9162 section 2.1.3.1: the audit path of leaf {@code index}
     * in the tree made of the first {@code treeSize} leaf hashes, from the leaf's sibling up.
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < treeSize <= leafHashes.size()}
     */
    public static List<byte[]> inclusionProof(List<byte[]> leafHashes, long index, long treeSize) {
        if (index < 0 || index >= treeSize || treeSize > leafHashes.size()) {
            throw new IllegalArgumentException("inclusion proof needs 0 <= index < treeSize <= "
                    + leafHashes.size() + ", got index " + index + ", treeSize " + treeSize);
        }
        List<byte[]> proof = new ArrayList<>();
        path(leafHashes, (int) index, 0, (int) treeSize, proof);
        return proof;
    }

    /**
     * PROOF(m, D[n]) of RFC 9162 section 2.1.4.1: the hashes proving that the tree of the
     * first {@code m} leaves is a prefix of the tree of the first {@code n}. Empty when
     * {@code m == 0} or {@code m == n}, where the RFC defines no proof and none is needed.
     *
     * @throws IllegalArgumentException unless {@code 0 <= m <= n <= leafHashes.size()}
     */
    public static List<byte[]> consistencyProof(List<byte[]> leafHashes, long m, long n) {
        if (m < 0 || m > n || n > leafHashes.size()) {
            throw new IllegalArgumentException("consistency proof needs 0 <= m <= n <= "
                    + leafHashes.size() + ", got m " + m + ", n " + n);
        }
        List<byte[]> proof = new ArrayList<>();
        if (m > 0 && m < n) {
            subproof(leafHashes, (int) m, 0, (int) n, true, proof);
        }
        return proof;
    }

    /**
     * RFC 9162 section 2.1.3.2: does {@code proof} show that {@code leafHash} is leaf
     * {@code index} of the tree of size {@code treeSize} whose root is {@code root}?
     */
    public static boolean verifyInclusion(byte[] leafHash, long index, long treeSize, List<byte[]> proof,
                                          byte[] root) {
        if (!isHash(leafHash) || !isHash(root) || !allHashes(proof) || index < 0 || index >= treeSize) {
            return false;
        }
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                // A right-most node without a sibling at this level moves up unchanged.
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(r, root);
    }

    /**
     * RFC 9162 section 2.1.4.2: does {@code proof} show that the tree of size {@code m} with root
     * {@code rootM} is a prefix of the tree of size {@code n} with root {@code rootN}?
     *
     * <p>The RFC's algorithm covers {@code 0 < m < n} and fails an empty proof. Outside that
     * range: {@code m > n} or a negative size fails; {@code m == n} verifies only with an
     * empty proof and equal roots; {@code m == 0} verifies only with an empty proof and
     * {@code rootM} the empty tree's hash, since every tree extends the empty one.
     */
    public static boolean verifyConsistency(long m, long n, byte[] rootM, byte[] rootN, List<byte[]> proof) {
        if (!isHash(rootM) || !isHash(rootN) || !allHashes(proof) || m < 0 || m > n) {
            return false;
        }
        if (m == 0) {
            return proof.isEmpty() && MessageDigest.isEqual(rootM, sha256().digest());
        }
        if (m == n) {
            return proof.isEmpty() && MessageDigest.isEqual(rootM, rootN);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        // When m is a power of two the old root is itself a node of the new tree, so the
        // proof leaves it out and the verifier starts from it.
        if ((m & (m - 1)) == 0) {
            path.add(rootM);
        }
        path.addAll(proof);
        long fn = m - 1;
        long sn = n - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && MessageDigest.isEqual(fr, rootM) && MessageDigest.isEqual(sr, rootN);
    }

    /** MTH(D[from:to]) for {@code to > from}. */
    static byte[] subtree(List<byte[]> leaves, int from, int to) {
        int size = to - from;
        if (size == 1) {
            return leaves.get(from).clone();
        }
        int k = largestPowerOfTwoBelow(size);
        return nodeHash(subtree(leaves, from, from + k), subtree(leaves, from + k, to));
    }

    /** PATH(m, D[from:to]), appended to {@code out} from the leaf upwards. */
    private static void path(List<byte[]> leaves, int m, int from, int to, List<byte[]> out) {
        int size = to - from;
        if (size == 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(size);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    /** SUBPROOF(m, D[from:to], b), appended to {@code out}. */
    private static void subproof(List<byte[]> leaves, int m, int from, int to, boolean b, List<byte[]> out) {
        int size = to - from;
        if (m == size) {
            if (!b) {
                out.add(subtree(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(size);
        if (m <= k) {
            subproof(leaves, m, from, from + k, b, out);
            out.add(subtree(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(subtree(leaves, from, from + k));
        }
    }

    /** The largest power of two strictly below {@code n}, for {@code n >= 2}. */
    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }

    static boolean isHash(byte[] h) {
        return h != null && h.length == HASH_LENGTH;
    }

    private static boolean allHashes(List<byte[]> proof) {
        if (proof == null) {
            return false;
        }
        for (byte[] p : proof) {
            if (!isHash(p)) {
                return false;
            }
        }
        return true;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (MessageDigest javadoc).
            throw new AssertionError(e);
        }
    }
}
