package io.bulwark.inventory;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passive inventory's packet hook: reads what local devices say about themselves. Looks only
 * at a few packets (the cost per packet is a handful of int compares for everything else):
 *
 * <ul>
 *   <li>UDP to known ports: DHCPv4 client requests (68 to 67, keyed by the client hardware
 *       address, since the client often has no address yet), DHCPv6 (546 to 547), mDNS (5353)
 *       and SSDP (1900) sent by a local device;</li>
 *   <li>TCP payload among the first {@link #FIRST_PACKETS} packets of each direction of a flow:
 *       the client's TLS ClientHello or HTTP request, the server's banner (telnet, SSH, FTP) or
 *       HTTP response, when the sender is a local device.</li>
 * </ul>
 *
 * Bounded: at most {@code maxDevices} devices by address and as many by MAC, each with at most
 * {@link Observations#MAX_PER_DEVICE} observations; beyond that new devices are counted as
 * {@code inventory_table_full}. Work is bounded too: each device's payloads of one kind (HTTP
 * requests, ClientHellos, banners, announcements) are parsed {@link Observations#PARSES_PER_KIND}
 * times at most, since a device repeats itself. One thread; not thread-safe.
 */
public final class InventoryTap {
    /** Payload packets per direction inspected: enough for a handshake, a greeting and a reply. */
    public static final int FIRST_PACKETS = 4;
    private final LocalNets nets;
    private final int maxDevices;
    private final AnomalyCounters anomalies;
    private final Map<IpAddr, Observations> byIp = new HashMap<>();
    private final Map<Long, Observations> byMac = new HashMap<>();
    /**
     * Observations all devices together may keep: 256 Ki, about 60 MB at the 128-character
     * bound (typically a tenth of it). Beyond it nothing new is kept, counted once as
     * {@code inventory_table_full}: whatever the traffic, the inventory's heap stays bounded.
     */
    public static final long MAX_OBSERVATIONS = 1 << 18;
    private final long[] budget = {MAX_OBSERVATIONS};
    private boolean budgetCounted;

    public InventoryTap(LocalNets nets, int maxDevices, AnomalyCounters anomalies) {
        this.nets = nets;
        this.maxDevices = maxDevices;
        this.anomalies = anomalies;
    }

    /** A decoded packet and its flow entry (valid only during the call). Never throws on payload bytes. */
    public void onPacket(Packet p, FlowEntry flow) {
        if (p.payloadLength == 0 || p.fragment) {
            return;
        }
        if (p.protocol == 17) {
            udp(p);
        } else if (p.protocol == 6) {
            boolean fromA = flow.fromOriginator();
            long n = fromA ? flow.packetsFromOriginator() : flow.packetsFromResponder();
            if (n <= FIRST_PACKETS && nets.isDevice(p.srcHi, p.srcLo)) {
                tcp(p, fromA);
            }
        }
    }

    private void udp(Packet p) {
        int sp = p.srcPort, dp = p.dstPort;
        ByteBuffer b = p.buf;
        int off = p.payloadOffset, len = p.payloadLength;
        if (sp == 68 && dp == 67) {
            Observations scratch = new Observations();
            long mac = Dhcp.v4(b, off, len, scratch::add);
            if (mac >= 0) {
                Observations o = byMac(mac);
                if (o != null) {
                    o.addAll(scratch);
                }
            }
            return;
        }
        boolean v6dhcp = sp == 546 && dp == 547;
        if (!v6dhcp && sp != 5353 && dp != 1900 && sp != 1900) {
            return;
        }
        Observations o = v6dhcp ? (p.hasMac ? byMac(p.srcMac) : null) : bySource(p);
        if (o == null || o.full()) {
            return;
        }
        if (v6dhcp) {
            if (o.spend(Observations.DHCP)) {
                Dhcp.v6(b, off, len, o::add);
            }
        } else if (sp == 5353) {
            if (o.spend(Observations.MDNS)) {
                Mdns.read(b, off, len, o::add);
            }
        } else if (o.spend(Observations.SSDP)) {
            HeaderLines.Start s = HeaderLines.start(b, off, off + len);
            if (s != HeaderLines.Start.NONE) {
                HeaderLines.read(b, off, len, "ssdp", o::add);
            }
        }
    }

    private void tcp(Packet p, boolean client) {
        ByteBuffer b = p.buf;
        int off = p.payloadOffset, len = p.payloadLength, end = off + len;
        // What the payload is, from its first bytes, before the device is looked up: most
        // payload packets (TLS records after the hello, binary protocols) hold nothing to read.
        int kind;
        if (client) {
            kind = (b.get(off) & 0xff) == 0x16 ? Observations.TLS
                    : HeaderLines.start(b, off, end) == HeaderLines.Start.REQUEST
                    || HeaderLines.continuation(b, off, end) ? Observations.HTTP : -1;
        } else {
            int port = p.srcPort;
            kind = port == 23 || port == 2323 || port == 21 || Wire.startsWith(b, off, end, "SSH-") ? Observations.BANNER
                    : HeaderLines.start(b, off, end) == HeaderLines.Start.RESPONSE ? Observations.HTTP_SERVER : -1;
        }
        if (kind < 0) {
            return;
        }
        Observations o = bySource(p);
        if (o == null || o.full() || !o.spend(kind)) {
            return;
        }
        switch (kind) {
            case Observations.TLS -> {
                ClientHello h = ClientHello.read(b, off, len);
                if (h != null) {
                    o.add("tls.ja4", h.ja4());
                    o.add("tls.version", ClientHello.versionName(h.version()));
                    o.add("tls.sni", h.sni());
                }
            }
            case Observations.BANNER -> {
                int port = p.srcPort;
                if (port == 23 || port == 2323) {
                    o.add("banner.telnet", Banner.telnet(b, off, len));
                } else if (Wire.startsWith(b, off, end, "SSH-")) {
                    o.add("banner.ssh", Banner.line(b, off, len, "SSH-"));
                } else {
                    o.add("banner.ftp", Banner.line(b, off, len, "220"));
                }
            }
            default -> HeaderLines.read(b, off, len, "http", o::add);
        }
    }

    /** The sender's observations when the sender is a local device, else null. */
    private Observations bySource(Packet p) {
        if (!nets.isDevice(p.srcHi, p.srcLo)) {
            return null;
        }
        if (budget[0] <= 0) {
            if (!budgetCounted) {
                budgetCounted = true;
                anomalies.count(Anomaly.inventory_table_full, p.fileOffset);
            }
            return null;
        }
        IpAddr ip = new IpAddr(p.srcHi, p.srcLo);
        Observations o = byIp.get(ip);
        if (o == null) {
            if (byIp.size() >= maxDevices) {
                anomalies.count(Anomaly.inventory_table_full, p.fileOffset);
                return null;
            }
            o = new Observations(budget);
            byIp.put(ip, o);
        }
        return o;
    }

    private Observations byMac(long mac) {
        Observations o = byMac.get(mac);
        if (o == null) {
            if (byMac.size() >= maxDevices) {
                anomalies.count(Anomaly.inventory_table_full, -1);
                return null;
            }
            o = new Observations(budget);
            byMac.put(mac, o);
        }
        return o;
    }

    /**
     * A flow that ended (from packets or from a flow input): for a local device that opened it
     * to a peer outside the local networks, the peer's service is remembered (what flow mode can
     * show besides the services the device answered). Per flow: a lookup and a short int scan.
     */
    public void onFlow(FlowRecord f) {
        IpAddr src = f.src();
        if ((f.protocol() == 6 || f.protocol() == 17) && nets.isDevice(src.hi(), src.lo()) && !nets.contains(f.dst())
                && f.packetsIn() > 0) {
            Observations o = byIp.get(src);
            if (o == null) {
                if (byIp.size() >= maxDevices) {
                    anomalies.count(Anomaly.inventory_table_full, -1);
                    return;
                }
                o = new Observations(budget);
                byIp.put(src, o);
            }
            o.contacted(f.protocol(), f.dstPort());
        }
    }

    /** The MUD URL a device announced (DHCPv4 option 161 or DHCPv6 option 112), or null. No allocation. */
    public String mudUrl(IpAddr ip, long mac) {
        String u = mac >= 0 ? mudUrl(byMac.get(mac)) : null;
        return u != null ? u : mudUrl(byIp.get(ip));
    }

    private static String mudUrl(Observations o) {
        if (o == null) {
            return null;
        }
        String u = o.first("dhcp.mud_url");
        return u != null ? u : o.first("dhcp6.mud_url");
    }

    /**
     * The profile of one device: what its address and its MAC said, its OUI vendor, and the
     * services it answered (the only evidence in flow mode), classified.
     *
     * @param mac      -1 when unknown
     * @param services as "tcp/23"
     */
    public DeviceProfile profile(IpAddr ip, long mac, List<String> services, Oui oui) {
        return profile(ip, List.of(), mac, services, oui);
    }

    /**
     * As {@link #profile(IpAddr, long, List, Oui)}, for a device also seen at other addresses of
     * the same MAC (its IPv6 link-local ones): what it said from them counts too, and each
     * such address is kept as an {@code addr.link_local} observation.
     */
    public DeviceProfile profile(IpAddr ip, List<IpAddr> alsoAt, long mac, List<String> services, Oui oui) {
        Observations extra = new Observations();
        for (IpAddr a : alsoAt) {
            extra.add("addr.link_local", a.toString());
        }
        for (IpAddr a : alsoAt) {
            extra.addAll(byIp.get(a));
        }
        return profile(byIp.get(ip), mac >= 0 ? byMac.get(mac) : null, extra, mac, services, oui);
    }

    private static DeviceProfile profile(Observations byIp, Observations byMac, Observations extra, long mac,
                                         List<String> services, Oui oui) {
        Observations all = new Observations();
        String vendor = oui.vendor(mac);
        all.add("oui", vendor);
        for (String s : services) {
            all.add("service", s);
        }
        all.addAll(byMac);
        all.addAll(byIp);
        all.addAll(extra);
        List<Observation> list = all.list();
        DeviceClassifier.Result c = DeviceClassifier.defaults().classify(list);
        String mud = null;
        for (Observation o : list) {
            if (o.source().equals("dhcp.mud_url") || o.source().equals("dhcp6.mud_url")) {
                mud = o.value();
                break;
            }
        }
        // The product's own name over a Wi-Fi chip maker's OUI (docs/inventory.md, "Vendor").
        String named = ProductVendor.defaults().vendor(vendor, list);
        return new DeviceProfile(named, c.deviceClass(), c.evidence(), mud, new ArrayList<>(list));
    }
}
