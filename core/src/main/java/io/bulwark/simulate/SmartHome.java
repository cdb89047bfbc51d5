package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * Benign devices whose traffic looks, to a careless detector, a little like a bot's: a
 * smart speaker that resolves hundreds of different names, a sensor that opens a fresh
 * TLS session to the same cloud host every 30 s, a media stick hard-wired to Google's
 * public resolver (8.8.8.8, as Mirai's resolv.c is), and a NAS that backs itself up. Names
 * are under .example (RFC 2606); addresses are random public ones.
 */
final class SmartHome {
    private static final long SECOND = 1_000_000_000L;
    private static final long MS = 1_000_000L;
    private static final String[] SPEAKER_HOSTS = {
        "avs-alexa", "device-metrics", "msh", "latinum", "prod-fireos", "unagi", "api", "todo-ta", "bob-dispatch",
        "arcus-uswest", "dcape-na", "det-ta", "fls-na", "mads", "kindle-time", "spectrum", "music", "tunein",
        "radio", "skills-store"};
    private static final String[] SPEAKER_ZONES = {
        "voice-cloud.example", "speaker-cdn.example", "music-stream.example", "skills-api.example",
        "weather-feed.example", "podcast-hub.example"};
    private static final String[] CAST_HOSTS = {
        "clients3.google.example", "www.gstatic.example", "mtalk.google.example", "play.googleapis.example",
        "lh3.googleusercontent.example", "youtubei.googleapis.example", "cast-tvapps.google.example"};

    private final Endpoint gateway;
    private final Noise noise;

    SmartHome(Endpoint gateway, Noise noise) {
        this.gateway = gateway;
        this.noise = noise;
    }

    /**
     * A smart speaker: every 2 to 10 s a burst of one to four lookups (A, half of them also
     * AAAA) among 120 names through the gateway, all answered; every minute or so an HTTPS
     * exchange with its voice service.
     */
    void speaker(Sim sim, Endpoint speaker, long start, long end, SplittableRandom rng) {
        Browser.Site[] names = new Browser.Site[SPEAKER_HOSTS.length * SPEAKER_ZONES.length];
        for (int h = 0; h < SPEAKER_HOSTS.length; h++) {
            for (int z = 0; z < SPEAKER_ZONES.length; z++) {
                names[h * SPEAKER_ZONES.length + z] = Browser.Site.random(SPEAKER_HOSTS[h] + "." + SPEAKER_ZONES[z], rng);
            }
        }
        SplittableRandom r = rng.split();
        sim.at(start + r.nextLong(3 * SECOND), new Periodic(2 * SECOND, 8 * SECOND, end, r, (now, s) -> {
            int burst = 1 + r.nextInt(4);
            for (int i = 0; i < burst; i++) {
                Browser.Site name = names[r.nextInt(names.length)];
                long at = now + i * (2 * MS + r.nextLong(30 * MS));
                s.at(at, IotLanScan.lookup(speaker, gateway, name, r));
                if (r.nextBoolean()) {
                    s.at(at + 200_000, aaaa(speaker, name, r));
                }
            }
        }));
        Browser browser = new Browser(speaker, gateway, gateway.mac(), rng.split(), noise);
        Browser.Site voice = Browser.Site.random("avs-alexa-na.voice-cloud.example", rng);
        sim.at(start + r.nextLong(20 * SECOND), new Periodic(50 * SECOND, 20 * SECOND, end, r, (now, s) ->
                browser.visit(now, s, voice, true, 1 + r.nextInt(2), 300, 4_000)));
    }

    /** A query for the IPv6 address and its empty answer: the name has none. */
    private Burst aaaa(Endpoint client, Browser.Site name, SplittableRandom r) {
        int port = 32768 + r.nextInt(28000);
        int id = r.nextInt(1 << 16);
        return Burst.exchange(
                (f, t) -> Dns.query(client.udpTo(f, gateway, port, Dns.PORT, 64, id), id, name.qname(), Dns.TYPE_AAAA),
                300_000 + r.nextLong(2 * MS),
                (f, t) -> Dns.answer(gateway.udpTo(f, client, Dns.PORT, port, 64, id ^ 0x5a5a), id, name.qname(),
                        Dns.TYPE_AAAA, new int[0], 300));
    }

    /**
     * A sensor that posts its readings every 30 s: each time a new TCP connection and TLS
     * handshake to the same cloud host, one request and a short answer, then close.
     */
    void telemetry(Sim sim, Endpoint sensor, long start, long end, SplittableRandom rng) {
        Browser browser = new Browser(sensor, gateway, gateway.mac(), rng.split(), noise);
        Browser.Site ingest = Browser.Site.random("ingest.telemetry-cloud.example", rng);
        sim.at(start + rng.nextLong(30 * SECOND), new Periodic(30 * SECOND, 300 * MS, end, rng, (now, s) ->
                browser.visit(now, s, ingest, true, 1, 120, 300)));
    }

    /**
     * A media stick that always asks 8.8.8.8, never the gateway: lookups through the
     * gateway's WAN side to Google, then HTTPS sessions to its services.
     */
    void mediaStick(Sim sim, Endpoint stick, long start, long end, SplittableRandom rng) {
        Endpoint google = new Endpoint(Mirai.RESOLVER, gateway.mac());
        Browser browser = new Browser(stick, google, gateway.mac(), rng.split(), noise, true);
        Browser.Site[] sites = new Browser.Site[CAST_HOSTS.length];
        for (int i = 0; i < sites.length; i++) {
            sites[i] = Browser.Site.random(CAST_HOSTS[i], rng);
        }
        sim.at(start + rng.nextLong(5 * SECOND), new Periodic(15 * SECOND, 45 * SECOND, end, rng, (now, s) ->
                browser.visit(now, s, sites[rng.nextInt(sites.length)], true, 1 + rng.nextInt(3), 400, 30_000)));
    }

    /** A NAS that syncs to its cloud backup every two minutes or so, a few requests each time. */
    void nas(Sim sim, Endpoint nas, long start, long end, SplittableRandom rng) {
        Browser browser = new Browser(nas, gateway, gateway.mac(), rng.split(), noise);
        Browser.Site backup = Browser.Site.random("backup.nas-cloud.example", rng);
        sim.at(start + rng.nextLong(60 * SECOND), new Periodic(100 * SECOND, 40 * SECOND, end, rng, (now, s) ->
                browser.visit(now, s, backup, true, 2 + rng.nextInt(4), 200, 2_000)));
    }
}
