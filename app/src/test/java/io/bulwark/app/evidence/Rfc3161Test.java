package io.bulwark.app.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link Rfc3161} against {@link LoopbackTsa}: a sound TSA, a rejecting one, a broken one, and
 * none at all. Only 127.0.0.1.
 */
class Rfc3161Test {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static LoopbackTsa tsa;
    private final byte[] treeHead = sha256("tree head: size 42, root 9f3c...");

    @BeforeAll
    static void start() throws Exception {
        tsa = new LoopbackTsa();
    }

    @AfterAll
    static void stop() {
        tsa.close();
    }

    @BeforeEach
    void sound() {
        tsa.behave(LoopbackTsa.Behaviour.GRANT);
    }

    @Test
    void request_soundTsa_tokenVerifiesWithGenTimeInWindow() throws IOException {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] token = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);
        Instant after = Instant.now();

        Rfc3161.Verdict verdict = Rfc3161.verify(token, treeHead);

        assertThat(verdict.ok()).as(verdict.problem()).isTrue();
        assertThat(verdict.problem()).isNull();
        assertThat(verdict.genTime()).isBetween(before, after);
        assertThat(verdict.tsaSubject()).isEqualTo(tsa.subject());
        assertThat(verdict.certificateSha256()).isEqualTo(tsa.certificateSha256());
        assertThat(verdict.serial()).isPositive();
    }

    @Test
    void request_twice_serialsDiffer() throws IOException {
        byte[] first = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);
        byte[] second = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);

        assertThat(Rfc3161.verify(first, treeHead).serial())
                .isNotEqualTo(Rfc3161.verify(second, treeHead).serial());
    }

    @Test
    void verify_anyByteFlipped_failsWithNamedProblem() throws IOException {
        byte[] token = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);
        List<String> accepted = new ArrayList<>();

        for (int i = 0; i < token.length; i++) {
            for (int mask : new int[] {0x01, 0x80}) {
                byte[] flipped = token.clone();
                flipped[i] ^= (byte) mask;
                Rfc3161.Verdict verdict = Rfc3161.verify(flipped, treeHead);
                if (verdict.ok() || verdict.problem() == null || verdict.problem().isBlank()) {
                    accepted.add("offset " + i + " mask 0x" + Integer.toHexString(mask));
                }
            }
        }

        assertThat(accepted).as("flips that still verify").isEmpty();
    }

    @Test
    void verify_otherExpectedDigest_failsImprintMismatch() throws IOException {
        byte[] token = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);

        Rfc3161.Verdict verdict = Rfc3161.verify(token, sha256("another tree head"));

        assertThat(verdict.ok()).isFalse();
        assertThat(verdict.problem()).isEqualTo("imprint_mismatch");
    }

    @Test
    void verify_garbageOrEmptyOrNull_failsUnparseableWithoutThrowing() {
        assertThat(Rfc3161.verify(new byte[] {0x30, 0x03, 0x02, 0x01}, treeHead).problem())
                .isEqualTo("token_unparseable");
        assertThat(Rfc3161.verify(new byte[0], treeHead).problem()).isEqualTo("token_unparseable");
        assertThat(Rfc3161.verify(null, treeHead).problem()).isEqualTo("token_unparseable");
    }

    @Test
    void verify_expectedDigestNotSha256_failsNamed() throws IOException {
        byte[] token = Rfc3161.request(tsa.uri(), treeHead, TIMEOUT);

        assertThat(Rfc3161.verify(token, new byte[20]).problem())
                .isEqualTo("expected_digest_not_sha256");
    }

    @ParameterizedTest
    @CsvSource({
        "EKU_NOT_CRITICAL, eku_not_critical",
        "EKU_ALSO_SERVER_AUTH, eku_not_only_timestamping",
        "NO_EKU, eku_timestamping_missing",
        "EXPIRED, certificate_not_valid_at_gen_time",
        "SWAPPED, signer_certificate_not_bound",
    })
    void verify_embeddedCertificateNotAsRfc3161Requires_failsNamed(
            LoopbackTsa.Embedded embedded, String problem) throws Exception {
        try (LoopbackTsa odd = new LoopbackTsa(embedded)) {
            Rfc3161.Verdict verdict = Rfc3161.verify(odd.token(treeHead), treeHead);

            assertThat(verdict.ok()).isFalse();
            assertThat(verdict.problem()).isEqualTo(problem);
            assertThat(verdict.certificateSha256()).isEqualTo(odd.certificateSha256());
        }
    }

    @Test
    void request_tokenWithoutCriticalEku_refusedNamingProblem() throws Exception {
        try (LoopbackTsa odd = new LoopbackTsa(LoopbackTsa.Embedded.EKU_NOT_CRITICAL)) {
            assertThatThrownBy(() -> Rfc3161.request(odd.uri(), treeHead, TIMEOUT))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("does not verify: eku_not_critical")
                    .hasMessageNotContaining("\n");
        }
    }

    @Test
    void request_rejectingTsa_oneLineIoExceptionWithStatus() {
        tsa.behave(LoopbackTsa.Behaviour.REJECT);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("rejected")
                .hasMessageContaining("rejection")
                .hasMessageContaining(LoopbackTsa.REJECTION_TEXT)
                .hasMessageContaining("badAlg")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_tsaStampsOtherDigest_caught() {
        tsa.behave(LoopbackTsa.Behaviour.WRONG_IMPRINT);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("different digest")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_tsaAnswersOtherNonce_caught() {
        tsa.behave(LoopbackTsa.Behaviour.WRONG_NONCE);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("nonce")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_http503_oneLineIoExceptionWithStatus() {
        tsa.behave(LoopbackTsa.Behaviour.HTTP_UNAVAILABLE);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("HTTP 503")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_closedPort_unreachableWithinTimeout() throws IOException {
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        Duration timeout = Duration.ofSeconds(2);
        long start = System.nanoTime();

        assertThatThrownBy(() -> Rfc3161.request(
                URI.create("http://127.0.0.1:" + closed + "/tsa"), treeHead, timeout))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unreachable")
                .hasMessageNotContaining("\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(timeout);
    }

    @Test
    void request_silentTsa_timesOutWithinBound() throws IOException {
        Duration timeout = Duration.ofMillis(500);
        // Accepts TCP connections (in the backlog) but never answers.
        try (ServerSocket silent = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            URI uri = URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/tsa");
            long start = System.nanoTime();

            assertThatThrownBy(() -> Rfc3161.request(uri, treeHead, timeout))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("within")
                    .hasMessageNotContaining("\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(timeout.plusSeconds(1));
        }
    }

    @Test
    void request_answerNotTsp_unparseableOneLine() {
        tsa.behave(LoopbackTsa.Behaviour.NOT_TSP);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unparseable response")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_oversizedResponse_refusedAtBound() {
        tsa.behave(LoopbackTsa.Behaviour.OVERSIZED);

        assertThatThrownBy(() -> Rfc3161.request(tsa.uri(), treeHead, TIMEOUT))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("more than " + Rfc3161.MAX_RESPONSE_BYTES + " bytes")
                .hasMessageNotContaining("\n");
    }

    @Test
    void request_tsaStallsMidBody_timesOutWithinBound() throws Exception {
        Duration timeout = Duration.ofMillis(500);
        try (ServerSocket stalling = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket client = stalling.accept()) {
                    client.getOutputStream().write(("HTTP/1.1 200 OK\r\n"
                            + "Content-Type: application/timestamp-reply\r\n"
                            + "Content-Length: 1000\r\n\r\n0").getBytes(StandardCharsets.US_ASCII));
                    client.getOutputStream().flush();
                    client.getInputStream().readAllBytes(); // until the client gives up
                } catch (IOException e) {
                    // closed by the test
                }
            }, "stalling-tsa");
            server.setDaemon(true);
            server.start();
            URI uri = URI.create("http://127.0.0.1:" + stalling.getLocalPort() + "/tsa");
            long start = System.nanoTime();

            assertThatThrownBy(() -> Rfc3161.request(uri, treeHead, timeout))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("did not answer within")
                    .hasMessageNotContaining("\n");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isLessThan(timeout.plusSeconds(1));
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
