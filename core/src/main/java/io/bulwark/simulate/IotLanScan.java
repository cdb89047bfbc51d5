package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo: ten minutes of a home LAN, 192.168.1.0/24 behind a gateway at .1 that also
 * resolves DNS, captured on a mirror port of the LAN switch.
 *
 * <ul>
 *   <li>.20 an IP camera streaming to its cloud relay over one long TLS connection, and
 *       re-resolving the relay's name every five minutes;</li>
 *   <li>.21 a smart plug: NTP every 64 s, an MQTT-over-TLS keepalive every 30 s to its broker
 *       on 8883, DNS refreshes;</li>
 *   <li>.22 a streaming hub/TV: mDNS and SSDP announcements, HTTPS sessions to its CDNs;</li>
 *   <li>.30 a laptop browsing (DNS, then short HTTPS and HTTP sessions to many servers) and
 *       twice pinging the gateway;</li>
 *   <li>.195 a DVR that does NTP and DNS, and after about three minutes starts Mirai's
 *       telnet scan, in spells of 6 to 20 s between quiet spells of 15 to 45 s (which keeps
 *       the demo under 50,000 frames; the bench scanners scan without pause).</li>
 * </ul>
 *
 * MAC addresses use each vendor's IEEE OUI with a made-up device half. Server names are
 * under .example (RFC 2606) except pool.ntp.org; server addresses are random public ones.
 */
final class IotLanScan implements Scenario {
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long DURATION = 600 * SECOND;

    static final long GATEWAY_MAC = 0xa040a0_3c5e12L; // Netgear
    static final long CAMERA_MAC = 0x4419b6_7a21c4L;  // Hangzhou Hikvision
    static final long PLUG_MAC = 0x50c7bf_0e93d1L;    // TP-Link
    static final long HUB_MAC = 0xb0a737_5d18e2L;     // Roku
    static final long LAPTOP_MAC = 0xf48c50_a1b2c3L;  // Intel
    static final long DVR_MAC = 0x14a78b_4f6c09L;     // Zhejiang Dahua

    final Endpoint gateway = Endpoint.of("192.168.1.1", GATEWAY_MAC);
    final Endpoint camera = Endpoint.of("192.168.1.20", CAMERA_MAC);
    final Endpoint plug = Endpoint.of("192.168.1.21", PLUG_MAC);
    final Endpoint hub = Endpoint.of("192.168.1.22", HUB_MAC);
    final Endpoint laptop = Endpoint.of("192.168.1.30", LAPTOP_MAC);
    final Endpoint dvr = Endpoint.of("192.168.1.195", DVR_MAC);
    private MiraiScanner scanner;

    @Override
    public long packetLimit(Simulator.Options opts) {
        return Long.MAX_VALUE;
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng;
        long end = start + DURATION;
        camera(sim, camera, gateway, start, end, rng.split());
        plug(sim, plug, gateway, start, end, rng.split());
        new Household(hub, laptop, gateway, sim.noise).schedule(sim, start, end, rng.split());
        dvr(sim, start, end, rng.split());
        return end;
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        if (scanner == null || scanner.firstSynNanos() < 0) {
            return List.of();
        }
        return List.of(new Simulator.Behaviour(dvr.addr(), Simulator.SCAN, scanner.firstSynNanos()));
    }

    @Override
    public List<IpAddr> benignHosts() {
        return List.of(gateway.addr(), camera.addr(), plug.addr(), hub.addr(), laptop.addr());
    }

    /** A lookup through the gateway from a random ephemeral port. */
    Burst lookup(Endpoint client, Browser.Site site, SplittableRandom rng) {
        return lookup(client, gateway, site, rng);
    }

    /** A lookup through {@code gateway}, the LAN's resolver, from a random ephemeral port. */
    static Burst lookup(Endpoint client, Endpoint gateway, Browser.Site site, SplittableRandom rng) {
        long delay = rng.nextInt(3) == 0 ? 10 * MS + rng.nextLong(40 * MS) : 300_000 + rng.nextLong(1_500_000);
        return Dns.lookup(client, gateway, 32768 + rng.nextInt(28232), rng.nextInt(1 << 16), site.qname(),
                new int[] {site.ip()}, 300, delay, 64);
    }

