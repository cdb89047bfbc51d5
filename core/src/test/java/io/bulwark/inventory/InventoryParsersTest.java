package io.bulwark.inventory;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryParsersTest {
    private final List<String> seen = new ArrayList<>();
    private final BiConsumer<String, String> sink = (s, v) -> seen.add(s + "=" + v);

    /** A DHCPDISCOVER (RFC 2131) from 50:c7:bf:00:c7:03 with host name, vendor class, PRL and MUD URL (RFC 8520 10). */
    static byte[] dhcpDiscover() {
        ByteBuffer b = ByteBuffer.allocate(400);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0);     // op BOOTREQUEST, htype Ethernet, hlen 6, hops
        b.putInt(0x6c73eccc);                                           // xid
        b.putShort((short) 0).putShort((short) 0);                      // secs, flags
        b.position(28);
        b.put(new byte[]{0x50, (byte) 0xc7, (byte) 0xbf, 0x00, (byte) 0xc7, 0x03}); // chaddr
        b.position(236);
        b.putInt(0x63825363);                                           // magic cookie
        b.put((byte) 53).put((byte) 1).put((byte) 1);                   // DHCPDISCOVER
        b.put((byte) 0);                                                // pad
        opt(b, 12, "HS110(EU)");
        opt(b, 60, "udhcp 0.9.9-pre");
        b.put((byte) 55).put((byte) 6).put(new byte[]{1, 3, 6, 12, 15, 28});
        opt(b, 161, "https://mud.bulwark.invalid/tplink/hs110");
        b.put((byte) 255);
        byte[] out = new byte[b.position()];
        b.flip();
        b.get(out);
        return out;
    }

    private static void opt(ByteBuffer b, int code, String v) {
        b.put((byte) code).put((byte) v.length()).put(v.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void dhcpV4_discover_givesHardwareAddressAndOptionsWithMudUrl() {
        byte[] d = dhcpDiscover();
        long mac = Dhcp.v4(ByteBuffer.wrap(d), 0, d.length, sink);
        assertThat(mac).isEqualTo(0x50c7bf00c703L);
        assertThat(seen).containsExactly("dhcp.hostname=HS110(EU)", "dhcp.vendor_class=udhcp 0.9.9-pre",
                "dhcp.prl=1,3,6,12,15,28", "dhcp.mud_url=https://mud.bulwark.invalid/tplink/hs110");
    }

    @Test
    void dhcpV4_everyTruncationAndCorruption_neverThrows() {
        byte[] d = dhcpDiscover();
        for (int n = 0; n <= d.length; n++) {
            Dhcp.v4(ByteBuffer.wrap(d), 0, n, sink);
        }
        for (int i = 240; i < d.length; i++) {
            byte[] c = d.clone();
            c[i] = (byte) 0xfe;
            Dhcp.v4(ByteBuffer.wrap(c), 0, c.length, sink);
        }
    }

    @Test
    void dhcpV4_serverReply_isNotAClientMessage() {
        byte[] d = dhcpDiscover();
        d[0] = 2;
        assertThat(Dhcp.v4(ByteBuffer.wrap(d), 0, d.length, sink)).isEqualTo(-1);
        assertThat(seen).isEmpty();
    }

    /** DHCPv6 SOLICIT (RFC 8415) with ORO and the MUD URL option 112. */
    @Test
    void dhcpV6_solicit_givesMudUrlAndOptionRequests() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(1);                                                     // SOLICIT
        o.writeBytes(new byte[]{0x12, 0x34, 0x56});                     // transaction id
        o.writeBytes(new byte[]{0, 6, 0, 4, 0, 23, 0, 24});             // ORO: DNS servers, domain list
        byte[] url = "https://mud.example.com/bulb".getBytes(StandardCharsets.US_ASCII);
        o.writeBytes(new byte[]{0, 112, 0, (byte) url.length});
        o.writeBytes(url);
        byte[] d = o.toByteArray();
        Dhcp.v6(ByteBuffer.wrap(d), 0, d.length, sink);
        assertThat(seen).containsExactly("dhcp6.oro=23,24", "dhcp6.mud_url=https://mud.example.com/bulb");
        for (int n = 0; n <= d.length; n++) {
            Dhcp.v6(ByteBuffer.wrap(d), 0, n, sink);
        }
    }

    /** An mDNS announcement (RFC 6762): PTR to an instance, SRV to a host, TXT with a model key. */
    static byte[] mdnsAnnouncement() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[]{0, 0, (byte) 0x84, 0, 0, 0, 0, 3, 0, 0, 0, 0}); // response, 3 answers
        int service = o.size();
        name(o, "_hap", "_tcp", "local");                               // owner: _hap._tcp.local
        o.writeBytes(new byte[]{0, 12, 0, 1, 0, 0, 0x11, (byte) 0x94});
        ByteArrayOutputStream rd = new ByteArrayOutputStream();
        label(rd, "Philips hue - 2476FF");
        rd.writeBytes(new byte[]{(byte) 0xc0, (byte) service});        // pointer to _hap._tcp.local
        o.writeBytes(new byte[]{0, (byte) rd.size()});
        int instance = o.size();
        o.writeBytes(rd.toByteArray());
        o.writeBytes(new byte[]{(byte) 0xc0, (byte) instance});         // owner: the instance
        o.writeBytes(new byte[]{0, 33, (byte) 0x80, 1, 0, 0, 0, 120});
        ByteArrayOutputStream srv = new ByteArrayOutputStream();
        srv.writeBytes(new byte[]{0, 0, 0, 0, 0x1f, (byte) 0x90});       // priority, weight, port 8080
        name(srv, "Philips-hue", "local");
        o.writeBytes(new byte[]{0, (byte) srv.size()});
        o.writeBytes(srv.toByteArray());
        o.writeBytes(new byte[]{(byte) 0xc0, (byte) instance});
        o.writeBytes(new byte[]{0, 16, (byte) 0x80, 1, 0, 0, 0, 120});
        ByteArrayOutputStream txt = new ByteArrayOutputStream();
        label(txt, "md=BSB002");
        label(txt, "secret=xyz");
        o.writeBytes(new byte[]{0, (byte) txt.size()});
        o.writeBytes(txt.toByteArray());
        return o.toByteArray();
    }

    private static void name(ByteArrayOutputStream o, String... labels) {
        for (String l : labels) {
            label(o, l);
        }
        o.write(0);
    }

    private static void label(ByteArrayOutputStream o, String l) {
        o.write(l.length());
        o.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void mdns_announcement_givesServiceInstanceHostAndModelKeyOnly() {
        byte[] m = mdnsAnnouncement();
        Mdns.read(ByteBuffer.wrap(m), 0, m.length, sink);
        assertThat(seen).containsExactly("mdns.service=_hap._tcp.local", "mdns.instance=Philips hue - 2476FF",
                "mdns.host=Philips-hue.local", "mdns.txt=md=BSB002");
    }

    @Test
    void mdns_compressionLoopTruncationAndCorruption_neverThrowNorHang() {
        byte[] loop = {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, (byte) 0xc0, 12, 0, 12, 0, 1, 0, 0, 0, 1, 0, 2,
                (byte) 0xc0, 24};
        Mdns.read(ByteBuffer.wrap(loop), 0, loop.length, sink);
        byte[] m = mdnsAnnouncement();
        for (int n = 0; n <= m.length; n++) {
            Mdns.read(ByteBuffer.wrap(m), 0, n, sink);
        }
        for (int i = 0; i < m.length; i++) {
            byte[] c = m.clone();
            c[i] = (byte) 0xc0;
            Mdns.read(ByteBuffer.wrap(c), 0, c.length, sink);
        }
    }

    @Test
    void ssdp_notify_keepsServerTypeLocationAndUserAgent() {
        byte[] s = ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nLOCATION: http://10.10.10.252:49153/setup.xml\r\n"
                + "NT: urn:Belkin:device:controllee:1\r\nSERVER: Unspecified, UPnP/1.0, Unspecified\r\n"
                + "X-User-Agent: redsonic\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(s), 0, s.length, "ssdp", sink);
        assertThat(seen).containsExactly("ssdp.location=http://10.10.10.252:49153/setup.xml",
                "ssdp.type=urn:Belkin:device:controllee:1", "ssdp.server=Unspecified, UPnP/1.0, Unspecified",
                "ssdp.user_agent=redsonic");
    }

    @Test
    void ssdp_search_doesNotTakeTheSearchTargetAsTheDevicesType() {
        byte[] s = ("M-SEARCH * HTTP/1.1\r\nST: urn:schemas-upnp-org:device:InternetGatewayDevice:1\r\n"
                + "USER-AGENT: Linux/3.0 UPnP/1.1 DCS/1\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(s), 0, s.length, "ssdp", sink);
        assertThat(seen).containsExactly("ssdp.user_agent=Linux/3.0 UPnP/1.1 DCS/1");
    }

    @Test
    void http_request_keepsUserAgentHostAndOnlyThePresenceOfBasicCredentials() {
        byte[] s = ("GET /cgi HTTP/1.1\r\nHost: cam.example\r\nUser-Agent: curl/7.1\r\n"
                + "Authorization: Basic YWRtaW46YWRtaW4=\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(s), 0, s.length, "http", sink);
        assertThat(seen).containsExactly("http.host=cam.example", "http.user_agent=curl/7.1",
                "http.basic_auth=Authorization: Basic (value not kept)");
        assertThat(String.join(" ", seen)).doesNotContain("YWRtaW46YWRtaW4");
    }

    @Test
    void http_headersInTheSegmentAfterTheRequestLine_areStillRead() {
        byte[] s = "Host: www.fitbit.com\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderLines.continuation(ByteBuffer.wrap(s), 0, s.length)).isTrue();
        HeaderLines.read(ByteBuffer.wrap(s), 0, s.length, "http", sink);
        assertThat(seen).containsExactly("http.host=www.fitbit.com");
        byte[] body = "{\"Host: x\"}".getBytes(StandardCharsets.US_ASCII);
        assertThat(HeaderLines.continuation(ByteBuffer.wrap(body), 0, body.length)).isFalse();
    }

    @Test
    void banners_telnetNegotiationIsStripped_sshAndFtpFirstLine() {
        byte[] t = {(byte) 255, (byte) 251, 1, (byte) 255, (byte) 250, 24, 1, (byte) 255, (byte) 240,
                'D', 'V', 'R', ' ', 'l', 'o', 'g', 'i', 'n', ':', ' '};
        assertThat(Banner.telnet(ByteBuffer.wrap(t), 0, t.length)).isEqualTo("DVR login:");
        assertThat(Banner.telnet(ByteBuffer.wrap(t), 0, 3)).isEqualTo("(option negotiation only)");
        for (int n = 0; n <= t.length; n++) {
            Banner.telnet(ByteBuffer.wrap(t), 0, n);
        }
        byte[] s = "SSH-2.0-dropbear_2019.78\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Banner.line(ByteBuffer.wrap(s), 0, s.length, "SSH-")).isEqualTo("SSH-2.0-dropbear_2019.78");
        byte[] f = "220 (vsFTPd 3.0.3)\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(Banner.line(ByteBuffer.wrap(f), 0, f.length, "220")).isEqualTo("220 (vsFTPd 3.0.3)");
        assertThat(Banner.line(ByteBuffer.wrap(f), 0, f.length, "SSH-")).isNull();
    }

    @Test
    void http_requestForAFirmwareFile_isAnUpdateInCleartext() {
        byte[] s = "GET /firmware/hs110_v1.2.bin HTTP/1.1\r\nHost: fw.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(s), 0, s.length, "http", sink);
        assertThat(seen).containsExactly("http.update=GET /firmware/hs110_v1.2.bin", "http.host=fw.example");
        seen.clear();
        byte[] page = "GET /index.html HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(page), 0, page.length, "http", sink);
        byte[] bin = "GET /images/logo.bin HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        HeaderLines.read(ByteBuffer.wrap(bin), 0, bin.length, "http", sink);
        assertThat(seen).isEmpty();
    }
}
