package io.bulwark.simulate;

import io.bulwark.flow.IpAddr;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Scenario {@code mirai-outbreak}: twenty minutes of a home LAN, 192.168.1.0/24 behind a
 * gateway at .1 that also resolves DNS, captured on a mirror port, while Mirai takes over
 * its cameras and DVRs. Benign: .10 a NAS (backups; its port 80 is forwarded), .20 a
 * camera streaming to its cloud, .21 a smart plug (NTP every 64 s, MQTT-over-TLS keepalive
 * every 30 s), .22 a streaming hub and .30 a laptop ({@link Household}), .40 a DNS-heavy
 * smart speaker, .41 a sensor posting over HTTPS every 30 s, .42 a media stick that uses
 * 8.8.8.8 ({@link SmartHome}). Infected, in this order:
 *
 * <ul>
 *   <li>.104, a DVR infected before the capture: its C2 session is joined midway and it
 *       scans from the first seconds;</li>
 *   <li>.101 (camera, from 60 s), .102 (DVR, from 240 s), .103 (camera, from 400 s): each
 *       is probed and brute-forced over telnet by a bot outside (inbound bruteforce,
 *       succeeding at its third to fifth guess), then 20 to 40 s later logged into by the
 *       loader, which installs the bot by wget, tftp and echo respectively (infection);
 *       the bot then resolves its CNC through 8.8.8.8 and connects (c2), and scans and
 *       brute-forces telnet hosts on the Internet (scan, outbound bruteforce), reporting
 *       what it finds to port 48101.</li>
 * </ul>
 *
 * From 560 s the CNC orders the ten floods, one vector each against its own external
 * victim, 30 s long and 40 s apart: udp (.101), vse (.102), dns (.103), greeth (.104), syn
 * (.101), ack (.102), stomp (.103), udpplain (.104), http (.101), greip (.102). At 1000 s a
 * spoofed SYN flood hits the NAS's port 80 from outside for 30 s (ddos_target, vector syn).
 * Ground truth gives each behaviour's first packet: for an inbound brute force the
 * outside bot's first login SYN and the camera as host; for an infection the loader's SYN;
 * for c2 the lookup (the joined DVR: its first keepalive); for a flood its first packet
 * (the handshake SYN for stomp and http). About 40 MB.
 */
final class MiraiOutbreak implements Scenario {
    static final long SECOND = 1_000_000_000L;
    static final long MS = 1_000_000L;
    static final long DURATION = 1_200 * SECOND;
    static final long FLOOD = 30 * SECOND;
    /** Scanning spells of 5-10 s between pauses of 30-90 s: Mirai's rate, a tenth of the time (keeps the file small). */
    static final MiraiScanner.Duty DUTY = new MiraiScanner.Duty(5 * SECOND, 10 * SECOND, 60 * SECOND, 150 * SECOND);
    static final double SYN_ACK_SHARE = 0.002;

    final Endpoint gateway = Endpoint.of("192.168.1.1", IotLanScan.GATEWAY_MAC);
    final Endpoint nas = Endpoint.of("192.168.1.10", 0x001132_5a0b01L);       // Synology
    final Endpoint camera = Endpoint.of("192.168.1.20", IotLanScan.CAMERA_MAC);
    final Endpoint plug = Endpoint.of("192.168.1.21", IotLanScan.PLUG_MAC);
    final Endpoint hub = Endpoint.of("192.168.1.22", IotLanScan.HUB_MAC);
    final Endpoint laptop = Endpoint.of("192.168.1.30", IotLanScan.LAPTOP_MAC);
    final Endpoint speaker = Endpoint.of("192.168.1.40", 0x747548_3e2f10L);   // Amazon
    final Endpoint sensor = Endpoint.of("192.168.1.41", 0x240ac4_71c2d8L);    // Espressif
    final Endpoint stick = Endpoint.of("192.168.1.42", 0xf4f5d8_2a9e44L);     // Google
    final Endpoint[] infected = {
        Endpoint.of("192.168.1.101", 0xc056e3_1d7a02L),   // Hikvision camera
        Endpoint.of("192.168.1.102", 0x3ce36b_5510e7L),   // Dahua DVR
        Endpoint.of("192.168.1.103", 0xc056e3_8b3f41L),   // Hikvision camera
        Endpoint.of("192.168.1.104", 0xe0508b_0c66d3L)};  // Dahua DVR