    /** An IP camera streaming to its cloud relay over one long TLS connection, re-resolving the relay every 5 minutes. */
    static void camera(Sim sim, Endpoint camera, Endpoint gateway, long start, long end, SplittableRandom rng) {
        Browser.Site relay = Browser.Site.random("relay.cam-cloud.example", rng);
        long key = rng.nextLong();
        SplittableRandom chunks = rng.split();
        // A low-bitrate motion/snapshot stream (~2 KB/s, keeps the bundled sample small); every 30th
        // batch the relay says something back.
        TcpSession.Script stream = i -> new TcpSession.Exchange(
                i == 0 ? 50 * MS : 880 * MS + chunks.nextLong(120 * MS),
                new Payload.Tls(1_200 + chunks.nextInt(1_600), sim.noise, key + i * 20_000L),
                i % 30 == 29 ? new Payload.Tls(40 + chunks.nextInt(80), sim.noise, key - i) : null);
        TcpSession.Plan plan = new TcpSession.Plan(camera, 32768 + rng.nextInt(28232), relay.server(gateway.mac()), 443,
                relay.rttNanos(), 2 * MS, 5 * MS + rng.nextLong(2 * MS), 500_000, relay.ttl(),
                true, true, TcpSession.Close.CLIENT_FIN, stream);
        sim.at(start + rng.nextLong(200 * MS), new TcpSession(plan, rng.split()));
        sim.at(start + 20 * SECOND + rng.nextLong(5 * SECOND),
                new Periodic(300 * SECOND, 2 * SECOND, end, rng, (now, s) -> s.at(now, lookup(camera, gateway, relay, rng))));
    }

    /** A smart plug: NTP every 64 s, an MQTT-over-TLS keepalive every 30 s, DNS refreshes. */
    static void plug(Sim sim, Endpoint plug, Endpoint gateway, long start, long end, SplittableRandom rng) {
        Browser.Site ntp = Browser.Site.random("pool.ntp.org", rng);
        Browser.Site broker = Browser.Site.random("mqtt.plug-cloud.example", rng);
        int ntpPort = 32768 + rng.nextInt(28232);
        int refId = Internet.randomPublic(rng);
        long first = start + 3 * SECOND + rng.nextLong(SECOND);
        sim.at(first, lookup(plug, gateway, ntp, rng));
        sim.at(first + 60 * MS, new Periodic(64 * SECOND, 5 * MS, end, rng, (now, s) -> s.at(now,
                Ntp.exchange(plug, ntp.server(gateway.mac()), ntpPort, rng.nextInt(1 << 16), ntp.rttNanos(), ntp.ttl(), refId))));

        // MQTT 3.1.1 over TLS: PINGREQ/PINGRESP (2 bytes each, 31 as TLS 1.2 AES-GCM records)
        // every keepalive of 30 s, and every tenth a QoS 1 state PUBLISH and its PUBACK.
        long key = rng.nextLong();
        SplittableRandom msgs = rng.split();
        TcpSession.Script keepalive = i -> i % 10 == 9
                ? new TcpSession.Exchange(30 * SECOND, new Payload.Tls(180 + msgs.nextInt(80), sim.noise, key + i),
                        new Payload.Tls(33, sim.noise, key - i))
                : new TcpSession.Exchange(i == 0 ? msgs.nextLong(30 * SECOND) : 30 * SECOND,
                        new Payload.Tls(31, sim.noise, key + i), new Payload.Tls(31, sim.noise, key - i));
        TcpSession.Plan plan = new TcpSession.Plan(plug, 32768 + rng.nextInt(28232), broker.server(gateway.mac()), 8883,
                broker.rttNanos(), 3 * MS, 300_000, 300_000, broker.ttl(), true, true,
                TcpSession.Close.CLIENT_FIN, keepalive);
        sim.at(start, new TcpSession(plan, rng.split()));
        sim.at(start + 150 * SECOND + rng.nextLong(10 * SECOND),
                new Periodic(300 * SECOND, SECOND, end, rng, (now, s) -> s.at(now, lookup(plug, gateway, broker, rng))));
    }

    private void dvr(Sim sim, long start, long end, SplittableRandom rng) {
        Browser.Site ntp = Browser.Site.random("time.dvr-cloud.example", rng);
        Browser.Site p2p = Browser.Site.random("p2p.dvr-cloud.example", rng);
        int ntpPort = 32768 + rng.nextInt(28232);
        int refId = Internet.randomPublic(rng);
        long first = start + 8 * SECOND + rng.nextLong(4 * SECOND);
        sim.at(first, new Periodic(64 * SECOND, 20 * MS, end, rng, (now, s) -> {
            s.at(now, lookup(dvr, ntp, rng));
            s.at(now + 80 * MS, Ntp.exchange(dvr, ntp.server(GATEWAY_MAC), ntpPort, rng.nextInt(1 << 16),
                    ntp.rttNanos(), ntp.ttl(), refId));
        }));
        sim.at(start + 2 * SECOND + rng.nextLong(5 * SECOND),
                new Periodic(60 * SECOND, 5 * SECOND, end, rng, (now, s) -> s.at(now, lookup(dvr, p2p, rng))));
        scanner = new MiraiScanner(dvr, GATEWAY_MAC, rng.split(), false,
                new MiraiScanner.Duty(6 * SECOND, 20 * SECOND, 15 * SECOND, 45 * SECOND));
        sim.at(start + 180 * SECOND + rng.nextLong(15 * SECOND), scanner);
    }
}
