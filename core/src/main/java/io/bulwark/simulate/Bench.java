package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A busy network for throughput and memory tests: {@value #DEVICES} devices on 10.0.0.0/16
 * behind a gateway at 10.0.0.1, with an internal resolver at 10.0.0.2, captured at the
 * core. Traffic is about {@value #TARGET_PPS} frames per second of traffic time:
 *
 * <ul>
 *   <li>long TCP sessions with data both ways (TLS, SSH, SMB to internal file servers), some
 *       already running when the capture starts — about half the frames;</li>
 *   <li>short HTTPS and HTTP visits with their DNS lookups; standalone DNS lookups; NTP every
 *       64 s per device; pings;</li>
 *   <li>{@value #SCANNERS} infected devices scanning with Mirai's fingerprint, one of them a
 *       variant that redraws source port and window per packet;</li>
 *   <li>{@value #FLOODERS} infected devices each running a UDP flood for a tenth of the capture.</li>
 * </ul>
 *
 * It ends after exactly {@code targetPackets} frames. Arrivals are Poisson; start times of
 * the malicious behaviour are spread over the expected length of the capture, so short
 * captures (50,000 frames, one second) contain them too.
 */
final class Bench implements Scenario {
    static final int DEVICES = 200;
    static final int SCANNERS = 4;
    static final int FLOODERS = 2;
    static final int TARGET_PPS = 50_000;
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    /** Vendor OUIs from the IEEE registry: cameras, plugs, TVs, PCs, phones, ESP32 gadgets. */
    private static final long[] OUIS = {
        0x4419b6, 0xc056e3, 0x50c7bf, 0xb0a737, 0xf48c50, 0x3c22fb, 0x14a78b, 0x083a8d, 0x0012fb, 0x00040e};
    private static final int SITES = 300;
    private static final int NAMES = 1_000;

    private final List<Endpoint> devices = new ArrayList<>();
    private final List<MiraiScanner> scanners = new ArrayList<>();
    private final List<Endpoint> scannerHosts = new ArrayList<>();
    private final List<MiraiFlood> floods = new ArrayList<>();
    private final List<Endpoint> floodHosts = new ArrayList<>();
    private Endpoint gateway;
    private Endpoint resolver;

    @Override
    public long packetLimit(Simulator.Options opts) {
        return opts.targetPackets();
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng;
        gateway = new Endpoint(Endpoint.v4("10.0.0.1"), 0xa040a0_000001L);
        resolver = new Endpoint(Endpoint.v4("10.0.0.2"), mac(rng));
        for (int i = 0; i < DEVICES; i++) {
            int ip = Endpoint.v4("10.0.0.0") | ((1 + i / 50) << 8) | (10 + i % 50);
            devices.add(new Endpoint(ip, mac(rng)));
        }
        Browser[] browsers = new Browser[DEVICES];
        for (int i = 0; i < DEVICES; i++) {
            browsers[i] = new Browser(devices.get(i), resolver, gateway.mac(), rng.split(), sim.noise);
        }
        Browser.Site[] sites = new Browser.Site[SITES];
        for (int i = 0; i < SITES; i++) {
            sites[i] = Browser.Site.random("www.site" + i + ".example", rng);
        }
        byte[][] names = new byte[NAMES][];
        int[] answers = new int[NAMES];
        for (int i = 0; i < NAMES; i++) {
            names[i] = Dns.name("host" + i + ".service" + (i % 37) + ".example");
            answers[i] = Internet.randomPublic(rng);
        }
        BulkSessions bulk = new BulkSessions(devices, gateway, sim.noise);
        double expectedSeconds = (double) opts.targetPackets() / TARGET_PPS;

        bulk.seed(sim, start, 60, rng.split());
        sim.at(start, new Arrivals(4.8, rng.split(), (now, s, r) -> bulk.start(s, now, false, r)));
        sim.at(start, new Arrivals(215, rng.split(), (now, s, r) -> {
            Browser b = browsers[r.nextInt(DEVICES)];
            b.visit(now, s, sites[r.nextInt(SITES)], r.nextInt(6) != 0, 1 + r.nextInt(3), 500, 60_000);
        }));
        sim.at(start, new Arrivals(1_400, rng.split(), (now, s, r) -> {
            int n = r.nextInt(NAMES);
            Endpoint client = devices.get(r.nextInt(DEVICES));
            s.at(now, Dns.lookup(client, resolver, 32768 + r.nextInt(28232), r.nextInt(1 << 16), names[n],
                    new int[] {answers[n]}, 300, 200_000 + r.nextLong(30 * MS), 64));
        }));
        sim.at(start, new Arrivals(100, rng.split(), (now, s, r) -> {
            Endpoint client = devices.get(r.nextInt(DEVICES));
            Endpoint target = r.nextBoolean() ? gateway : new Endpoint(Internet.randomPublic(r), gateway.mac());
            int rest = (r.nextInt(1 << 16) << 16) | (1 + r.nextInt(100));
            int ttl = target == gateway ? 64 : Internet.remoteTtl(r);
            s.at(now, Burst.exchange(
                    (f, t) -> client.ipv4To(f, target, Frame.PROTO_ICMP, 64, rest >>> 5, true).icmp(8, 0, rest).zeros(56),
                    300_000 + r.nextLong(80 * MS),
                    (f, t) -> target.ipv4To(f, client, Frame.PROTO_ICMP, ttl, rest >>> 3, false).icmp(0, 0, rest).zeros(56)));
        }));
        ntp(sim, start, rng.split());
        malicious(sim, start, expectedSeconds, rng.split());
        return Long.MAX_VALUE;
    }

    private void ntp(Sim sim, long start, SplittableRandom rng) {
        Endpoint server = new Endpoint(Internet.randomPublic(rng), gateway.mac());
        int refId = Internet.randomPublic(rng);
        for (Endpoint d : devices) {
            int port = 32768 + rng.nextInt(28232);
            sim.at(start + rng.nextLong(64 * SECOND), new Periodic(64 * SECOND, 2 * MS, Long.MAX_VALUE, rng, (now, s) ->
                    s.at(now, Ntp.exchange(d, server, port, rng.nextInt(1 << 16), 25 * MS, 52, refId))));
        }
    }

    private void malicious(Sim sim, long start, double expectedSeconds, SplittableRandom rng) {
        List<Integer> picks = new ArrayList<>();
        while (picks.size() < SCANNERS + FLOODERS) {
            int i = rng.nextInt(DEVICES);
            if (!picks.contains(i)) {
                picks.add(i);
            }
        }
        long span = (long) (expectedSeconds * SECOND);
        for (int k = 0; k < SCANNERS; k++) {
            Endpoint host = devices.get(picks.get(k));
            MiraiScanner scanner = new MiraiScanner(host, gateway.mac(), rng.split(), k == SCANNERS - 1, null);
            scanners.add(scanner);
            scannerHosts.add(host);
            sim.at(start + span * (1 + 20 * k) / 100, scanner);
        }
        for (int k = 0; k < FLOODERS; k++) {
            Endpoint host = devices.get(picks.get(SCANNERS + k));
            Endpoint victim = new Endpoint(Internet.randomPublic(rng), gateway.mac());
            long from = start + span * (15 + 40 * k) / 100;
            long length = Math.max(200 * MS, span / 10);
            MiraiFlood flood = new MiraiFlood("udp", host, victim, null, null, from + length, 6_000 + rng.nextInt(4_000),
                    rng.split());
            floods.add(flood);
            floodHosts.add(host);
            sim.at(from, flood);
        }
    }

    private static long mac(SplittableRandom rng) {
        return (OUIS[rng.nextInt(OUIS.length)] << 24) | rng.nextInt(1 << 24);
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        List<Simulator.Behaviour> out = new ArrayList<>();
        for (int k = 0; k < scanners.size(); k++) {
            if (scanners.get(k).firstSynNanos() >= 0) {
                out.add(new Simulator.Behaviour(scannerHosts.get(k).addr(), Simulator.SCAN, scanners.get(k).firstSynNanos()));
            }
        }
        for (int k = 0; k < floods.size(); k++) {
            if (floods.get(k).firstNanos() >= 0) {
                out.add(new Simulator.Behaviour(floodHosts.get(k).addr(), Simulator.DDOS, floods.get(k).firstNanos(), "udp"));
            }
        }
        out.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return out;
    }

    @Override
    public List<IpAddr> benignHosts() {
        List<IpAddr> out = new ArrayList<>();
        out.add(gateway.addr());
        out.add(resolver.addr());
        for (Endpoint d : devices) {
            if (!scannerHosts.contains(d) && !floodHosts.contains(d)) {
                out.add(d.addr());
            }
        }
        return out;
    }
}
