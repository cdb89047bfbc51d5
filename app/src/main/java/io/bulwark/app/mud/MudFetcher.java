package io.bulwark.app.mud;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Fetches a MUD file from its MUD URL (RFC 8520 section 14.1: HTTPS only, the JSON media type
 * application/mud+json). The server's certificate is checked against the JVM's trust store;
 * the body is bounded by {@link MudFile#MAX_BYTES}. Only on the operator's request (an https
 * argument to {@code --mud}); never during analysis on its own, and never in tests. RFC 8520's
 * detached signature (section 13) is not checked.
 */
public final class MudFetcher {
    private MudFetcher() {
    }

    public static byte[] fetch(URI url) throws IOException {
        if (!"https".equalsIgnoreCase(url.getScheme())) {
            throw new IOException(url + ": MUD URLs must use https (RFC 8520 section 14.1)");
        }
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        HttpRequest req = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/mud+json").header("User-Agent", "bulwark-mud").GET().build();
        try {
            HttpResponse<InputStream> resp = client.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException(url + ": HTTP " + resp.statusCode());
                }
                byte[] body = in.readNBytes((int) MudFile.MAX_BYTES + 1);
                if (body.length > MudFile.MAX_BYTES) {
                    throw new IOException(url + ": larger than " + MudFile.MAX_BYTES + " bytes");
                }
                return body;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(url + ": interrupted");
        }
    }
}
