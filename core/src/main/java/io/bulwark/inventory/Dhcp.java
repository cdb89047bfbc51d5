package io.bulwark.inventory;

import java.nio.ByteBuffer;
import java.util.function.BiConsumer;

/**
 * What a DHCP client tells about itself: DHCPv4 requests (RFC 2131/2132) and DHCPv6 client
 * messages (RFC 8415). Never throws: bad bytes end the parse with what was read.
 *
 * <pre>
 * DHCPv4 (UDP 68 to 67):
 *   0 op (1 = request) | 1 htype | 2 hlen | 3 hops | 4 xid (4) | 8 secs | 10 flags
 *  12 ciaddr | 16 yiaddr | 20 siaddr | 24 giaddr | 28 chaddr (16) | 44 sname (64) | 108 file (128)
 * 236 magic cookie 63 82 53 63 | 240 options: code (1) | length (1) | value; 0 pad, 255 end
 *   options kept: 12 host name, 60 vendor class, 55 parameter request list (the fingerprint),
 *   161 MUD URL (RFC 8520 section 10)
 * DHCPv6 (UDP 546 to 547):
 *   0 msg-type | 1 transaction id (3) | 4 options: code (2) | length (2) | value
 *   options kept: 112 MUD URL (RFC 8520 section 10), 39 client FQDN, 16 vendor class,
 *   6 option request (the fingerprint)
 * </pre>
 */
final class Dhcp {
    private static final int COOKIE = 0x63825363;
    private static final int MAX_OPTIONS = 128;

    private Dhcp() {
    }

    /**
     * Parses a DHCPv4 client message. Returns the client hardware address (chaddr) of an
     * Ethernet request, or -1 when this is no client request; {@code out} gets the observations.
     */
    static long v4(ByteBuffer b, int off, int len, BiConsumer<String, String> out) {
        int end = off + len;
        if (len < 244 || Wire.u8(b, off, end) != 1 || Wire.u8(b, off + 1, end) != 1 || Wire.u8(b, off + 2, end) != 6
                || b.getInt(off + 236) != COOKIE) {
            return -1;
        }
        long mac = 0;
        for (int i = 0; i < 6; i++) {
            mac = (mac << 8) | Wire.u8(b, off + 28 + i, end);
        }
        int at = off + 240;
        for (int n = 0; n < MAX_OPTIONS && at < end; n++) {
            int code = Wire.u8(b, at, end);
            if (code == 255) {
                break;
            }
            if (code == 0) {
                at++;
                continue;
            }
            int olen = Wire.u8(b, at + 1, end);
            int v = at + 2;
            if (olen < 0 || v + olen > end) {
                break;
            }
            switch (code) {
                case 12 -> out.accept("dhcp.hostname", Wire.text(b, v, v + olen));
                case 60 -> out.accept("dhcp.vendor_class", Wire.text(b, v, v + olen));
                case 161 -> out.accept("dhcp.mud_url", Wire.text(b, v, v + olen));
                case 55 -> out.accept("dhcp.prl", list(b, v, olen, 1));
                default -> {
                }
            }
            at = v + olen;
        }
        return mac;
    }

    /** Parses a DHCPv6 client message (Solicit, Request, Renew, Rebind, Information-request). */
    static void v6(ByteBuffer b, int off, int len, BiConsumer<String, String> out) {
        int end = off + len;
        int type = Wire.u8(b, off, end);
        if (type != 1 && type != 3 && type != 5 && type != 6 && type != 11) {
            return;
        }
        int at = off + 4;
        for (int n = 0; n < MAX_OPTIONS && at + 4 <= end; n++) {
            int code = Wire.u16(b, at, end);
            int olen = Wire.u16(b, at + 2, end);
            int v = at + 4;
            if (v + olen > end) {
                break;
            }
            switch (code) {
                case 112 -> out.accept("dhcp6.mud_url", Wire.text(b, v, v + olen));
                case 6 -> out.accept("dhcp6.oro", list(b, v, olen, 2));
                case 39 -> {
                    StringBuilder sb = new StringBuilder();
                    if (olen > 1 && Wire.dnsName(b, v + 1, v + 1, v + olen, sb) > 0 && sb.length() > 0) {
                        out.accept("dhcp.hostname", Wire.cap(sb.toString()));
                    }
                }
                case 16 -> {
                    // enterprise number (4), then vendor-class-data items: length (2) | opaque
                    int l = Wire.u16(b, v + 4, v + olen);
                    if (l > 0 && v + 6 + l <= v + olen) {
                        out.accept("dhcp.vendor_class", Wire.text(b, v + 6, v + 6 + l));
                    }
                }
                default -> {
                }
            }
            at = v + olen;
        }
    }

    /** "1,3,6,15" from a list of 1- or 2-byte codes, the order kept: that order is the fingerprint. */
    private static String list(ByteBuffer b, int v, int len, int width) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + width <= len && sb.length() < Observation.MAX_VALUE - 6; i += width) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(width == 1 ? b.get(v + i) & 0xff : ((b.get(v + i) & 0xff) << 8) | (b.get(v + i + 1) & 0xff));
        }
        return sb.toString();
    }
}
