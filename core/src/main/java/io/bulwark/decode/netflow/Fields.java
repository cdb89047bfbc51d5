package io.bulwark.decode.netflow;

import java.nio.ByteBuffer;

/**
 * The information elements Bulwark reads (IANA IPFIX registry numbers, which NetFlow v9 shares
 * below 128), each mapped to a small "role" index so that a parsed template can hold, per role,
 * the field's offset and length in one int array. Anything else is skipped by its length.
 */
final class Fields {
    static final int SRC4 = 0;              // sourceIPv4Address 8
    static final int DST4 = 1;              // destinationIPv4Address 12
    static final int SRC6 = 2;              // sourceIPv6Address 27
    static final int DST6 = 3;              // destinationIPv6Address 28
    static final int SRC_PORT = 4;          // sourceTransportPort 7
    static final int DST_PORT = 5;          // destinationTransportPort 11
    static final int PROTO = 6;             // protocolIdentifier 4
    static final int TCP_FLAGS = 7;         // tcpControlBits 6
    static final int OCTETS = 8;            // octetDeltaCount 1
    static final int PACKETS = 9;           // packetDeltaCount 2
    static final int OCTETS_TOTAL = 10;     // octetTotalCount 85
    static final int PACKETS_TOTAL = 11;    // packetTotalCount 86
    static final int IP_VERSION = 12;       // ipVersion 60
    static final int ICMP4 = 13;            // icmpTypeCodeIPv4 32
    static final int ICMP6 = 14;            // icmpTypeCodeIPv6 139
    static final int START_UPTIME = 15;     // flowStartSysUpTime 22, ms
    static final int END_UPTIME = 16;       // flowEndSysUpTime 21, ms
    static final int START_SEC = 17;        // flowStartSeconds 150
    static final int END_SEC = 18;          // flowEndSeconds 151
    static final int START_MS = 19;         // flowStartMilliseconds 152
    static final int END_MS = 20;           // flowEndMilliseconds 153
    static final int START_US = 21;         // flowStartMicroseconds 154, NTP format
    static final int END_US = 22;           // flowEndMicroseconds 155
    static final int START_NS = 23;         // flowStartNanoseconds 156, NTP format
    static final int END_NS = 24;           // flowEndNanoseconds 157
    static final int START_DELTA_US = 25;   // flowStartDeltaMicroseconds 158, before export time
    static final int END_DELTA_US = 26;     // flowEndDeltaMicroseconds 159
    static final int SYS_INIT_MS = 27;      // systemInitTimeMilliseconds 160
    static final int SAMPLING_INTERVAL = 28; // samplingInterval 34
    static final int SAMPLING_ALGORITHM = 29; // samplingAlgorithm 35 (1 deterministic, 2 random)
    static final int SAMPLER_RANDOM_INTERVAL = 30; // samplerRandomInterval 50
    static final int SAMPLING_PKT_INTERVAL = 31;   // samplingPacketInterval 305
    static final int SAMPLING_PKT_SPACE = 32;      // samplingPacketSpace 306
    static final int REV_OCTETS = 33;       // RFC 5103 reverseOctetDeltaCount (29305, 1)
    static final int REV_PACKETS = 34;      // RFC 5103 reversePacketDeltaCount (29305, 2)
    static final int REV_TCP_FLAGS = 35;    // RFC 5103 reverseTcpControlBits (29305, 6)
    static final int SAMPLER_ID = 36;       // samplerId 48 (v9 FLOW_SAMPLER_ID) or selectorId 302
    static final int ROLES = 37;
    static final int NONE = -1;

    /** RFC 5103 section 6.1: reverse IEs are the forward numbers under this enterprise. */
    static final long REVERSE_PEN = 29305;
    /** In a template, this length means "variable": the data record prefixes the length. */
    static final int VARIABLE = 65535;
    /** NTP era 0 starts 1900-01-01, 2,208,988,800 s before the Unix epoch (RFC 5905). */
    private static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private Fields() {
    }

