package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario {@code spoofed-local}: small SYN and UDP frames from random sources in 10.0.0.0/8,
 * each with a random MAC and source port, to an outside victim (203.0.113.80): what a
 * compromised LAN or a bot spoofing its neighbours' addresses produces. It exists to attack
 * the analyser itself: every frame is a new flow and a new local "device", so the device
 * table meets its bound at once and must refuse or evict, and memory must stay bounded by
 * that bound. Exactly {@link Simulator.Options#targetPackets()} frames at 100,000 a second
 * of traffic time, alternately a SYN to port 80 and a 1-byte UDP datagram to a random port.
 */
final class SpoofedLocalFlood implements Scenario {
    private static final long PPS = 100_000;
    private static final long ROUTER_MAC = 0xa040a0_000001L;
    private static final byte[] ONE_BYTE = {0x41};
    private final Endpoint victim = new Endpoint(Endpoint.v4("203.0.113.80"), ROUTER_MAC);

    @Override
    public long packetLimit(Simulator.Options opts) {
        return opts.targetPackets();
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng.split();
        long gap = 1_000_000_000L / PPS;
        sim.at(start, new Actor() {
            private long n;

            @Override
            public long step(long now, Sim s) throws IOException {
                int src = 0x0a000000 | rng.nextInt(1 << 24);
                long mac = (rng.nextLong() & 0xfeffff_ffffffL) | 0x020000_000000L; // locally administered, unicast
                Endpoint from = new Endpoint(src, mac);
                int sport = 1024 + rng.nextInt(64512);
                if ((n++ & 1) == 0) {
                    from.ipv4To(s.frame(), victim, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                            .tcp(sport, 80, rng.nextLong() & 0xffff_ffffL, 0, Frame.SYN, 65535);
                } else {
                    from.udpTo(s.frame(), victim, sport, 1 + rng.nextInt(65535), 64, rng.nextInt(1 << 16))
                            .bytes(ONE_BYTE);
                }
                s.send();
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
        return List.of();
    }
}
