package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario {@code variant-p2p} (8 min): a bot that behaves unlike Mirai, for the anomaly
 * detector. The LAN of {@link MiraiFocus} (.1 gateway and resolver, .21 plug, .22 hub, .30
 * laptop, .41 sensor, .42 media stick) and a camera, .101, that streams to its cloud relay
 * as a camera does. At 200 s the camera is taken over by a peer-to-peer bot in the manner
 * of Mozi and Hajime:
 *
 * <ul>
 *   <li>command and control over a DHT: every 15 to 25 s it sends eight bencoded Kademlia
 *       {@code find_node} queries from one UDP socket to random peers on random ports; about
 *       four in ten answer with a node list (no TCP, no port 23, no fixed server);</li>
 *   <li>from 5 s later, scanning for other exploits than telnet logins: SYNs at about 40 per
 *       second to TCP 5555 (Android debug bridge), 37215 (Huawei HG532), 52869 (Realtek SDK
 *       UPnP), 8080 and 81, with ordinary random sequence numbers (not Mirai's fingerprint);</li>
 *   <li>from 90 s later, a pulsing ICMP echo flood against one victim: 1,000-byte pings at
 *       500/s for 5 s, then 5 s of silence, six times (none of Mirai's ten vectors).</li>
 * </ul>
 *
 * Truth: kind {@code anomaly} for the camera from the bot's first packet; every frame the bot
 * sends or provokes is labelled malicious.
 */
final class P2pVariant implements Scenario {
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long DURATION = 480 * SECOND;
    static final long TAKEOVER = 200 * SECOND;
    static final int[] SCAN_PORTS = {5555, 37215, 52869, 8080, 81};

    private final FocusLan lan = new FocusLan();
    private final Endpoint gateway = lan.gateway;
    private final Endpoint camera = lan.camera;
    private long firstMalicious = -1;
    private int victim;

    @Override
    public long packetLimit(Simulator.Options opts) {
        return Long.MAX_VALUE;
    }

    @Override
    public boolean labelled() {
        return true;
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng;
        long end = start + DURATION;
        IotLanScan.camera(sim, camera, gateway, start, end, rng.split());
        lan.benign(sim, start, end, rng);
        sim.malicious(true);
        long t0 = start + TAKEOVER + rng.nextLong(SECOND);
        sim.at(t0, dht(end, rng.split()));
        sim.at(t0 + 5 * SECOND, scanner(end, rng.split()));
        victim = Internet.randomPublic(rng);
        sim.at(t0 + 90 * SECOND, pingFlood(new Endpoint(victim, gateway.mac()), rng.split()));
        sim.malicious(false);
        return end;
    }

    private void first(long now) {
        if (firstMalicious < 0 || now < firstMalicious) {
            firstMalicious = now;
        }
    }

    /** Kademlia over UDP (BEP 5): one socket, eight find_node queries a round, replies from some peers. */
    private Actor dht(long end, SplittableRandom rng) {
        int sport = 1024 + rng.nextInt(64512);
        byte[] nodeId = new byte[20];
        rng.nextBytes(nodeId);
        return (now, sim) -> {
            first(now);
            for (int i = 0; i < 8; i++) {
                Endpoint peer = new Endpoint(Internet.randomPublic(rng), gateway.mac());
                int dport = 1024 + rng.nextInt(64512);
                byte[] target = new byte[20];
                rng.nextBytes(target);
                byte[] query = bencodedQuery(nodeId, target, rng.nextInt(1 << 16));
                int id = rng.nextInt(1 << 16);
                Frame f = camera.udpTo(sim.frame(), peer, sport, dport, 64, id);
                f.bytes(query);
                sim.send();
                if (rng.nextInt(10) < 4) {
                    long rtt = 30 * MS + rng.nextLong(250 * MS);
                    int ttl = Internet.remoteTtl(rng);
                    long key = rng.nextLong();
                    int n = 200 + rng.nextInt(220);
                    sim.at(now + rtt, Burst.one((fr, t) -> {
                        peer.udpTo(fr, camera, dport, sport, ttl, 0);
                        sim.noise.random(fr, key, n);
                    }));
                }
            }
            long next = now + 15 * SECOND + rng.nextLong(10 * SECOND);
            return next < end ? next : Actor.DONE;
        };
    }

    private static byte[] bencodedQuery(byte[] nodeId, byte[] target, int txn) {
        StringBuilder b = new StringBuilder("d1:ad2:id20:");
        for (byte x : nodeId) {
            b.append((char) ('a' + (x & 15)));
        }
        b.append("6:target20:");
        for (byte x : target) {
            b.append((char) ('a' + (x & 15)));
        }
        b.append("e1:q9:find_node1:t2:").append((char) ('a' + (txn & 15))).append((char) ('a' + (txn >> 4 & 15)))
                .append("1:y1:qe");
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Exploit-port SYN scanner: ~40 SYN/s, ordinary random sequence numbers, 2 % of targets answer. */
    private Actor scanner(long end, SplittableRandom rng) {
        return (now, sim) -> {
            first(now);
            Endpoint target = new Endpoint(Internet.randomPublic(rng), gateway.mac());
            int dport = SCAN_PORTS[rng.nextInt(SCAN_PORTS.length)];
            int sport = 32768 + rng.nextInt(28232);
            long seq = rng.nextLong(1L << 32);
            camera.ipv4To(sim.frame(), target, Frame.PROTO_TCP, 64, rng.nextInt(1 << 16), true)
                    .tcp(sport, dport, seq, 0, Frame.SYN, 29200).mss(1460);
            sim.send();
            if (rng.nextInt(50) == 0) {
                long rtt = 40 * MS + rng.nextLong(200 * MS);
                int ttl = Internet.remoteTtl(rng);
                long isn = rng.nextLong(1L << 32);
                sim.at(now + rtt, Burst.exchange(
                        (f, t) -> target.ipv4To(f, camera, Frame.PROTO_TCP, ttl, 0, true)
                                .tcp(dport, sport, isn, seq + 1, Frame.SYN | Frame.ACK, 14600).mss(1460),
                        100_000,
                        (f, t) -> camera.ipv4To(f, target, Frame.PROTO_TCP, 64, 0, true)
                                .tcp(sport, dport, seq + 1, 0, Frame.RST, 0)));
            }
            long gap = (long) (-Math.log(1 - rng.nextDouble()) * SECOND / 40);
            long next = now + Math.max(1, gap);
            return next < end ? next : Actor.DONE;
        };
    }

    /** Six pulses of 5 s at 500 echo requests/s of 1,000 bytes, 5 s apart. */
    private Actor pingFlood(Endpoint target, SplittableRandom rng) {
        long key = rng.nextLong();
        int ident = rng.nextInt(1 << 16);
        int[] sent = {0};
        return new Actor() {
            private long pulseStart = -1;
            private int pulses;

            @Override
            public long step(long now, Sim sim) throws IOException {
                first(now);
                if (pulseStart < 0) {
                    pulseStart = now;
                }
                int seq = sent[0]++;
                camera.ipv4To(sim.frame(), target, Frame.PROTO_ICMP, 64, seq & 0xffff, false)
                        .icmp(8, 0, ident << 16 | (seq & 0xffff));
                sim.noise.random(sim.frame(), key + seq, 1_000 - 28);
                sim.send();
                long next = now + 2 * MS;
                if (next - pulseStart >= 5 * SECOND) {
                    pulses++;
                    if (pulses >= 6) {
                        return DONE;
                    }
                    next = pulseStart + 10 * SECOND;
                    pulseStart = next;
                }
                return next;
            }
        };
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        return firstMalicious < 0 ? List.of()
                : List.of(new Simulator.Behaviour(camera.addr(), Simulator.ANOMALY, firstMalicious));
    }

    @Override
    public List<IpAddr> benignHosts() {
        return lan.benignHosts();
    }

    @Override
    public List<IpAddr> victims() {
        return firstMalicious < 0 ? List.of() : List.of(IpAddr.ofV4(victim));
    }
}
