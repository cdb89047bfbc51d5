package io.bulwark.decode.zeek;

import io.bulwark.flow.FlowIds;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;

import java.util.HashMap;
import java.util.Map;

/**
 * The conn.log fields Bulwark reads (https://docs.zeek.org/en/master/scripts/base/protocols/conn/main.zeek.html)
 * and how one row of them becomes a {@link FlowRecord}. Both the TSV and the JSON reader fill
 * a {@code String[]} indexed by {@link Field#ordinal()}, with null for unset or absent values,
 * so the mapping exists once.
 */
final class ConnFields {
    static final int TCP = 6;
    static final int UDP = 17;
    static final int ICMP = 1;
    static final int ICMP6 = 58;
    /**
     * Zeek logs any other IP protocol as "unknown_transport" without saying which one. 255 is
     * IANA's reserved value, never seen on the wire, so it cannot pass for a real protocol.
     */
    static final int UNKNOWN_TRANSPORT = 255;

    static final int FIN = 1;
    static final int SYN = 2;
    static final int RST = 4;
    static final int PSH = 8;
    static final int ACK = 16;

    enum Field {
        TS("ts", true),
        UID("uid", false),
        ORIG_H("id.orig_h", true),
        ORIG_P("id.orig_p", true),
        RESP_H("id.resp_h", true),
        RESP_P("id.resp_p", true),
        PROTO("proto", true),
        DURATION("duration", false),
        CONN_STATE("conn_state", false),
        HISTORY("history", false),
        ORIG_PKTS("orig_pkts", false),
        ORIG_IP_BYTES("orig_ip_bytes", false),
        RESP_PKTS("resp_pkts", false),
        RESP_IP_BYTES("resp_ip_bytes", false),
        /** Only in JSON streams that mix logs (json-streaming-logs); must be "conn" when present. */
        PATH("_path", false);

        static final int COUNT = values().length;
        private static final Map<String, Field> BY_NAME = new HashMap<>();

        static {
            for (Field f : values()) {
                BY_NAME.put(f.zeekName, f);
            }
        }

        final String zeekName;
        final boolean required;

        Field(String zeekName, boolean required) {
            this.zeekName = zeekName;
            this.required = required;
        }

        /** The field with this Zeek name, or null for a column Bulwark does not read. */
        static Field byName(String name) {
            return BY_NAME.get(name);
        }
    }

    private ConnFields() {
    }

    /**
     * The record for one row, or null when a required field is unset or a value does not
     * parse; the caller counts that as {@code zeek_line_malformed}.
     *
     * @param offset file offset of the row, used as {@code firstOffset} and, when the row
     *               has no uid, to derive a deterministic one
     */
    /** Field.values() copies the array on every call; rows are many. */
    private static final Field[] FIELDS = Field.values();

    static FlowRecord toRecord(String[] v, String exporter, long offset) {
        for (Field f : FIELDS) {
            if (f.required && v[f.ordinal()] == null) {
                return null;
            }
        }
        String path = v[Field.PATH.ordinal()];
        if (path != null && !path.equals("conn")) {
            return null;
        }
        long start = ZeekValues.timestampNanos(v[Field.TS.ordinal()]);
        IpAddr src = IpAddr.parse(v[Field.ORIG_H.ordinal()]);
        IpAddr dst = IpAddr.parse(v[Field.RESP_H.ordinal()]);
        int srcPort = ZeekValues.port(v[Field.ORIG_P.ordinal()]);
        int dstPort = ZeekValues.port(v[Field.RESP_P.ordinal()]);
        if (start < 0 || src == null || dst == null || src.isV4() != dst.isV4() || srcPort < 0 || dstPort < 0) {
            return null;
        }
        int protocol = protocol(v[Field.PROTO.ordinal()], src.isV4());
        long duration = optional(v[Field.DURATION.ordinal()], true);
        long packetsOut = optional(v[Field.ORIG_PKTS.ordinal()], false);
        long bytesOut = optional(v[Field.ORIG_IP_BYTES.ordinal()], false);
        long packetsIn = optional(v[Field.RESP_PKTS.ordinal()], false);
        long bytesIn = optional(v[Field.RESP_IP_BYTES.ordinal()], false);
        if (protocol < 0 || duration < 0 || packetsOut < 0 || bytesOut < 0 || packetsIn < 0 || bytesIn < 0
                || duration > Long.MAX_VALUE - start) {
            return null;
        }
        String history = v[Field.HISTORY.ordinal()];
        boolean tcpHistory = protocol == TCP && history != null;
        int flagsOut = tcpHistory ? tcpFlags(history, true) : 0;
        int flagsIn = tcpHistory ? tcpFlags(history, false) : 0;
        String state = v[Field.CONN_STATE.ordinal()];
        String uid = v[Field.UID.ordinal()];
        if (uid == null || uid.isEmpty()) {
            long key = ((src.hi() * 31 + src.lo()) * 31 + dst.hi()) * 31 + dst.lo();
            uid = FlowIds.uidText(FlowIds.uid(start, key * 31 + (srcPort << 16 | dstPort), offset));
        }
        return new FlowRecord(uid, src, srcPort, dst, dstPort, protocol,
                start, start + duration,
                packetsOut, bytesOut, packetsIn, bytesIn,
                flagsOut, flagsIn,
                state == null || state.isEmpty() ? "-" : state,
                1, exporter, false, offset, FlowRecord.EndReason.exported);
    }

    /** Zeek's transport_proto enum to an IP protocol number; -1 for anything else. */
    static int protocol(String proto, boolean v4) {
        return switch (proto) {
            case "tcp" -> TCP;
            case "udp" -> UDP;
            // Zeek logs ICMPv6 as "icmp" too; only the addresses tell them apart.
            case "icmp" -> v4 ? ICMP : ICMP6;
            case "unknown_transport" -> UNKNOWN_TRANSPORT;
            default -> -1;
        };
    }

    /** An unset count or interval is zero; a set one must parse. */
    private static long optional(String text, boolean seconds) {
        if (text == null) {
            return 0;
        }
        return seconds ? ZeekValues.secondsToNanos(text) : ZeekValues.count(text);
    }

    /**
     * The TCP flags one side sent, as far as Zeek's connection history shows them: upper case
     * letters are the originator's, lower case the responder's. Letters that are not flags
     * (C checksum, G gap, T retransmission, W window, I inconsistent, Q multi-flag, ^ flipped)
     * add nothing. 'D' means payload, which a sender pushes and acknowledges with.
     */
    static int tcpFlags(String history, boolean originator) {
        int flags = 0;
        for (int i = 0; i < history.length(); i++) {
            char c = history.charAt(i);
            boolean upper = c >= 'A' && c <= 'Z';
            boolean lower = c >= 'a' && c <= 'z';
            if (originator ? !upper : !lower) {
                continue;
            }
            flags |= switch (upper ? c : (char) (c - 'a' + 'A')) {
                case 'S' -> SYN;
                case 'H' -> SYN | ACK;
                case 'A' -> ACK;
                case 'D' -> PSH | ACK;
                case 'F' -> FIN;
                case 'R' -> RST;
                default -> 0;
            };
        }
        return flags;
    }
}
