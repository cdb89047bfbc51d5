package io.bulwark.app.evidence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One RFC 3161 §3.4 "Time-Stamp Protocol via HTTP" exchange: POST the DER TimeStampReq as
 * {@code application/timestamp-query}, read the TimeStampResp body of a 200 answer.
 *
 * <p>The TSA is outside our control, so the whole exchange (connect, headers and body) ends
 * within the timeout, and a body over {@link Rfc3161#MAX_RESPONSE_BYTES} is cut off rather than
 * buffered. Every failure is an IOException whose message is one line naming the TSA.
 */
final class TsaExchange {

    private TsaExchange() {
    }

    static byte[] post(URI tsa, byte[] query, Duration timeout) throws IOException {
        HttpRequest post;
        try {
            post = HttpRequest.newBuilder(tsa)
                    .timeout(timeout)
                    .header("Content-Type", "application/timestamp-query")
                    .header("Accept", "application/timestamp-reply")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(query))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new IOException("TSA URI " + tsa + " is not usable: " + Rfc3161.oneLine(e));
        }
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        CompletableFuture<HttpResponse<byte[]>> exchange =
                client.sendAsync(post, info -> new BoundedBody(info.statusCode()));
        HttpResponse<byte[]> response;
        try {
            response = exchange.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            throw new IOException("TSA " + tsa + " did not answer within " + timeout);
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for TSA " + tsa);
        } catch (ExecutionException e) {
            throw failure(tsa, timeout, e.getCause());
        }
        if (response.statusCode() != 200) {
            throw new IOException("TSA " + tsa + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }

    private static IOException failure(URI tsa, Duration timeout, Throwable cause) {
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof HttpConnectTimeoutException) {
            return new IOException("TSA " + tsa + " unreachable: no connection within " + timeout);
        }
        if (cause instanceof HttpTimeoutException) {
            return new IOException("TSA " + tsa + " did not answer within " + timeout);
        }
        if (cause instanceof ConnectException) {
            // The JDK client's ConnectException usually has no message, refused or unresolved.
            return new IOException("TSA " + tsa + " unreachable: could not connect"
                    + (cause.getMessage() == null ? "" : " (" + Rfc3161.oneLine(cause) + ")"));
        }
        if (cause instanceof TooLarge) {
            return new IOException("TSA " + tsa + " sent more than "
                    + Rfc3161.MAX_RESPONSE_BYTES + " bytes");
        }
        return new IOException("TSA " + tsa + " unreachable: " + Rfc3161.oneLine(cause));
    }

    private static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Collects the body up to the bound; past it, cancels the exchange. A non-200 body is
     * discarded as it arrives, since only the status is reported.
     */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final boolean keep;
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        BoundedBody(int status) {
            this.keep = status == 200;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (!keep || result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (body.size() + buffer.remaining() > Rfc3161.MAX_RESPONSE_BYTES) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                body.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(body.toByteArray());
        }
    }
}
