package io.bulwark.simulate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

/**
 * Mirai's HTTP flood (attack_app_http) with {@code conns=}{@value #CONNECTIONS}: that many
 * kernel TCP connections to the victim's port 80, opened together. Each sends
 * {@code GET / HTTP/1.1} with one of Mirai's five browser User-Agents (drawn per
 * connection), the Host from the command's domain, "Connection: keep-alive" and Mirai's
 * Accept and Accept-Language lines; it reads the response head and body, and because the
 * server keeps the connection alive sends the next request at once. When the attack's time
 * is up the bot kills the attack process and the kernel closes every connection (FIN).
 * The tap is next to the bot.
 */
final class HttpFlood {
    static final int CONNECTIONS = 6;
    private static final long MS = 1_000_000L;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

    private final Endpoint bot;
    private final Endpoint victim;
    private final String domain;
    private final long until;
    private final Noise noise;
    private final SplittableRandom rng;
    private long firstNanos = -1;

    HttpFlood(Endpoint bot, Endpoint victim, String domain, long until, Noise noise, SplittableRandom rng) {
        this.bot = bot;
        this.victim = victim;
        this.domain = domain;
        this.until = until;
        this.noise = noise;
        this.rng = rng;
    }

    /** Traffic time of the first connection's SYN, or -1 before it. */
    long firstNanos() {
        return firstNanos;
    }

    void start(Sim sim, long at) {
        long rtt = 40 * MS + rng.nextLong(80 * MS);
        int ttl = Internet.remoteTtl(rng);
        int port = 32768 + rng.nextInt(28000);
        for (int i = 0; i < CONNECTIONS; i++) {
            String ua = Mirai.USER_AGENTS.get(rng.nextInt(Mirai.USER_AGENTS.size()));
            byte[] get = ("GET / HTTP/1.1\r\nUser-Agent: " + ua + "\r\nHost: " + domain + "\r\n"
                    + Mirai.HTTP_KEEP_ALIVE + "\r\n" + Mirai.HTTP_ACCEPT + "\r\n" + Mirai.HTTP_ACCEPT_LANGUAGE + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            SplittableRandom r = rng.split();
            long key = r.nextLong();
            TcpSession.Script script = k -> {
                long now = sim.now();
                if (now > until) {
                    return null;
                }
                int body = 200 + r.nextInt(300);
                byte[] head = ("HTTP/1.1 200 OK\r\nServer: nginx/1.10.0\r\nDate: " + HTTP_DATE.format(Instant.ofEpochSecond(0, now))
                        + "\r\nContent-Type: text/html\r\nContent-Length: " + body + "\r\nConnection: keep-alive\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII);
                return new TcpSession.Exchange(k == 0 ? 300_000 : 200_000 + r.nextLong(2 * MS),
                        new Payload.Bytes(get), new Payload.Text(head, body, noise, key + k * 2048L));
            };
            port += 1 + rng.nextInt(3);
            TcpSession.Plan p = new TcpSession.Plan(bot, port, victim, 80, rtt, 2 * MS + rng.nextLong(10 * MS),
                    100_000, 150_000, ttl, true, false, TcpSession.Close.CLIENT_FIN, script);
            TcpSession session = new TcpSession(p, rng.split());
            sim.at(at + i * (20_000 + rng.nextLong(80_000)), (now, s) -> {
                if (firstNanos < 0) {
                    firstNanos = now;
                }
                return session.step(now, s);
            });
        }
    }
}