    /**
     * The role of a field, or {@link #NONE} when Bulwark does not read it or its length cannot
     * be that element's (RFC 7011 section 6.2 allows reduced-size unsigned integers, so
     * counters may be 1..8 bytes; addresses and timestamps must have their full size).
     */
    static int role(long enterprise, int ie, int length) {
        if (enterprise == REVERSE_PEN) {
            return switch (ie) {
                case 1 -> uint(length, 8) ? REV_OCTETS : NONE;
                case 2 -> uint(length, 8) ? REV_PACKETS : NONE;
                case 6 -> uint(length, 2) ? REV_TCP_FLAGS : NONE;
                default -> NONE;
            };
        }
        if (enterprise != 0) {
            return NONE;
        }
        return switch (ie) {
            case 8 -> length == 4 ? SRC4 : NONE;
            case 12 -> length == 4 ? DST4 : NONE;
            case 27 -> length == 16 ? SRC6 : NONE;
            case 28 -> length == 16 ? DST6 : NONE;
            case 7 -> uint(length, 2) ? SRC_PORT : NONE;
            case 11 -> uint(length, 2) ? DST_PORT : NONE;
            case 4 -> uint(length, 1) ? PROTO : NONE;
            case 6 -> uint(length, 2) ? TCP_FLAGS : NONE;
            case 1 -> uint(length, 8) ? OCTETS : NONE;
            case 2 -> uint(length, 8) ? PACKETS : NONE;
            case 85 -> uint(length, 8) ? OCTETS_TOTAL : NONE;
            case 86 -> uint(length, 8) ? PACKETS_TOTAL : NONE;
            case 60 -> uint(length, 1) ? IP_VERSION : NONE;
            case 32 -> length == 2 ? ICMP4 : NONE;
            case 139 -> length == 2 ? ICMP6 : NONE;
            case 22 -> uint(length, 4) ? START_UPTIME : NONE;
            case 21 -> uint(length, 4) ? END_UPTIME : NONE;
            case 150 -> length == 4 ? START_SEC : NONE;
            case 151 -> length == 4 ? END_SEC : NONE;
            case 152 -> length == 8 ? START_MS : NONE;
            case 153 -> length == 8 ? END_MS : NONE;
            case 154 -> length == 8 ? START_US : NONE;
            case 155 -> length == 8 ? END_US : NONE;
            case 156 -> length == 8 ? START_NS : NONE;
            case 157 -> length == 8 ? END_NS : NONE;
            case 158 -> uint(length, 4) ? START_DELTA_US : NONE;
            case 159 -> uint(length, 4) ? END_DELTA_US : NONE;
            case 160 -> length == 8 ? SYS_INIT_MS : NONE;
            case 34 -> uint(length, 4) ? SAMPLING_INTERVAL : NONE;
            case 35 -> uint(length, 1) ? SAMPLING_ALGORITHM : NONE;
            case 50 -> uint(length, 4) ? SAMPLER_RANDOM_INTERVAL : NONE;
            case 305 -> uint(length, 4) ? SAMPLING_PKT_INTERVAL : NONE;
            case 306 -> uint(length, 4) ? SAMPLING_PKT_SPACE : NONE;
            case 48, 302 -> uint(length, 8) ? SAMPLER_ID : NONE;
            default -> NONE;
        };
    }

    private static boolean uint(int length, int max) {
        return length >= 1 && length <= max;
    }

    /**
     * An unsigned big-endian integer of 1..8 bytes. Eight-byte values above 2^63-1 are clamped,
     * so that no counter turns negative.
     */
    static long uint(ByteBuffer b, int at, int length) {
        switch (length) {
            case 1:
                return b.get(at) & 0xffL;
            case 2:
                return b.getShort(at) & 0xffffL;
            case 4:
                return b.getInt(at) & 0xffff_ffffL;
            case 8: {
                long v = b.getLong(at);
                return v < 0 ? Long.MAX_VALUE : v;
            }
            default: {
                long v = 0;
                for (int i = 0; i < length; i++) {
                    v = (v << 8) | (b.get(at + i) & 0xff);
                }
                return v < 0 ? Long.MAX_VALUE : v;
            }
        }
    }

    /** RFC 7011 section 6.1.9/10: NTP seconds since 1900 and a 2^-32 s fraction, to Unix ns. */
    static long ntpToNanos(long ntp) {
        long sec = (ntp >>> 32) - NTP_TO_UNIX_SECONDS;
        long frac = ((ntp & 0xffff_ffffL) * 1_000_000_000L) >>> 32;
        return sec * 1_000_000_000L + frac;
    }

    /** Multiplies a count by the sampling rate, saturating instead of overflowing. */
    static long scale(long count, int rate) {
        if (rate <= 1) {
            return count;
        }
        return count > Long.MAX_VALUE / rate ? Long.MAX_VALUE : count * rate;
    }
}
