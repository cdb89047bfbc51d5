package io.bulwark.app.evidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
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
 * rejecting or a broken TSA. Nothing leaves loopback.
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
        HTTP_UNAVAILABLE
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
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=Bulwark loopback TSA,O=Bulwark tests");
        ContentSigner selfSigner = new JcaContentSignerBuilder("SHA256withECDSA")
                .build(keys.getPrivate());
        certificate = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(1))),
                name, keys.getPublic())
                .addExtension(Extension.extendedKeyUsage, true,
                        new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping))
                .build(selfSigner);

        var tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder()
                        .build("SHA256withECDSA", keys.getPrivate(), certificate),
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
        return Rfc3161.sha256Hex(certificate.getEncoded());
    }

    String subject() {
        return certificate.getSubject().toString();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            byte[] query = in.readNBytes(64 * 1024);
            if (behaviour == Behaviour.HTTP_UNAVAILABLE) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] reply = reply(new TimeStampRequest(query));
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
