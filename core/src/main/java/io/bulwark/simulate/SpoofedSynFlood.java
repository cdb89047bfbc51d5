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
    private long first = -1;

    @Override
    public long packetLimit(Simulator.Options opts) {
        return opts.targetPackets();
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng.split();
        long gap = 1_000_000_000L / PPS;
        sim.at(start, new Actor() {
            long sent;

            @Override
            public long step(long now, Sim s) throws IOException {
                if (first < 0) {
                    first = now;
                }
                Endpoint src = new Endpoint(Internet.randomPublic(rng), router.mac());
                int sport = 1024 + rng.nextInt(64512);
                long seq = rng.nextLong() & 0xffff_ffffL;
                src.ipv4To(s.frame(), server, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                        .tcp(sport, 80, seq, 0, Frame.SYN, 65535).mss(1460).sackPermitted()
                        .timestamps(rng.nextLong() & 0xffff_ffffL, 0).nop().windowScale(7);
                s.send();
                if (sent++ % PPS < 10) {
                    server.ipv4To(s.frame(), src, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                            .tcp(80, sport, rng.nextLong() & 0xffff_ffffL, (seq + 1) & 0xffff_ffffL,
                                    Frame.SYN | Frame.ACK, 28960).mss(1460);
                    s.send();
                }
                return now + gap;
            }
        });
        return Long.MAX_VALUE;
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
