package io.bulwark.evidence;

import java.util.ArrayList;
import java.util.List;

/**
 * The roots of the perfect subtrees covering leaves [0, size), largest first: at most
 * log2(size)+1 hashes that give the tree's root in O(log n) after each append. Folding them
 * right to left is MTH, because RFC 6962 always splits at the largest power of two, so the
 * left part of every split is one of these perfect subtrees. (The "compact range" of
 * transparency-dev/merkle's docs/compact_ranges.md, restricted to ranges starting at 0.)
 * Not thread-safe.
 */
final class CompactRange {
    private final List<byte[]> peaks = new ArrayList<>();
    private long size;

    long size() {
        return size;
    }

    void append(byte[] leafHash) {
        peaks.add(leafHash.clone());
        // Each trailing one bit of the old size is a perfect subtree the new leaf completes.
        for (long s = size; (s & 1) == 1; s >>= 1) {
            byte[] right = peaks.remove(peaks.size() - 1);
            byte[] left = peaks.remove(peaks.size() - 1);
            peaks.add(Merkle.nodeHash(left, right));
        }
        size++;
    }

    byte[] root() {
        if (peaks.isEmpty()) {
            return Merkle.sha256().digest();
        }
        byte[] r = peaks.get(peaks.size() - 1);
        for (int i = peaks.size() - 2; i >= 0; i--) {
            r = Merkle.nodeHash(peaks.get(i), r);
        }
        return r.clone();
    }
}
