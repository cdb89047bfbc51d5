package io.bulwark.decode.export;

import java.nio.ByteBuffer;

/**
 * Tells flow-export datagrams apart by their first bytes, so that NetFlow v5, v9 and IPFIX
 * share one port (as the collector contract says) and a capture of export traffic is
 * recognised by content. Only plausibility is checked here; the decoders check everything.
 *
 * <pre>
 *  NetFlow v5   0 version=5 (u16) | count 1..30 (u16) ...  24-byte header, 48-byte records
 *  NetFlow v9   0 version=9 (u16) | count (u16) ... 20-byte header, then flowset id (0, 1, >=256) | length >= 4
 *  IPFIX        0 version=10 (u16) | length (u16) == datagram length ... 16-byte header
 *  sFlow v5     0 version=5 (u32) | 4 agent address type 1 (IPv4) or 2 (IPv6) ...
 * </pre>
 */
public enum ExportFormat {
    NETFLOW, SFLOW, NONE;

    public static ExportFormat of(ByteBuffer b, int off, int len) {
        if (len < 16) {
            return NONE;
        }
        int v16 = b.getShort(off) & 0xffff;
        int second = b.getShort(off + 2) & 0xffff;
        switch (v16) {
            case 5:
                return second >= 1 && second <= 30 && len >= 24 + 48 * second ? NETFLOW : NONE;
            case 9:
                if (len < 24) {
                    return NONE;
                }
                int setId = b.getShort(off + 20) & 0xffff;
                int setLen = b.getShort(off + 22) & 0xffff;
                return (setId <= 1 || setId >= 256) && setLen >= 4 && setLen <= len - 20 ? NETFLOW : NONE;
            case 10:
                return second == len ? NETFLOW : NONE;
            case 0:
                if (len >= 28 && second == 5) {
                    int addrType = b.getInt(off + 4);
                    return addrType == 1 || addrType == 2 ? SFLOW : NONE;
                }
                return NONE;
            default:
                return NONE;
        }
    }
}
