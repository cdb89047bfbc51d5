package io.bulwark.simulate;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A client that visits web servers by name: a DNS lookup through its resolver when the
 * name is not cached, then a TCP connection to the answer. The cache holds at most one
 * entry per {@link Site}, and sites come from a fixed list, so it stays small.
 */
final class Browser {
    /** A server as DNS names it; its TTL and round-trip time stay the same on every visit. */
    record Site(String name, byte[] qname, int ip, int ttl, long rttNanos) {
        static Site random(String name, SplittableRandom rng) {
            return new Site(name, Dns.name(name), Internet.randomPublic(rng), Internet.remoteTtl(rng),
                    10_000_000L + rng.nextLong(110_000_000L));
        }

        /** The server as the tap sees it: beyond the gateway, so frames carry the gateway's MAC. */
        Endpoint server(long gatewayMac) {
            return new Endpoint(ip, gatewayMac);
        }
    }

    private static final long DNS_TTL_NANOS = 300_000_000_000L;

    private final Endpoint client;
    private final Endpoint resolver;
    private final long gatewayMac;
    private final SplittableRandom rng;
    private final Noise noise;
    private final Map<String, Long> cachedUntil = new HashMap<>();
    private final boolean publicResolver;
    private int nextPort;

    Browser(Endpoint client, Endpoint resolver, long gatewayMac, SplittableRandom rng, Noise noise) {
        this(client, resolver, gatewayMac, rng, noise, false);
    }

    /**
     * With {@code publicResolver} the resolver is beyond the gateway (a device hard-wired to
     * 8.8.8.8): every answer takes a round trip and arrives with a remote TTL.
     */
    Browser(Endpoint client, Endpoint resolver, long gatewayMac, SplittableRandom rng, Noise noise, boolean publicResolver) {
        this.publicResolver = publicResolver;
        this.client = client;
        this.resolver = resolver;
        this.gatewayMac = gatewayMac;
        this.rng = rng;
        this.noise = noise;
        this.nextPort = 32768 + rng.nextInt(28232);
    }

    /** A Linux-style ephemeral port: 32768 to 60999, moving on by a small random step. */
    int ephemeralPort() {
        nextPort += 1 + rng.nextInt(8);
        if (nextPort > 60999) {
            nextPort = 32768 + (nextPort - 61000);
        }
        return nextPort;
    }

    /**
     * Schedules a visit starting at {@code now}: the lookup if needed, then a connection
     * with {@code requests} requests; returns when the connection's SYN goes out.
     */
    long visit(long now, Sim sim, Site site, boolean https, int requests, int minResponse, int maxResponse) {
        long start = now;
        Long until = cachedUntil.get(site.name());
        if (until == null || until < now) {
            // The gateway answers from its cache in about a millisecond, otherwise asks upstream.
            long delay = publicResolver ? 12_000_000 + rng.nextLong(30_000_000)
                    : rng.nextInt(2) == 0 ? 400_000 + rng.nextLong(1_500_000) : 8_000_000 + rng.nextLong(50_000_000);
            sim.at(now, Dns.lookup(client, resolver, ephemeralPort(), rng.nextInt(1 << 16), site.qname(),
                    new int[] {site.ip()}, 300, delay, publicResolver ? 118 : 64));
            cachedUntil.put(site.name(), now + DNS_TTL_NANOS);
            start = now + delay + 100_000 + rng.nextLong(400_000);
        }
        TcpSession.Script script = https
                ? Web.https(rng, noise, requests, minResponse, maxResponse)
                : Web.http(rng, noise, site.name(), requests, minResponse, maxResponse);
        int closeDraw = rng.nextInt(10);
        TcpSession.Close close = closeDraw < 6 ? TcpSession.Close.CLIENT_FIN
                : closeDraw < 9 ? TcpSession.Close.SERVER_FIN : TcpSession.Close.CLIENT_RST;
        TcpSession.Plan plan = new TcpSession.Plan(client, ephemeralPort(), site.server(gatewayMac),
                https ? 443 : 80, site.rttNanos(), 1_000_000 + rng.nextLong(30_000_000),
                100_000 + rng.nextLong(200_000), 120_000 + rng.nextLong(900_000),
                site.ttl(), rng.nextInt(8) != 0, false, close, script);
        sim.at(start, new TcpSession(plan, rng.split()));
        return start;
    }
}
