package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario {@code syn-flood}: a web server on the monitored network (192.168.1.10:80) under a
 * spoofed SYN flood, every packet from a fresh random public source address and port, as
 * Mirai's "syn" vector sends them (TCP options MSS, SACK-permitted, timestamps, window
 * scale; random sequence number). It exists to attack the analyser itself: each packet is a
 * new flow, so the flow table meets its bound and must evict, never grow. Exactly
 * {@link Simulator.Options#targetPackets()} frames at 100,000 packets per second of traffic
 * time; the server answers the first ten SYNs of each second (its backlog), then nothing.
 */
final class SpoofedSynFlood implements Scenario {
    private static final long PPS = 100_000;
    private final Endpoint server = Endpoint.of("192.168.1.10", 0x00163e_5a0b01L);
    private final Endpoint router = Endpoint.of("192.168.1.1", 0xa040a0_000001L);

    @Override
    public long packetLimit(Simulator.Options opts) {
        return opts.targetPackets();
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        Inbound flood = new Inbound(server, router.mac(), 80, PPS, 64, Long.MAX_VALUE, sim.rng.split());
        sim.at(start, flood);
        return Long.MAX_VALUE;
    }

    /**
     * The flood itself, reusable: SYNs from random public sources and ports through the
     * router to {@code server:port}, {@code pps} a second until {@code until}; the server's
     * SYN-ACKs answer the first ten of every {@code pps} SYNs (its backlog fills at once).
     */
    static final class Inbound implements Actor {
        private final Endpoint server;
        private final long routerMac;
        private final int port;
        private final long pps;
        private final int ttl;
        private final long until;
        private final long gap;
        private final SplittableRandom rng;
        private long sent;
        private long first = -1;
    
        Inbound(Endpoint server, long routerMac, int port, long pps, int ttl, long until, SplittableRandom rng) {
            this.server = server;
            this.routerMac = routerMac;
            this.port = port;
            this.pps = pps;
            this.ttl = ttl;
            this.until = until;
            this.gap = 1_000_000_000L / pps;
            this.rng = rng;
        }

        /** Traffic time of the first SYN, or -1 before it. */
        long firstNanos() {
            return first;
        }

        @Override
        public long step(long now, Sim s) throws IOException {
            if (now > until) {
                return DONE;
            }
            if (first < 0) {
                first = now;
            }
            Endpoint src = new Endpoint(Internet.randomPublic(rng), routerMac);
            int sport = 1024 + rng.nextInt(64512);
            long seq = rng.nextLong() & 0xffff_ffffL;
            src.ipv4To(s.frame(), server, Frame.PROTO_TCP, ttl, rng.nextInt(1 << 16), true)
                    .tcp(sport, port, seq, 0, Frame.SYN, 65535).mss(1460).sackPermitted()
                    .timestamps(rng.nextLong() & 0xffff_ffffL, 0).nop().windowScale(7);
            s.send();
            if (sent++ % pps < 10) {
                server.ipv4To(s.frame(), src, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                        .tcp(port, sport, rng.nextLong() & 0xffff_ffffL, (seq + 1) & 0xffff_ffffL,
                                Frame.SYN | Frame.ACK, 28960).mss(1460);
                s.send();
            }
            return now + gap;
        }
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        return List.of();
    }

    @Override
    public List<IpAddr> benignHosts() {
        return List.of(server.addr());
    }
}
