package io.bulwark.simulate;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Scripts for web-like TCP conversations. HTTPS is drawn as TLS records of realistic sizes
 * (a 517-byte ClientHello, a few kilobytes of server certificates, the finished messages,
 * then requests and responses); the bytes inside are ciphertext-like. Plain HTTP/1.1 has
 * real request and response heads with a Content-Length that matches the body.
 */
final class Web {
    private Web() {
    }

    /** A TLS handshake then {@code requests} request/response pairs of the given response sizes. */
    static TcpSession.Script https(SplittableRandom rng, Noise noise, int requests, int minResponse, int maxResponse) {
        long key = rng.nextLong();
        int certs = 2_800 + rng.nextInt(2_400);
        int[] responses = new int[requests];
        int[] asks = new int[requests];
        for (int i = 0; i < requests; i++) {
            responses[i] = minResponse + rng.nextInt(maxResponse - minResponse + 1);
            asks[i] = 250 + rng.nextInt(500);
        }
        long[] thinks = new long[requests];
        for (int i = 0; i < requests; i++) {
            thinks[i] = i == 0 ? 200_000 : 2_000_000L + rng.nextLong(150_000_000L);
        }
        return i -> {
            if (i == 0) {
                return new TcpSession.Exchange(150_000, new Payload.Tls(517, noise, key), new Payload.Tls(certs, noise, key + 1));
            }
            if (i == 1) {
                return new TcpSession.Exchange(300_000, new Payload.Tls(80, noise, key + 2), new Payload.Tls(250, noise, key + 3));
            }
            int r = i - 2;
            if (r >= requests) {
                return null;
            }
            return new TcpSession.Exchange(thinks[r], new Payload.Tls(asks[r], noise, key + 4 + r),
                    new Payload.Tls(responses[r], noise, key + 100 + r));
        };
    }

    /** One HTTP/1.1 GET per exchange, each answered 200 with a text body of the given sizes. */
    static TcpSession.Script http(SplittableRandom rng, Noise noise, String host, int requests, int minBody, int maxBody) {
        long key = rng.nextLong();
        int[] bodies = new int[requests];
        for (int i = 0; i < requests; i++) {
            bodies[i] = minBody + rng.nextInt(maxBody - minBody + 1);
        }
        return i -> {
            if (i >= requests) {
                return null;
            }
            String path = i == 0 ? "/" : "/assets/" + Long.toHexString((key + i) & 0xffffff) + ".js";
            byte[] get = ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
                    + "User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0\r\n"
                    + "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: keep-alive\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            byte[] head = ("HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: "
                    + (i == 0 ? "text/html" : "application/javascript") + "; charset=utf-8\r\n"
                    + "Content-Length: " + bodies[i] + "\r\nConnection: keep-alive\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            return new TcpSession.Exchange(i == 0 ? 150_000 : 5_000_000,
                    new Payload.Text(get, 0, noise, key), new Payload.Text(head, bodies[i], noise, key + i));
        };
    }
}
