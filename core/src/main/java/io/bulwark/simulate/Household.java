package io.bulwark.simulate;

import java.util.SplittableRandom;

/**
 * The people's devices of the demo LAN: a streaming hub/TV that announces itself over mDNS
 * (RFC 6762) and SSDP (UPnP Device Architecture 1.0) and pulls from its CDNs over HTTPS,
 * and a laptop that browses the web and now and then pings the gateway.
 */
final class Household {
    static final int SSDP_GROUP = 0xeffffffa;        // 239.255.255.250
    static final long SSDP_MAC = 0x01005e7ffffaL;     // its IPv4 multicast MAC (RFC 1112)
    static final int SSDP_PORT = 1900;
    private static final long SECOND = IotLanScan.SECOND;
    private static final long MS = IotLanScan.MS;

    private static final String[] SITES = {
        "news-daily", "shop-central", "mail-hub", "video-now", "maps-world", "wiki-online", "forum-hub",
        "blog-central", "bank-online", "travel-now", "weather-world", "sports-daily", "recipes-hub",
        "jobs-online", "photo-world", "music-now", "games-central", "code-hub", "science-daily", "auto-world"};
    private static final String[] ASSET_HOSTS = {
        "static.edge-cdn.example", "img.photo-cdn.example", "fonts.webfont.example", "api.social-widgets.example",
        "metrics.web-analytics.example", "ads.adnet.example", "js.lib-cdn.example", "cdn.video-player.example"};

    private final Endpoint hub;
    private final Endpoint laptop;
    private final Endpoint gateway;
    private final Noise noise;

    Household(Endpoint hub, Endpoint laptop, Endpoint gateway, Noise noise) {
        this.hub = hub;
        this.laptop = laptop;
        this.gateway = gateway;
        this.noise = noise;
    }

    void schedule(Sim sim, long start, long end, SplittableRandom rng) {
        hubAnnouncements(sim, start, end, rng.split());
        hubStreaming(sim, start, end, rng.split());
        laptopBrowsing(sim, start, end, rng.split());
        for (long at : new long[] {start + 95 * SECOND + rng.nextLong(5 * SECOND), start + 430 * SECOND + rng.nextLong(10 * SECOND)}) {
            laptopPings(sim, at, 12 + rng.nextInt(14), rng.split());
        }
    }

    private void hubAnnouncements(Sim sim, long start, long end, SplittableRandom rng) {
        Endpoint mdns = new Endpoint(Dns.MDNS_GROUP, Dns.MDNS_MAC);
        byte[] service = Dns.name("_spotify-connect._tcp.local");
        byte[] instance = Dns.name("Living-Room-TV._spotify-connect._tcp.local");
        byte[] host = Dns.name("Living-Room-TV.local");
        byte[] browse = Dns.name("_googlecast._tcp.local");
        sim.at(start + rng.nextLong(10 * SECOND), new Periodic(60 * SECOND, 60 * SECOND, end, rng, (now, s) ->
                s.at(now, Burst.one((f, t) -> {
                    hub.udpTo(f, mdns, Dns.MDNS_PORT, Dns.MDNS_PORT, 255, 0);
                    Dns.announce(f, service, instance, host, 4070, hub.ip());
                }))));
        sim.at(start + rng.nextLong(30 * SECOND), new Periodic(120 * SECOND, 60 * SECOND, end, rng, (now, s) ->
                s.at(now, Burst.one((f, t) -> {
                    hub.udpTo(f, mdns, Dns.MDNS_PORT, Dns.MDNS_PORT, 255, 0);
                    Dns.browse(f, browse);
                }))));

        Endpoint ssdp = new Endpoint(SSDP_GROUP, SSDP_MAC);
        String[] kinds = {"upnp:rootdevice", "uuid:roku:ecp:X00400A1B2C3", "urn:roku-com:device:player:1-0"};
        Burst.Part[] notify = new Burst.Part[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            String text = ssdpAlive(kinds[i]);
            notify[i] = (f, t) -> hub.udpTo(f, ssdp, SSDP_PORT, SSDP_PORT, 4, 0).ascii(text);
        }
        sim.at(start + rng.nextLong(20 * SECOND), new Periodic(90 * SECOND, 90 * SECOND, end, rng, (now, s) ->
                s.at(now, new Burst(notify, new long[] {150_000, 150_000}))));
    }

