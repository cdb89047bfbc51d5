package io.bulwark.evidence;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class SignedTreeHeadTest {
    static final long T0 = 1_768_471_200_000L;
    static final byte[] ROOT = HexFormat.of().parseHex("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");

    static KeyPair keys;
    static KeyPair otherKeys;

    @BeforeAll
    static void keys() throws Exception {
        keys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        otherKeys = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    }

    static SignedTreeHead sth() throws Exception {
        return SignedTreeHead.sign(keys.getPrivate(), 8, ROOT, T0);
    }

    @Test
    void signedBytes_fields_laidOutAsRfc6962TreeHeadSignature() throws Exception {
        assertThat(HexFormat.of().formatHex(sth().signedBytes())).isEqualTo(
                "00" + "01"                     // version v1, signature_type tree_hash
                        + "0000019bc1190100"    // timestamp 1768471200000 ms
                        + "0000000000000008"    // tree_size 8
                        + "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
    }

    @Test
    void verify_signedByTheKey_true() throws Exception {
        assertThat(sth().verify(keys.getPublic())).isTrue();
    }

    @Test
    void verify_anyByteOfSignedBytesChanged_false() throws Exception {
        SignedTreeHead sth = sth();
        for (int i = 0; i < SignedTreeHead.SIGNED_LENGTH; i++) {
            byte[] changed = sth.signedBytes();
            changed[i] ^= 0x01;
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(keys.getPublic());
            v.update(changed);
            assertThat(v.verify(sth.signature())).as("byte %d", i).isFalse();
        }
        assertThat(new SignedTreeHead(9, ROOT, T0, sth.signature()).verify(keys.getPublic())).isFalse();
        assertThat(new SignedTreeHead(8, ROOT, T0 + 1, sth.signature()).verify(keys.getPublic())).isFalse();
        byte[] root = ROOT.clone();
        root[31] ^= 0x80;
        assertThat(new SignedTreeHead(8, root, T0, sth.signature()).verify(keys.getPublic())).isFalse();
    }

    @Test
    void verify_anyByteOfSignatureChanged_false() throws Exception {
        SignedTreeHead sth = sth();
        for (int i = 0; i < sth.signature().length; i++) {
            byte[] sig = sth.signature();
            sig[i] ^= 0x01;
            assertThat(new SignedTreeHead(8, ROOT, T0, sig).verify(keys.getPublic())).as("byte %d", i).isFalse();
        }
    }

    @Test
    void verify_badKeyOrSignature_falseNotException() throws Exception {
        SignedTreeHead sth = sth();
        assertThat(sth.verify(otherKeys.getPublic())).isFalse();
        assertThat(sth.verify(null)).isFalse();
        assertThat(sth.verify(KeyPairGenerator.getInstance("EC").generateKeyPair().getPublic())).isFalse();
        assertThat(new SignedTreeHead(8, ROOT, T0, new byte[0]).verify(keys.getPublic())).isFalse();
        assertThat(new SignedTreeHead(8, ROOT, T0, new byte[200]).verify(keys.getPublic())).isFalse();
    }

    @Test
    void toJson_roundTrip_sameHeadStillVerifies() throws Exception {
        SignedTreeHead sth = sth();
        String json = sth.toJson();
        assertThat(json).startsWith("{\"tree_size\":8,\"timestamp\":1768471200000,\"sha256_root_hash\":\"XcnaeacGWamt");
        SignedTreeHead back = SignedTreeHead.fromJson(json).orElseThrow();
        assertThat(back).isEqualTo(sth);
        assertThat(back.verify(keys.getPublic())).isTrue();
        // Member order and whitespace are free.
        String reordered = " { \"tree_head_signature\" : " + json.substring(json.indexOf("\"tree_head_signature\":") + 22,
                json.length() - 1) + ", \"sha256_root_hash\":\"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\","
                + "\"timestamp\":1768471200000,\"tree_size\":8}\n";
        assertThat(SignedTreeHead.fromJson(reordered)).contains(sth);
    }

    @Test
    void fromJson_malformed_emptyNotException() throws Exception {
        String good = sth().toJson();
        String[] bad = {
                null, "", "{}", "[]", "null", good + "x", good.replace("8,", "-8,"), good.replace("8,", "8.0,"),
                good.replace("8,", "\"8\","), good.replace("\"timestamp\"", "\"time\""),
                good.replace("{", "{\"extra\":1,"), good.replace("{", "{\"tree_size\":8,"),
                good.replace("XcnaeacGWamt", "XcnaeacGWam"), good.replace("XcnaeacGWamt", "Xcnaeac%Wamt"),
                good.substring(0, good.length() - 1), good.substring(0, good.length() / 2),
                good.replace("\"sha256_root_hash\":\"", "\"sha256_root_hash\":\"AAAA"),
                "{\"tree_size\":99999999999999999999,\"timestamp\":1}", "{\"a\":\"\\u12\"}", "{\"a\":\"\\q\"}",
                "x".repeat(FlatJson.MAX_LENGTH + 1),
        };
        for (String json : bad) {
            assertThat(SignedTreeHead.fromJson(json)).as("%s", json).isEmpty();
        }
    }
}
