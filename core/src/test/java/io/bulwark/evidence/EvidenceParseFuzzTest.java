package io.bulwark.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything an examiner is handed can be hostile: tree-head JSON, entry lines, proofs and
 * keys. None of it may throw, and whatever parses must print back to something that parses
 * to the same value.
 */
class EvidenceParseFuzzTest {
    @FuzzTest(maxDuration = "15s")
    void parsers_fuzzedInput_neverThrowAndRoundTrip(FuzzedDataProvider data) {
        String text = data.consumeString(400);
        SignedTreeHead.fromJson(text).ifPresent(sth -> {
            assertThat(SignedTreeHead.fromJson(sth.toJson())).contains(sth);
            assertThat(sth.verify(null)).isFalse();
        });
        EntryCodec.parse(data.consumeBytes(400), data.consumeLong(0, 3)).ifPresent(e ->
                assertThat(EntryCodec.toJson(e.index(), e.kind(), e.name(), e.contentSha256())).isNotEmpty());
        EvidenceLog.publicKey(data.consumeBytes(64));

        long m = data.consumeLong(-2, 40);
        long n = data.consumeLong(-2, 40);
        List<byte[]> proof = new ArrayList<>();
        int count = data.consumeInt(0, 8);
        for (int i = 0; i < count; i++) {
            proof.add(data.consumeBytes(data.consumeBoolean() ? 32 : data.consumeInt(0, 40)));
        }
        byte[] a = data.consumeBytes(32);
        byte[] b = data.consumeBytes(32);
        Merkle.verifyConsistency(m, n, a, b, proof);
        Merkle.verifyInclusion(a, m, n, proof, b);
    }
}