    private final List<MiraiBot> bots = new ArrayList<>();
    private final List<Simulator.Behaviour> entry = new ArrayList<>();
    private final List<TelnetBruteForce> inbound = new ArrayList<>();
    private final List<Loader> loaders = new ArrayList<>();
    private SpoofedSynFlood.Inbound synFlood;

    @Override
    public long packetLimit(Simulator.Options opts) {
        return Long.MAX_VALUE;
    }

    @Override
    public long setUp(Sim sim, long start, Simulator.Options opts) {
        SplittableRandom rng = sim.rng;
        long end = start + DURATION;
        benign(sim, start, end, rng.split());
        sim.malicious(true);
        int cnc = Internet.randomPublic(rng);
        int report = Internet.randomPublic(rng);
        int loader = Internet.randomPublic(rng);
        for (Endpoint d : infected) {
            bots.add(new MiraiBot(d, gateway, cnc, report, rng.split()));
        }
        String[] order = {"udp", "vse", "dns", "greeth", "syn", "ack", "stomp", "udpplain", "http", "greip"};
        for (int i = 0; i < order.length; i++) {
            MiraiBot bot = bots.get(i % bots.size());
            bot.attack(sim, new MiraiBot.Attack(order[i], start + (560 + 40L * i) * SECOND + rng.nextLong(SECOND),
                    FLOOD, MiraiFocus.rate(order[i]), Internet.randomPublic(rng), MiraiFocus.domain(order[i])), sim.noise);
        }
        MiraiBot dvr = bots.get(3);
        dvr.c2(sim, start, true);
        dvr.scan(sim, start + 3 * SECOND + rng.nextLong(3 * SECOND), DUTY, SYN_ACK_SHARE, 0.1, false);
        Loader.Method[] methods = {Loader.Method.WGET, Loader.Method.TFTP, Loader.Method.ECHO};
        long[] breakIn = {60, 240, 400};
        for (int i = 0; i < 3; i++) {
            infect(sim, bots.get(i), start + breakIn[i] * SECOND + rng.nextLong(5 * SECOND), loader, methods[i], i == 0, rng.split());
        }
        synFlood = new SpoofedSynFlood.Inbound(nas, gateway.mac(), 80, 800, 50, start + 1_030 * SECOND, rng.split());
        sim.at(start + 1_000 * SECOND + rng.nextLong(SECOND), synFlood);
        sim.malicious(false);
        return end;
    }

    private void benign(Sim sim, long start, long end, SplittableRandom rng) {
        IotLanScan.camera(sim, camera, gateway, start, end, rng.split());
        IotLanScan.plug(sim, plug, gateway, start, end, rng.split());
        new Household(hub, laptop, gateway, sim.noise).schedule(sim, start, end, rng.split());
        SmartHome home = new SmartHome(gateway, sim.noise);
        home.speaker(sim, speaker, start, end, rng.split());
        home.telemetry(sim, sensor, start, end, rng.split());
        home.mediaStick(sim, stick, start, end, rng.split());
        home.nas(sim, nas, start, end, rng.split());
    }

    /**
     * An outside bot probes {@code bot}'s device on port 23 and guesses its login; the
     * loader follows up; the bot starts its C2 and scanner as soon as it runs.
     */
    private void infect(Sim sim, MiraiBot bot, long at, int loaderIp, Loader.Method method, boolean reportFirst,
                        SplittableRandom rng) {
        Endpoint device = bot.device();
        Endpoint outside = new Endpoint(Internet.randomPublic(rng), gateway.mac());
        long rtt = 40 * MS + rng.nextLong(160 * MS);
        int ttl = Internet.remoteTtl(rng);
        probe(sim, at, outside, device, rtt, ttl, rng);
        TelnetBruteForce.Plan plan = new TelnetBruteForce.Plan(outside, device, Telnet.PORT, true, rtt, ttl);
        TelnetBruteForce bf = new TelnetBruteForce(plan, TelnetBruteForce.Outcome.SUCCEEDS, 3 + rng.nextInt(3), rng.split(),
                (now, s, credential) -> {
                    Endpoint loader = new Endpoint(loaderIp, gateway.mac());
                    Loader.Plan lp = new Loader.Plan(loader, device, credential, method, 30 * MS + rng.nextLong(90 * MS),
                            Internet.remoteTtl(rng), 56_000 + rng.nextInt(8_000), 1_200 + rng.nextInt(1_400));
                    Loader l = new Loader(lp, rng.split()).onRun((t, s2) -> {
                        bot.c2(s2, t + 500 * MS + rng.nextLong(SECOND), false);
                        bot.scan(s2, t + 1_500 * MS + rng.nextLong(2 * SECOND), DUTY, SYN_ACK_SHARE, 0.1, reportFirst);
                    });
                    loaders.add(l);
                    l.start(s, now + 20 * SECOND + rng.nextLong(20 * SECOND));
                });
        inbound.add(bf);
        bf.start(sim, at + rtt + 400 * MS + rng.nextLong(600 * MS));
    }

