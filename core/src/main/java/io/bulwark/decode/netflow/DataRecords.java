package io.bulwark.decode.netflow;

import static io.bulwark.decode.netflow.Fields.*;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportGate;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExportedFlow;

import java.nio.ByteBuffer;

/**
 * Decodes the records of one data set with its template: flow records into the reused
 * {@link ExportedFlow}, options records into the exporter's per-domain sampling rate and system
 * init time. For fixed-length templates the role offsets come precomputed; a template with a
 * variable-length field is walked per record into scratch arrays (RFC 7011 section 7: a length
 * byte, or 255 and two length bytes). A flow record is delivered only when {@link ExportGate}
 * admits it. Allocates nothing.
 */
final class DataRecords {
    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;
    private final AnomalyCounters anomalies;
    private final ExportGate gate;
    private final ExportedFlow f = new ExportedFlow();
    private final int[] varOffset = new int[ROLES];
    private final int[] varLength = new int[ROLES];

    DataRecords(AnomalyCounters anomalies, ExportGate gate) {
        this.anomalies = anomalies;
        this.gate = gate;
    }

    /**
     * Decodes records from {@code start} to {@code end}; what is left shorter than a record is
     * padding (RFC 7011 section 3.3.1). A variable-length field running past the set ends the
     * set as {@code export_record_invalid}. Returns flow records delivered.
     */
    int decode(ByteBuffer b, int start, int end, Template t, Message m, ExportSink sink, int anomalyBase) {
        int pos = start;
        int delivered = 0;
        while (end - pos >= t.minLength && end > pos) {
            int[] off = t.roleOffset;
            int[] len = t.roleLength;
            int recLen = t.minLength;
            if (t.variable) {
                recLen = walk(b, pos, end, t);
                if (recLen < 0) {
                    anomalies.count(Anomaly.export_record_invalid, anomalyBase + pos - start);
                    m.damaged = true;
                    return delivered;
                }
                off = varOffset;
                len = varLength;
            }
            m.records++;
            if (t.options) {
                options(b, pos, off, len, m);
            } else {
                m.flows++;
                if (t.flows) {
                    flow(b, pos, off, len, m);
                    if ((off[SRC4] < 0 || off[DST4] < 0) && (off[SRC6] < 0 || off[DST6] < 0)) {
                        // A flow has two ends: a template with one address is not of flows.
                        gate.invalid(Anomaly.export_record_fields_invalid, m.exporter.stats);
                    } else if (gate.admit(f, m.exporter.stats, m.receivedNanos)) {
                        m.exporter.stats.records++;
                        delivered++;
                        sink.flow(f);
                    }
                }
            }
            pos += recLen;
        }
        return delivered;
    }

    private int walk(ByteBuffer b, int rec, int end, Template t) {
        java.util.Arrays.fill(varOffset, -1);
        int pos = rec;
        for (int i = 0; i < t.length.length; i++) {
            int l = t.length[i];
            if (l == VARIABLE) {
                if (pos >= end) {
                    return -1;
                }
                l = b.get(pos++) & 0xff;
                if (l == 255) {
                    if (end - pos < 2) {
                        return -1;
                    }
                    l = b.getShort(pos) & 0xffff;
                    pos += 2;
                }
                // Roles are given to fixed-length fields only: a variable-length address or
                // counter has no defined meaning, so it is skipped like an unknown element.
                if (end - pos < l) {
                    return -1;
                }
                pos += l;
                continue;
            }
            if (end - pos < l) {
                return -1;
            }
            int r = t.role[i];
            if (r != NONE && varOffset[r] < 0) {
                varOffset[r] = pos - rec;
                varLength[r] = l;
            }
            pos += l;
        }
        return pos - rec;
    }

    private static long get(ByteBuffer b, int rec, int[] off, int[] len, int role, long absent) {
        int o = off[role];
        return o < 0 ? absent : Fields.uint(b, rec + o, len[role]);
    }

    private void options(ByteBuffer b, int rec, int[] off, int[] len, Message m) {
        int rate = samplingRate(b, rec, off, len);
        if (rate > 0) {
            m.exporter.samplingRate[m.slot] = rate;
            if (off[SAMPLER_ID] >= 0) {
                m.exporter.sampler(m.slot, get(b, rec, off, len, SAMPLER_ID, 0), rate);
            }
        }
        if (off[SYS_INIT_MS] >= 0) {
            m.exporter.sysInitMillis[m.slot] = b.getLong(rec + off[SYS_INIT_MS]);
        }
    }

