package io.bulwark.simulate;

/**
 * NTPv4 client requests and server replies (RFC 5905 section 7.3), 48 bytes each, with
 * timestamps taken from traffic time.
 *
 * <pre>
 *  0  LI 2 bits | VN 3 | mode 3     1 stratum     2 poll     3 precision
 *  4  root delay 4    8 root dispersion 4    12 reference id 4
 *  16 reference ts 8  24 origin ts 8    32 receive ts 8    40 transmit ts 8
 * </pre>
 */
final class Ntp {
    static final int PORT = 123;
    /** Seconds from the NTP era 0 epoch (1900) to the Unix epoch. */
    private static final long EPOCH_OFFSET = 2_208_988_800L;

    private Ntp() {
    }

    /** NTP 64-bit timestamp: seconds since 1900 and a 32-bit binary fraction. */
    static long timestamp(long unixNanos) {
        long sec = unixNanos / 1_000_000_000L + EPOCH_OFFSET;
        long frac = ((unixNanos % 1_000_000_000L) << 32) / 1_000_000_000L;
        return (sec << 32) | frac;
    }

    /** A client request (VN 4, mode 3) whose only timestamp is its transmit time. */
    static void request(Frame f, long nowNanos) {
        f.u8(0x23).u8(0).u8(6).u8(0xe9).u32(0).u32(0).u32(0);
        f.zeros(24);
        put64(f, timestamp(nowNanos));
    }

    /** A stratum-2 server reply (VN 4, mode 4) to a request sent at {@code requestNanos}. */
    static void reply(Frame f, long requestNanos, long nowNanos, int referenceId) {
        f.u8(0x24).u8(2).u8(6).u8(0xe8).u32(0x0000_0123).u32(0x0000_0456).u32(referenceId);
        // The server receives halfway through the round trip and answers 20 us later.
        long received = requestNanos + (nowNanos - requestNanos) / 2;
        put64(f, timestamp(nowNanos - 37_000_000_000L));
        put64(f, timestamp(requestNanos));
        put64(f, timestamp(received));
        put64(f, timestamp(received + 20_000));
    }

    /** A request from {@code client} and, one round trip later, the reply. */
    static Burst exchange(Endpoint client, Endpoint server, int clientPort, int ipId, long rttNanos,
                          int serverTtl, int referenceId) {
        long[] sentAt = new long[1];
        return Burst.exchange(
                (f, now) -> {
                    sentAt[0] = now;
                    client.udpTo(f, server, clientPort, PORT, 64, ipId);
                    request(f, now);
                },
                rttNanos,
                (f, now) -> {
                    server.udpTo(f, client, PORT, clientPort, serverTtl, ipId * 31 + 7);
                    reply(f, sentAt[0], now, referenceId);
                });
    }

    private static void put64(Frame f, long v) {
        f.u32((int) (v >>> 32)).u32((int) v);
    }
}
