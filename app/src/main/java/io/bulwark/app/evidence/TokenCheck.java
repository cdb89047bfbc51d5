package io.bulwark.app.evidence;

import io.bulwark.app.Sha256;
import java.io.IOException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Provider;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.tsp.TimeStampTokenInfo;

import io.bulwark.app.evidence.Rfc3161.Verdict;

/**
 * The offline checks behind {@link Rfc3161#verify}, in the order they run. Each failure is a
 * stable lower_snake problem id, which evidence bundles and reports may quote:
 *
 * <ul>
 *   <li>{@code expected_digest_not_sha256}: the caller's digest is not 32 bytes
 *   <li>{@code token_unparseable}: not a CMS SignedData TimeStampToken (or over 1 MiB)
 *   <li>{@code token_not_der}: parses, but is not the DER encoding (a BER-lenient parse would
 *       otherwise let, say, a BOOLEAN inside the certificate change unnoticed)
 *   <li>{@code cms_structure_unexpected}: a version or the digestAlgorithms set, which the
 *       signature does not cover, is not what RFC 5652 requires
 *   <li>{@code imprint_not_sha256}: the token time-stamps a digest of another algorithm
 *   <li>{@code imprint_mismatch}: the token time-stamps another digest
 *   <li>{@code signer_certificate_missing}: the token does not embed the certificate its
 *       SignerInfo names (the TSA ignored certReq)
 *   <li>{@code eku_timestamping_missing}, {@code eku_not_critical},
 *       {@code eku_not_only_timestamping}: RFC 3161 §2.3 requires exactly one, critical,
 *       extended key usage id-kp-timeStamping
 *   <li>{@code certificate_not_valid_at_gen_time}: genTime is outside the certificate's validity
 *   <li>{@code signature_invalid}: the signature does not verify with the certificate's key
 *   <li>{@code signer_certificate_not_bound}: the signed ESSCertID(v2) attribute names another
 *       certificate (RFC 5816), so the embedded one may have been swapped
 * </ul>
 */
final class TokenCheck {

    /*
     * A private provider instance, never added to java.security.Security: it gives the checks
     * every signature algorithm a TSA may use (brainpool curves, RSASSA-PSS parameters) on any
     * JDK, without changing the provider list for the rest of the process.
     */
    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private TokenCheck() {
    }