    /**
     * The sampling rate (1 in N) a record announces, 0 when none: samplingInterval (34),
     * samplerRandomInterval (50), or RFC 5476 systematic count-based sampling, which selects
     * samplingPacketInterval (305) packets out of every interval + samplingPacketSpace (306).
     */
    private static int samplingRate(ByteBuffer b, int rec, int[] off, int[] len) {
        long rate = get(b, rec, off, len, SAMPLING_INTERVAL, 0);
        if (rate == 0) {
            rate = get(b, rec, off, len, SAMPLER_RANDOM_INTERVAL, 0);
        }
        if (rate == 0 && off[SAMPLING_PKT_INTERVAL] >= 0) {
            long interval = get(b, rec, off, len, SAMPLING_PKT_INTERVAL, 0);
            long space = get(b, rec, off, len, SAMPLING_PKT_SPACE, 0);
            rate = interval == 0 ? 0 : Math.max(1, (interval + space) / interval);
        }
        return (int) Math.min(rate, Integer.MAX_VALUE);
    }

    private void flow(ByteBuffer b, int rec, int[] off, int[] len, Message m) {
        ExportedFlow f = this.f;
        f.clear();
        f.source = m.source;
        f.exporterHi = m.exporter.hi;
        f.exporterLo = m.exporter.lo;
        f.domain = m.domain;
        f.exportNanos = m.exportNanos;
        if (off[SRC6] >= 0 || off[DST6] >= 0) {
            f.ipVersion = 6;
            if (off[SRC6] >= 0) {
                f.srcHi = b.getLong(rec + off[SRC6]);
                f.srcLo = b.getLong(rec + off[SRC6] + 8);
            }
            if (off[DST6] >= 0) {
                f.dstHi = b.getLong(rec + off[DST6]);
                f.dstLo = b.getLong(rec + off[DST6] + 8);
            }
        } else {
            f.ipVersion = 4;
            f.srcLo = V4_MAPPED | get(b, rec, off, len, SRC4, 0);
            f.dstLo = V4_MAPPED | get(b, rec, off, len, DST4, 0);
        }
        int v = (int) get(b, rec, off, len, IP_VERSION, 0);
        if (v == 4 || v == 6) {
            f.ipVersion = v;
        }
        f.protocol = (int) get(b, rec, off, len, PROTO, 0);
        f.srcPort = (int) get(b, rec, off, len, SRC_PORT, 0);
        f.dstPort = (int) get(b, rec, off, len, DST_PORT, 0);
        int icmp = (int) get(b, rec, off, len, f.ipVersion == 6 ? ICMP6 : ICMP4, -1);
        if (icmp < 0) {
            icmp = (int) get(b, rec, off, len, f.ipVersion == 6 ? ICMP4 : ICMP6, -1);
        }
        icmpPorts(f, icmp);
        f.tcpFlags = (int) get(b, rec, off, len, TCP_FLAGS, 0) & 0xff;
        f.reverseTcpFlags = (int) get(b, rec, off, len, REV_TCP_FLAGS, 0) & 0xff;

        // The record's own rate, else its sampler's, else the last rate its domain announced.
        int rate = samplingRate(b, rec, off, len);
        if (rate == 0 && off[SAMPLER_ID] >= 0) {
            rate = m.exporter.samplerRate(m.slot, get(b, rec, off, len, SAMPLER_ID, 0));
        }
        if (rate == 0) {
            rate = m.exporter.samplingRate[m.slot];
        }
        rate = Math.max(1, rate);
        f.samplingRate = rate;
        f.packets = scale(get(b, rec, off, len, PACKETS, get(b, rec, off, len, PACKETS_TOTAL, 0)), rate);
        f.bytes = scale(get(b, rec, off, len, OCTETS, get(b, rec, off, len, OCTETS_TOTAL, 0)), rate);
        f.reversePackets = scale(get(b, rec, off, len, REV_PACKETS, 0), rate);
        f.reverseBytes = scale(get(b, rec, off, len, REV_OCTETS, 0), rate);

        long start = time(b, rec, off, len, m, true);
        long end = time(b, rec, off, len, m, false);
        if (start == Long.MIN_VALUE && end == Long.MIN_VALUE || inSeconds(off, true) || inSeconds(off, false)) {
            // Without a time of its own the record is taken as an instant at the export time,
            // which has whole seconds: whatever it counts must fit in one second of the link.
            f.timeResolutionNanos = 1_000_000_000L;
        }
        if (start == Long.MIN_VALUE) {
            start = end == Long.MIN_VALUE ? m.exportNanos : end;
        }
        if (end == Long.MIN_VALUE) {
            end = start;
        }
        f.startNanos = start;
        f.endNanos = end;
    }