    /** The outside bot's scanner SYN (sequence number = the target's address), the camera's SYN-ACK, the bot kernel's RST. */
    static void probe(Sim sim, long at, Endpoint outside, Endpoint device, long rtt, int ttl, SplittableRandom rng) {
        int sport = 1024 + rng.nextInt(64512);
        long seq = device.ip() & 0xffff_ffffL;
        long isn = rng.nextLong(1L << 32);
        int window = rng.nextInt(1 << 16);
        int id = rng.nextInt(1 << 16);
        sim.at(at, new Burst(new Burst.Part[] {
            (f, t) -> outside.ipv4To(f, device, Frame.PROTO_TCP, ttl, id, false).tcp(sport, Telnet.PORT, seq, 0, Frame.SYN, window),
            (f, t) -> device.ipv4To(f, outside, Frame.PROTO_TCP, 64, 0, true)
                    .tcp(Telnet.PORT, sport, isn, seq + 1, Frame.SYN | Frame.ACK, 14600).mss(1460),
            (f, t) -> outside.ipv4To(f, device, Frame.PROTO_TCP, ttl, 0, true).tcp(sport, Telnet.PORT, seq + 1, 0, Frame.RST, 0)},
            new long[] {60_000, rtt}));
    }

    @Override
    public List<Simulator.Behaviour> malicious() {
        List<Simulator.Behaviour> out = new ArrayList<>();
        for (int i = 0; i < inbound.size(); i++) {
            IpAddr host = bots.get(i).device().addr();
            if (inbound.get(i).firstSynNanos() >= 0) {
                out.add(new Simulator.Behaviour(host, Simulator.BRUTEFORCE, inbound.get(i).firstSynNanos()));
            }
        }
        for (Loader l : loaders) {
            if (l.firstNanos() >= 0) {
                out.add(new Simulator.Behaviour(l.device().addr(), Simulator.INFECTION, l.firstNanos()));
            }
        }
        for (MiraiBot b : bots) {
            out.addAll(b.truth());
        }
        if (synFlood != null && synFlood.firstNanos() >= 0) {
            out.add(new Simulator.Behaviour(nas.addr(), Simulator.DDOS_TARGET, synFlood.firstNanos(), "syn"));
        }
        out.sort(Comparator.comparingLong(Simulator.Behaviour::startNanos));
        return out;
    }

    @Override
    public boolean labelled() {
        return true;
    }

    @Override
    public List<IpAddr> benignHosts() {
        return List.of(gateway.addr(), nas.addr(), camera.addr(), plug.addr(), hub.addr(), laptop.addr(),
                speaker.addr(), sensor.addr(), stick.addr());
    }

    @Override
    public List<IpAddr> victims() {
        List<Simulator.Behaviour> floods = malicious().stream()
                .filter(b -> b.kind().equals(Simulator.DDOS) || b.kind().equals(Simulator.DDOS_TARGET)).toList();
        List<IpAddr> out = new ArrayList<>();
        for (Simulator.Behaviour b : floods) {
            if (b.kind().equals(Simulator.DDOS_TARGET)) {
                out.add(b.host());
            } else {
                MiraiBot bot = bots.stream().filter(x -> x.device().addr().equals(b.host())).findFirst().orElseThrow();
                out.add(bot.victimOf(b.vector()));
            }
        }
        return out;
    }
}