    static Verdict run(byte[] tokenDer, byte[] expectedSha256) {
        if (expectedSha256 == null || expectedSha256.length != 32) {
            return fail("expected_digest_not_sha256", null, null, null, null);
        }
        if (tokenDer == null || tokenDer.length == 0 || tokenDer.length > Rfc3161.MAX_RESPONSE_BYTES) {
            return fail("token_unparseable", null, null, null, null);
        }
        ContentInfo content;
        try {
            ASN1Primitive tree = ASN1Primitive.fromByteArray(tokenDer);
            if (!Arrays.equals(tree.getEncoded(ASN1Encoding.DER), tokenDer)) {
                return fail("token_not_der", null, null, null, null);
            }
            content = ContentInfo.getInstance(tree);
        } catch (Exception e) {
            // Bouncy Castle reports malformed ASN.1 with assorted runtime exceptions as well.
            return fail("token_unparseable", null, null, null, null);
        }
        TimeStampToken token;
        TimeStampTokenInfo info;
        Instant genTime;
        BigInteger serial;
        try {
            if (!CMSObjectIdentifiers.signedData.equals(content.getContentType())) {
                return fail("token_unparseable", null, null, null, null);
            }
            token = new TimeStampToken(content);
            info = token.getTimeStampInfo();
            genTime = info.getGenTime().toInstant();
            serial = info.getSerialNumber();
            if (!expectedStructure(SignedData.getInstance(content.getContent()), token)) {
                return fail("cms_structure_unexpected", genTime, null, serial, null);
            }
        } catch (Exception e) {
            return fail("token_unparseable", null, null, null, null);
        }
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())) {
            return fail("imprint_not_sha256", genTime, null, serial, null);
        }
        if (!MessageDigest.isEqual(expectedSha256, info.getMessageImprintDigest())) {
            return fail("imprint_mismatch", genTime, null, serial, null);
        }

        Collection<X509CertificateHolder> matches;
        try {
            matches = signerCertificates(token);
        } catch (Exception e) {
            return fail("token_unparseable", genTime, null, serial, null);
        }
        if (matches.size() != 1) {
            return fail("signer_certificate_missing", genTime, null, serial, null);
        }
        X509CertificateHolder certificate = matches.iterator().next();
        String subject = certificate.getSubject().toString();
        String fingerprint;
        try {
            fingerprint = Sha256.hexOf(certificate.getEncoded());
        } catch (IOException e) {
            return fail("token_unparseable", genTime, subject, serial, null);
        }

        String ekuProblem = timeStampingOnly(certificate);
        if (ekuProblem != null) {
            return fail(ekuProblem, genTime, subject, serial, fingerprint);
        }
        if (!certificate.isValidOn(Date.from(genTime))) {
            return fail("certificate_not_valid_at_gen_time", genTime, subject, serial, fingerprint);
        }
        SignerInformationVerifier verifier;
        try {
            verifier = new JcaSimpleSignerInfoVerifierBuilder().setProvider(Bc.PROVIDER)
                    .build(certificate);
            if (!token.isSignatureValid(verifier)) {
                return fail("signature_invalid", genTime, subject, serial, fingerprint);
            }
        } catch (Exception e) {
            return fail("signature_invalid", genTime, subject, serial, fingerprint);
        }
        try {
            // Repeats the signature check, then matches the signed ESSCertID(v2) hash.
            token.validate(verifier);
        } catch (Exception e) {
            return fail("signer_certificate_not_bound", genTime, subject, serial, fingerprint);
        }
        return new Verdict(true, null, genTime, subject, serial, fingerprint);
    }

    /*
     * The parts of SignedData that the signature does not cover, pinned to what RFC 5652 says
     * they must be, so that no byte of a stored token can change without failing verification:
     * version 3 because eContentType is not id-data (§5.1), SignerInfo version 1 for an
     * issuerAndSerialNumber sid and 3 for a subjectKeyIdentifier (§5.3), eContent an OCTET STRING
     * (not any tag Bouncy Castle would read octets from), and digestAlgorithms naming the
     * signer's digest algorithm.
     */
    private static boolean expectedStructure(SignedData signedData, TimeStampToken token) {
        if (signedData.getVersion().intValueExact() != 3 || signedData.getSignerInfos().size() != 1
                || !(signedData.getEncapContentInfo().getContent() instanceof ASN1OctetString)) {
            return false;
        }
        SignerInformation signer = token.toCMSSignedData().getSignerInfos().getSigners()
                .iterator().next();
        int expectedVersion = signer.getSID().getSubjectKeyIdentifier() == null ? 1 : 3;
        if (signer.getVersion() != expectedVersion) {
            return false;
        }
        ASN1ObjectIdentifier digest = signer.getDigestAlgorithmID().getAlgorithm();
        for (ASN1Encodable algorithm : signedData.getDigestAlgorithms()) {
            if (AlgorithmIdentifier.getInstance(algorithm).getAlgorithm().equals(digest)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Collection<X509CertificateHolder> signerCertificates(TimeStampToken token) {
        return token.getCertificates().getMatches(token.getSID());
    }

    /* RFC 3161 §2.3: "MUST contain only one instance of the extended key usage field extension
     * ... with KeyPurposeID having value id-kp-timeStamping. This extension MUST be critical." */
    private static String timeStampingOnly(X509CertificateHolder certificate) {
        Extension extension = certificate.getExtension(Extension.extendedKeyUsage);
        if (extension == null) {
            return "eku_timestamping_missing";
        }
        ExtendedKeyUsage usage;
        try {
            usage = ExtendedKeyUsage.getInstance(extension.getParsedValue());
        } catch (RuntimeException e) {
            return "eku_timestamping_missing";
        }
        if (!usage.hasKeyPurposeId(KeyPurposeId.id_kp_timeStamping)) {
            return "eku_timestamping_missing";
        }
        if (!extension.isCritical()) {
            return "eku_not_critical";
        }
        if (usage.size() != 1) {
            return "eku_not_only_timestamping";
        }
        return null;
    }

    private static Verdict fail(String problem, Instant genTime, String subject, BigInteger serial,
                                String fingerprint) {
        return new Verdict(false, problem, genTime, subject, serial, fingerprint);
    }
}
