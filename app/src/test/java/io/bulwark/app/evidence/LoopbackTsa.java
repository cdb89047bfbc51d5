package io.bulwark.app.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.cmp.PKIFailureInfo;
import org.bouncycastle.asn1.cmp.PKIStatus;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

/**
 * A Time-Stamp Authority for tests, serving RFC 3161 over HTTP on 127.0.0.1 (an ephemeral port)
 * with a fresh self-signed P-256 certificate whose only extended key usage is a critical
 * id-kp-timeStamping. Its {@link Behaviour} can be switched between requests to play a
 * rejecting or a broken TSA; an {@link Embedded} variant makes its tokens carry a certificate
 * that RFC 3161 §2.3 or the ESSCertIDv2 binding forbids. Nothing leaves loopback.
 */
final class LoopbackTsa implements AutoCloseable {

    enum Behaviour {
        /** Grants every request, as a sound TSA does. */
        GRANT,
        /** Answers with PKIStatus rejection, failure badAlg and a status string. */
        REJECT,
        /** Grants, but the token time-stamps the requested digest with its first byte flipped. */
        WRONG_IMPRINT,
        /** Grants, but the token carries a nonce one greater than the request's. */
        WRONG_NONCE,
        /** Answers HTTP 503 with no body. */
        HTTP_UNAVAILABLE,
        /** Answers 200 with a body of one byte more than Rfc3161.MAX_RESPONSE_BYTES. */
        OVERSIZED,
        /** Answers 200 with an HTML page, as a misconfigured proxy would. */
        NOT_TSP
    }

    /**
     * The certificate the tokens embed. All variants have the signing certificate's issuer,
     * serial and key, so the SignerInfo finds them and the signature verifies; only SOUND is the
     * certificate the signed ESSCertIDv2 names.
     */
    enum Embedded {
        SOUND,
        /** Extended key usage timeStamping, but not critical. */
        EKU_NOT_CRITICAL,
        /** Critical extended key usage timeStamping and serverAuth. */
        EKU_ALSO_SERVER_AUTH,
        /** No extended key usage at all. */
        NO_EKU,
        /** Critical timeStamping as it should be, but a validity that ended before genTime. */
        EXPIRED,
        /** Critical timeStamping, valid, but not the certificate that signed (a swap). */
        SWAPPED
    }

    static final String REJECTION_TEXT = "loopback TSA refuses this request";

    /* An arbitrary policy OID under the "example" arc, RFC 3161 §2.4.2 TSAPolicyId. */
    private static final ASN1ObjectIdentifier POLICY = new ASN1ObjectIdentifier("1.3.6.1.4.1.32473.1");

    private final HttpServer server;
    private final X509CertificateHolder certificate;
    private final TimeStampResponseGenerator responses;
    private final AtomicLong serials = new AtomicLong(1);
    private volatile Behaviour behaviour = Behaviour.GRANT;

    LoopbackTsa() throws Exception {
        this(Embedded.SOUND);
    }

    LoopbackTsa(Embedded embedded) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=Bulwark loopback TSA,O=Bulwark tests");
        ContentSigner selfSigner = new JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate());
        Instant notBefore = now.minus(Duration.ofDays(1));
        Instant notAfter = now.plus(Duration.ofDays(1));
        X509CertificateHolder signing = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                .build(selfSigner);
        if (embedded == Embedded.EXPIRED) {
            notBefore = now.minus(Duration.ofDays(3));
            notAfter = now.minus(Duration.ofDays(2));
        } else if (embedded == Embedded.SWAPPED) {
            notAfter = notAfter.plus(Duration.ofDays(1));
        }
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(notBefore), Date.from(notAfter), name, keys.getPublic());
        switch (embedded) {
            case EKU_NOT_CRITICAL -> builder.addExtension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
            case EKU_ALSO_SERVER_AUTH -> builder.addExtension(Extension.extendedKeyUsage, true,
                    new ExtendedKeyUsage(new KeyPurposeId[] {
                        KeyPurposeId.id_kp_timeStamping, KeyPurposeId.id_kp_serverAuth}));
            case NO_EKU -> { }
            default -> builder.addExtension(Extension.extendedKeyUsage, true,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping));
        }
        certificate = embedded == Embedded.SOUND ? signing : builder.build(selfSigner);

        var tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder()
                        .build("SHA256withECDSA", keys.getPrivate(), signing),
                new JcaDigestCalculatorProviderBuilder().build()
                        .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                POLICY);
        tokens.addCertificates(new JcaCertStore(List.of(certificate)));
        responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);

        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/tsa", this::answer);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    void behave(Behaviour next) {
        behaviour = next;
    }

    /** Lowercase hex SHA-256 of the certificate's DER, as {@code Verdict.certificateSha256}. */
    String certificateSha256() throws IOException {
        return io.bulwark.app.Sha256.hexOf(certificate.getEncoded());
    }

    String subject() {
        return certificate.getSubject().toString();
    }

    /** A token over {@code sha256} as this TSA would grant it, without HTTP. */
    byte[] token(byte[] sha256) throws Exception {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        TimeStampRequest request = generator.generate(TSPAlgorithms.SHA256, sha256);
        return responses.generate(request, BigInteger.valueOf(serials.getAndIncrement()), new Date())
                .getTimeStampToken().getEncoded("DER");
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] query = in.readNBytes(64 * 1024);
            if (behaviour == Behaviour.HTTP_UNAVAILABLE) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            if (behaviour == Behaviour.OVERSIZED) {
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(new byte[Rfc3161.MAX_RESPONSE_BYTES + 1]);
                } catch (IOException e) {
                    // The client hangs up once past its bound; that is the point.
                }
                return;
            }
            byte[] reply = behaviour == Behaviour.NOT_TSP
                    ? "<html>It works!</html>".getBytes(StandardCharsets.US_ASCII)
                    : reply(new TimeStampRequest(query));
            exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
            exchange.sendResponseHeaders(200, reply.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(reply);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private byte[] reply(TimeStampRequest request) throws Exception {
        BigInteger serial = BigInteger.valueOf(serials.getAndIncrement());
        Date now = new Date();
        TimeStampResponse response = switch (behaviour) {
            case REJECT -> responses.generateFailResponse(
                    PKIStatus.REJECTION, PKIFailureInfo.badAlg, REJECTION_TEXT);
            case WRONG_IMPRINT -> {
                byte[] other = request.getMessageImprintDigest().clone();
                other[0] ^= 1;
                yield responses.generateGrantedResponse(
                        forged(request, other, request.getNonce()), serial, now);
            }
            case WRONG_NONCE -> responses.generateGrantedResponse(
                    forged(request, request.getMessageImprintDigest(),
                            request.getNonce().add(BigInteger.ONE)), serial, now);
            default -> responses.generate(request, serial, now);
        };
        return response.getEncoded();
    }

    private static TimeStampRequest forged(TimeStampRequest original, byte[] digest,
                                           BigInteger nonce) {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(original.getCertReq());
        return generator.generate(original.getMessageImprintAlgOID(), digest, nonce);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