    /** An ssdp:alive NOTIFY for one notification type. */
    private String ssdpAlive(String nt) {
        String uuid = "uuid:roku:ecp:X00400A1B2C3";
        String usn = nt.startsWith("uuid:") ? uuid : uuid + "::" + nt;
        return "NOTIFY * HTTP/1.1\r\n"
                + "HOST: 239.255.255.250:1900\r\n"
                + "CACHE-CONTROL: max-age=3600\r\n"
                + "LOCATION: http://" + hub.addr() + ":8060/\r\n"
                + "NT: " + nt + "\r\n"
                + "NTS: ssdp:alive\r\n"
                + "SERVER: Roku/12.5.0 UPnP/1.0 Roku/12.5.0\r\n"
                + "USN: " + usn + "\r\n\r\n";
    }

    private void hubStreaming(Sim sim, long start, long end, SplittableRandom rng) {
        Browser browser = new Browser(hub, gateway, gateway.mac(), rng.split(), noise);
        Browser.Site[] cdns = new Browser.Site[5];
        for (int i = 0; i < cdns.length; i++) {
            cdns[i] = Browser.Site.random("cdn" + (i + 1) + ".streamtv.example", rng);
        }
        sim.at(start + rng.nextLong(10 * SECOND), new Periodic(15 * SECOND, 30 * SECOND, end, rng, (now, s) ->
                browser.visit(now, s, cdns[rng.nextInt(cdns.length)], true, 1 + rng.nextInt(3), 10_000, 150_000)));
    }

    private void laptopBrowsing(Sim sim, long start, long end, SplittableRandom rng) {
        Browser browser = new Browser(laptop, gateway, gateway.mac(), rng.split(), noise);
        Browser.Site[] sites = new Browser.Site[SITES.length];
        for (int i = 0; i < sites.length; i++) {
            sites[i] = Browser.Site.random("www." + SITES[i] + ".example", rng);
        }
        Browser.Site[] assets = new Browser.Site[ASSET_HOSTS.length];
        for (int i = 0; i < assets.length; i++) {
            assets[i] = Browser.Site.random(ASSET_HOSTS[i], rng);
        }
        // A page: the site itself (one in five over plain HTTP), then a few asset hosts.
        sim.at(start + rng.nextLong(8 * SECOND), new Periodic(8 * SECOND, 30 * SECOND, end, rng, (now, s) -> {
            Browser.Site site = sites[rng.nextInt(sites.length)];
            long t = browser.visit(now, s, site, rng.nextInt(5) != 0, 1 + rng.nextInt(3), 500, 60_000);
            int extra = rng.nextInt(4);
            for (int k = 0; k < extra; k++) {
                browser.visit(t + 150 * MS + rng.nextLong(300 * MS), s, assets[rng.nextInt(assets.length)], true,
                        1 + rng.nextInt(4), 500, 40_000);
            }
        }));
    }

    /** {@code ping -c count} to the gateway: 56 data bytes, a timeval then 0x10, 0x11, ... */
    private void laptopPings(Sim sim, long at, int count, SplittableRandom rng) {
        int id = rng.nextInt(1 << 16);
        int[] seq = {0};
        int[] ipId = {rng.nextInt(1 << 16)};
        sim.at(at, new Periodic(SECOND, 200_000, at + (count - 1) * SECOND + SECOND / 2, rng, (now, s) -> {
            int rest = (id << 16) | (++seq[0] & 0xffff);
            long sent = now;
            int requestId = ipId[0]++ & 0xffff;
            int replyId = rng.nextInt(1 << 16);
            s.at(now, Burst.exchange(
                    (f, t) -> echoData(laptop.ipv4To(f, gateway, Frame.PROTO_ICMP, 64, requestId, true).icmp(8, 0, rest), sent),
                    300_000 + rng.nextLong(1_200_000),
                    (f, t) -> echoData(gateway.ipv4To(f, laptop, Frame.PROTO_ICMP, 64, replyId, false).icmp(0, 0, rest), sent)));
        }));
    }

    private static void echoData(Frame f, long sentNanos) {
        long sec = sentNanos / SECOND;
        long usec = sentNanos % SECOND / 1000;
        for (int i = 0; i < 8; i++) {
            f.u8((int) (sec >>> (8 * i)));
        }
        for (int i = 0; i < 8; i++) {
            f.u8((int) (usec >>> (8 * i)));
        }
        for (int b = 0x10; b < 0x38; b++) {
            f.u8(b);
        }
    }
}
