package io.bulwark.simulate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Long TCP sessions that move data both ways, all over TLS: cloud sync and streaming to the
 * Internet on 443, mail on 993, and backups to a few internal file servers on 8443. Each
 * exchange is either mostly download or mostly upload, so both directions carry bulk data.
 */
final class BulkSessions {
    private static final long MS = 1_000_000L;
    private static final int FILE_SERVERS = 5;

    private final List<Endpoint> devices;
    private final Endpoint gateway;
    private final Noise noise;

    BulkSessions(List<Endpoint> devices, Endpoint gateway, Noise noise) {
        this.devices = devices;
        this.gateway = gateway;
        this.noise = noise;
    }

    /** Sessions already running when the capture starts, so the first second is not empty. */
    void seed(Sim sim, long start, int count, SplittableRandom rng) {
        for (int i = 0; i < count; i++) {
            start(sim, start + rng.nextLong(200 * MS), true, rng);
        }
    }

    /** Starts one session at {@code now}; the first devices double as the file servers. */
    void start(Sim sim, long now, boolean established, SplittableRandom rng) {
        Endpoint client = devices.get(FILE_SERVERS + rng.nextInt(devices.size() - FILE_SERVERS));
        int kind = rng.nextInt(10);
        boolean internal = kind >= 8;
        Endpoint server = internal ? devices.get(rng.nextInt(FILE_SERVERS))
                : new Endpoint(Internet.randomPublic(rng), gateway.mac());
        int port = internal ? 8443 : kind == 7 ? 993 : 443;
        long rtt = internal ? 200_000 + rng.nextLong(800_000) : 15 * MS + rng.nextLong(135 * MS);
        int ttl = internal ? 64 : Internet.remoteTtl(rng);
        int exchanges = 10 + rng.nextInt(140);
        long key = rng.nextLong();
        SplittableRandom sizes = rng.split();
        TcpSession.Script script = i -> {
            if (i >= exchanges) {
                return null;
            }
            boolean upload = sizes.nextInt(10) < 3;
            int small = 100 + sizes.nextInt(1_900);
            int big = 2_000 + sizes.nextInt(126_000);
            return new TcpSession.Exchange(sizes.nextLong(200 * MS),
                    new Payload.Tls(upload ? big : small, noise, key + 2L * i * 131_072),
                    new Payload.Tls(upload ? small : big, noise, key + (2L * i + 1) * 131_072));
        };
        TcpSession.Plan plan = new TcpSession.Plan(client, 32768 + rng.nextInt(28232), server, port, rtt,
                200_000 + rng.nextLong(5 * MS), 12_000 + rng.nextLong(200_000), 12_000 + rng.nextLong(200_000),
                ttl, rng.nextInt(10) != 0, established, TcpSession.Close.CLIENT_FIN, script);
        sim.at(now, new TcpSession(plan, rng.split()));
    }
}