    /** Whether {@link #time} reads flowStart/EndSeconds, the only whole-second time elements. */
    private static boolean inSeconds(int[] off, boolean start) {
        return off[start ? START_NS : END_NS] < 0 && off[start ? START_US : END_US] < 0
                && off[start ? START_MS : END_MS] < 0 && off[start ? START_SEC : END_SEC] >= 0;
    }

    /**
     * ICMP type and code as Bulwark's packet path sets them (Zeek's convention: source port =
     * type, destination port = code). Without an icmpTypeCode element, NetFlow v5 and v9
     * exporters (Cisco, softflowd) put type * 256 + code in the destination port.
     */
    static void icmpPorts(ExportedFlow f, int typeCode) {
        if (f.protocol != 1 && f.protocol != 58) {
            return;
        }
        if (typeCode < 0) {
            if (f.srcPort != 0) {
                return;
            }
            typeCode = f.dstPort;
        }
        f.srcPort = typeCode >>> 8;
        f.dstPort = typeCode & 0xff;
    }

    /** The flow's start or end in ns since the epoch, from the most precise element present. */
    private long time(ByteBuffer b, int rec, int[] off, int[] len, Message m, boolean start) {
        int o;
        if ((o = off[start ? START_NS : END_NS]) >= 0 || (o = off[start ? START_US : END_US]) >= 0) {
            return Fields.ntpToNanos(b.getLong(rec + o));
        }
        if ((o = off[start ? START_MS : END_MS]) >= 0) {
            return millisToNanos(b.getLong(rec + o));
        }
        if ((o = off[start ? START_SEC : END_SEC]) >= 0) {
            return (b.getInt(rec + o) & 0xffff_ffffL) * 1_000_000_000L;
        }
        int role = start ? START_DELTA_US : END_DELTA_US;
        if (off[role] >= 0) {
            return m.exportSeconds * 1_000_000_000L - get(b, rec, off, len, role, 0) * 1000L;
        }
        role = start ? START_UPTIME : END_UPTIME;
        if (off[role] < 0) {
            return Long.MIN_VALUE;
        }
        long up = get(b, rec, off, len, role, 0);
        long exportMillis = m.exportNanos / 1_000_000L;
        if (m.uptime >= 0) {
            // RFC 3954 section 5.1: sysUpTime in the header and in the record are the same
            // 32-bit millisecond clock; the signed 32-bit difference survives its wrap (49.7 days).
            return (exportMillis + (int) (up - m.uptime)) * 1_000_000L;
        }
        long init = off[SYS_INIT_MS] >= 0 ? b.getLong(rec + off[SYS_INIT_MS]) : m.exporter.sysInitMillis[m.slot];
        if (init == Long.MIN_VALUE || init < 0) {
            return Long.MIN_VALUE;
        }
        // IPFIX: uptime counts from systemInitTimeMilliseconds; a 4-byte uptime wraps every
        // 2^32 ms, so add the wraps that put the time closest below the export time.
        long t = init + up;
        if (t < 0) {
            return Long.MIN_VALUE;
        }
        long wraps = Math.floorDiv(exportMillis - t, 1L << 32);
        if (wraps > 0 && wraps < 1 << 20) {
            t += wraps << 32;
        }
        return millisToNanos(t);
    }

    /** Milliseconds to nanoseconds since the epoch; {@code Long.MIN_VALUE} (unknown) when out of range. */
    private static long millisToNanos(long ms) {
        return ms < 0 || ms > Long.MAX_VALUE / 1_000_000L ? Long.MIN_VALUE : ms * 1_000_000L;
    }
}
