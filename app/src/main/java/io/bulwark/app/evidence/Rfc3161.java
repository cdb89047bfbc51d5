package io.bulwark.app.evidence;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;

/**
 * RFC 3161 time-stamps for signed tree heads: a Time-Stamp Authority that Bulwark does not
 * control signs "this SHA-256 digest existed at genTime", which Bulwark's own clock and key
 * cannot fake.
 *
 * <p>{@link #request} talks to the TSA (the only network call). {@link #verify} is offline and
 * needs no trust store: it proves the token is internally sound and signed by the certificate it
 * embeds, and hands back that certificate's SHA-256 fingerprint so an investigator can compare it
 * with the TSA's published one out of band. Deciding whether to trust that TSA is theirs.
 *
 * <p>Both methods are thread-safe and keep no state between calls.
 */
public final class Rfc3161 {

    /** A token or TSA response above this is refused: real ones with a chain are a few KiB. */
    static final int MAX_RESPONSE_BYTES = 1 << 20;

    private static final int SHA256_BYTES = 32;
    private static final SecureRandom NONCES = new SecureRandom();

    private Rfc3161() {
    }

    /**
     * The outcome of {@link #verify}. When {@code ok} is false, {@code problem} is a stable
     * lower_snake id naming the first check that failed (see {@link TokenCheck}); it is null when
     * ok. The other fields are filled as far as the token could be read, also when a later check
     * failed, so a failed token can still be described; they mean nothing unless {@code ok}.
     *
     * @param genTime           the TSA's time, TSTInfo genTime (the TSA's own resolution)
     * @param tsaSubject        subject DN of the embedded signer certificate in its encoded
     *                          order, e.g. {@code CN=Example TSA,O=Example}
     * @param serial            TSTInfo serialNumber, unique per token from this TSA
     * @param certificateSha256 lowercase hex SHA-256 of the signer certificate's DER, to compare
     *                          with the TSA's published fingerprint
     */
    public record Verdict(boolean ok, String problem, Instant genTime, String tsaSubject,
                          BigInteger serial, String certificateSha256) {
    }

