package io.bulwark.inventory;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * What a device announces about itself over multicast DNS (RFC 6762) and DNS-SD (RFC 6763):
 * its service instance names ("D-Link DCS-935L Configuration Utility"), service types
 * ("_hap._tcp.local"), host names, the names it probes for, and model and firmware keys of its
 * TXT records. Never throws; at most {@link #MAX_RECORDS} records per message.
 *
 * <pre>
 *  header (12): id | flags | QDCOUNT | ANCOUNT | NSCOUNT | ARCOUNT
 *  question:  NAME | TYPE (2) | CLASS (2)
 *  record:    NAME | TYPE (2) | CLASS (2) | TTL (4) | RDLENGTH (2) | RDATA
 *  PTR (12): a name; SRV (33): priority | weight | port | target name; TXT (16): length-prefixed strings
 * </pre>
 */
final class Mdns {
    private static final int MAX_RECORDS = 64;
    /** TXT keys that carry model, type or firmware in common DNS-SD profiles (HomeKit, IPP, Google Cast, vendors). */
    private static final Set<String> TXT_KEYS = Set.of("md", "model", "mdl", "ty", "fw", "fv", "fwversion", "firmware",
            "manufacturer", "mf", "vendor", "usb_mfg", "usb_mdl", "product", "modelid", "sw", "swversion", "vs");

    private Mdns() {
    }

    static void read(ByteBuffer b, int off, int len, BiConsumer<String, String> out) {
        int end = off + len;
        int qd = Wire.u16(b, off + 4, end);
        int an = Wire.u16(b, off + 6, end);
        int ns = Wire.u16(b, off + 8, end);
        int ar = Wire.u16(b, off + 10, end);
        if (ar < 0) {
            return;
        }
        int at = off + 12;
        int budget = MAX_RECORDS;
        for (int i = 0; i < qd && budget-- > 0; i++) {
            StringBuilder name = new StringBuilder();
            at = Wire.dnsName(b, off, at, end, name);
            int type = Wire.u16(b, at, end);
            if (at < 0 || type < 0) {
                return;
            }
            at += 4;
            // A probe (RFC 6762 8.1) asks ANY for the name the device is about to claim.
            if (type == 255 && name.length() > 0) {
                claim(name.toString(), out);
            }
        }
        int records = an + ns + ar;
        for (int i = 0; i < records && budget-- > 0; i++) {
            StringBuilder owner = new StringBuilder();
            at = Wire.dnsName(b, off, at, end, owner);
            int type = Wire.u16(b, at, end);
            int rdlen = Wire.u16(b, at + 8, end);
            if (at < 0 || rdlen < 0 || at + 10 + rdlen > end) {
                return;
            }
            int rd = at + 10;
            switch (type) {
                case 12 -> {
                    StringBuilder target = new StringBuilder();
                    if (Wire.dnsName(b, off, rd, rd + rdlen, target) > 0 && owner.length() > 0 && owner.charAt(0) == '_'
                            && !owner.toString().startsWith("_services.")) {
                        out.accept("mdns.service", Wire.cap(owner.toString()));
                        instance(target.toString(), owner.toString(), out);
                    }
                }
                case 33 -> {
                    StringBuilder target = new StringBuilder();
                    if (Wire.dnsName(b, off, rd + 6, rd + rdlen, target) > 0 && target.length() > 0) {
                        out.accept("mdns.host", Wire.cap(target.toString()));
                    }
                }
                case 16 -> txt(b, rd, rd + rdlen, out);
                default -> {
                }
            }
            at = rd + rdlen;
        }
    }

    private static void claim(String name, BiConsumer<String, String> out) {
        int dot = name.indexOf("._");
        if (name.charAt(0) == '_') {
            return; // a service type, not a name the device claims
        }
        if (dot > 0) {
            instance(name, name.substring(dot + 1), out);
        } else if (name.charAt(0) != '_' && name.toLowerCase(Locale.ROOT).endsWith(".local")) {
            out.accept("mdns.host", Wire.cap(name));
        }
    }

    private static void instance(String full, String service, BiConsumer<String, String> out) {
        if (full.endsWith("." + service) && full.length() > service.length() + 1) {
            out.accept("mdns.instance", Wire.cap(full.substring(0, full.length() - service.length() - 1)));
        }
    }

    private static void txt(ByteBuffer b, int at, int end, BiConsumer<String, String> out) {
        for (int n = 0; n < 32 && at < end; n++) {
            int l = Wire.u8(b, at, end);
            if (l < 0 || at + 1 + l > end) {
                return;
            }
            String kv = Wire.text(b, at + 1, at + 1 + l);
            int eq = kv.indexOf('=');
            if (eq > 0 && eq < kv.length() - 1 && TXT_KEYS.contains(kv.substring(0, eq).toLowerCase(Locale.ROOT))) {
                out.accept("mdns.txt", kv);
            }
            at += 1 + l;
        }
    }
}