    /**
     * Asks the TSA at {@code tsa} to time-stamp {@code sha256}: a TimeStampReq with that SHA-256
     * message imprint, a fresh 64-bit random nonce and certReq set, POSTed as
     * {@code application/timestamp-query} over HTTP(S).
     *
     * <p>The reply must be granted (or granted with modifications), carry a token over the same
     * imprint and nonce, and pass {@link #verify} with its embedded certificate; a token that
     * could not be verified offline later is worth nothing in an evidence bundle.
     *
     * @param sha256  the 32-byte SHA-256 digest to time-stamp (a tree head's digest)
     * @param timeout bounds the whole HTTP exchange: connect, headers and body
     * @return the DER of the TimeStampToken (a CMS ContentInfo), to store beside the tree head
     * @throws IOException with a one-line message: TSA unreachable or silent, HTTP status not 200,
     *                     request rejected (with the TSA's status and failure info), response
     *                     unparseable or too large, imprint or nonce mismatched, token unverifiable
     * @throws IllegalArgumentException if {@code sha256} is not 32 bytes or timeout not positive
     */
    public static byte[] request(URI tsa, byte[] sha256, Duration timeout) throws IOException {
        if (sha256 == null || sha256.length != SHA256_BYTES) {
            throw new IllegalArgumentException("sha256 must be 32 bytes");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        BigInteger nonce = new BigInteger(64, NONCES);
        TimeStampRequest query = generator.generate(TSPAlgorithms.SHA256, sha256, nonce);

        byte[] body = TsaExchange.post(tsa, query.getEncoded(), timeout);
        byte[] der;
        try {
            der = grantedToken(tsa, new TimeStampResponse(body), sha256, nonce);
        } catch (Refused e) {
            throw e;
        } catch (Exception e) {
            // TSPException, or Bouncy Castle's runtime exceptions on malformed ASN.1.
            throw new IOException("TSA " + tsa + " sent an unparseable response: " + oneLine(e));
        }
        Verdict verdict = verify(der, sha256);
        if (!verdict.ok()) {
            throw new IOException("TSA " + tsa + " sent a token that does not verify: "
                    + verdict.problem());
        }
        return der;
    }

    /** A well-formed reply that is not what we asked for; its message is the whole story. */
    private static final class Refused extends IOException {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    /** The DER token of a granted reply over our imprint and nonce; else {@link Refused}. */
    private static byte[] grantedToken(URI tsa, TimeStampResponse reply, byte[] sha256,
                                       BigInteger nonce) throws IOException {
        int status = reply.getStatus();
        if (status != PKIStatus.GRANTED && status != PKIStatus.GRANTED_WITH_MODS) {
            throw new Refused("TSA " + tsa + " rejected the request: " + describe(reply));
        }
        TimeStampToken token = reply.getTimeStampToken();
        if (token == null) {
            throw new Refused("TSA " + tsa + " granted the request but sent no token");
        }
        var info = token.getTimeStampInfo();
        if (!NISTObjectIdentifiers.id_sha256.equals(info.getMessageImprintAlgOID())
                || !MessageDigest.isEqual(sha256, info.getMessageImprintDigest())) {
            throw new Refused("TSA " + tsa + " time-stamped a different digest than requested");
        }
        if (!nonce.equals(info.getNonce())) {
            throw new Refused("TSA " + tsa + " answered with nonce " + info.getNonce()
                    + " to a request with nonce " + nonce);
        }
        return token.getEncoded("DER");
    }

    /**
     * Checks a stored token offline; never throws, whatever the bytes. In order: the token parses
     * as a DER CMS SignedData TimeStampToken whose unsigned parts are as RFC 5652 requires (so
     * no byte of it can change unnoticed), its message imprint is SHA-256 and equals
     * {@code expectedSha256}, the signer certificate is embedded and carries the critical extended
     * key usage id-kp-timeStamping and nothing else (RFC 3161 §2.3), it was valid at genTime, the
     * signature verifies with its key, and the signed ESSCertID binds that certificate (RFC 5816).
     *
     * <p>No network and no trust store: "ok" means "this certificate's key signed this digest at
     * this time", not that the TSA is trusted; compare {@code certificateSha256} out of band.
     */
    public static Verdict verify(byte[] tokenDer, byte[] expectedSha256) {
        try {
            return TokenCheck.run(tokenDer, expectedSha256);
        } catch (RuntimeException e) {
            // Bouncy Castle parses lazily: a malformed part may throw wherever it is first read.
            return new Verdict(false, "token_unparseable", null, null, null, null);
        }
    }

    /** "status 2 (rejection), 'text', failure badAlg" from a PKIStatusInfo. */
    private static String describe(TimeStampResponse reply) {
        int status = reply.getStatus();
        String[] names = {"granted", "grantedWithMods", "rejection", "waiting",
            "revocationWarning", "revocationNotification"};
        StringBuilder line = new StringBuilder("status ").append(status);
        if (status >= 0 && status < names.length) {
            line.append(" (").append(names[status]).append(')');
        }
        String text = reply.getStatusString();
        if (text != null && !text.isBlank()) {
            line.append(", '").append(text.replaceAll("\\s+", " ").strip()).append('\'');
        }
        PKIFailureInfo fail = reply.getFailInfo();
        if (fail != null) {
            line.append(", failure ").append(String.join("+", failureNames(fail.intValue())));
        }
        return line.toString();
    }

    /* PKIFailureInfo bits that RFC 3161 §2.4.2 lets a TSA set. */
    private static List<String> failureNames(int bits) {
        int[] flags = {PKIFailureInfo.badAlg, PKIFailureInfo.badRequest,
            PKIFailureInfo.badDataFormat, PKIFailureInfo.timeNotAvailable,
            PKIFailureInfo.unacceptedPolicy, PKIFailureInfo.unacceptedExtension,
            PKIFailureInfo.addInfoNotAvailable, PKIFailureInfo.systemFailure};
        String[] names = {"badAlg", "badRequest", "badDataFormat", "timeNotAvailable",
            "unacceptedPolicy", "unacceptedExtension", "addInfoNotAvailable", "systemFailure"};
        List<String> set = new ArrayList<>();
        for (int i = 0; i < flags.length; i++) {
            if ((bits & flags[i]) != 0) {
                set.add(names[i]);
            }
        }
        if (set.isEmpty()) {
            set.add("0x" + Integer.toHexString(bits));
        }
        return set;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        return message.replaceAll("\\s+", " ").strip();
    }
}
