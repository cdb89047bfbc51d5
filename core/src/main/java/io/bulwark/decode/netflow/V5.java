package io.bulwark.decode.netflow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportGate;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExportedFlow;

import java.nio.ByteBuffer;

/**
 * NetFlow v5 (Cisco's fixed format): a 24-byte header and up to 30 records of 48 bytes.
 *
 * <pre>
 *  record (48)
 *  0  srcaddr          16 dPkts            32 srcport     38 prot
 *  4  dstaddr          20 dOctets          34 dstport     39 tos
 *  8  nexthop          24 first (sysUptime ms)  36 pad1   40 src_as, dst_as
 *  12 input, output    28 last  (sysUptime ms)  37 tcp_flags   44 masks, pad
 * </pre>
 *
 * With no template, any datagram that starts with version 5 and a count decodes, so what v5
 * itself fixes is checked: the datagram is exactly the header and {@code count} records (no
 * exporter pads; fewer bytes is a capture cut short, whose complete records are kept), the
 * header's nanoseconds are below a second, and a record's prefix masks are at most 32. Every
 * record then passes {@link ExportGate} like any other format's.
 */
final class V5 {
    static final int HEADER = 24;
    static final int RECORD = 48;
    static final int MAX_COUNT = 30;
    private static final long V4_MAPPED = 0x0000_ffff_0000_0000L;
    private final NetflowDecoder decoder;
    private final AnomalyCounters anomalies;
    private final ExportGate gate;
    private final ExportedFlow f = new ExportedFlow();

    V5(NetflowDecoder decoder, AnomalyCounters anomalies, ExportGate gate) {
        this.decoder = decoder;
        this.anomalies = anomalies;
        this.gate = gate;
    }

    int decode(ByteBuffer b, int start, int end, Message m, ExportSink sink) {
        if (end - start < HEADER) {
            anomalies.count(Anomaly.export_truncated, end - start);
            m.damaged = true;
            return 0;
        }
        int count = b.getShort(start + 2) & 0xffff;
        int avail = (end - start - HEADER) / RECORD;
        if (count <= avail && end - start != HEADER + count * RECORD) {
            // More bytes than the count accounts for: not the datagram it claims to be.
            anomalies.count(Anomaly.export_count_mismatch, 2);
            m.damaged = true;
            return 0;
        }
        long rawNsecs = b.getInt(start + 12) & 0xffff_ffffL;
        if (rawNsecs > 999_999_999L) {
            anomalies.count(Anomaly.export_header_invalid, 12);
            m.damaged = true;
            return 0;
        }
        long uptime = b.getInt(start + 4) & 0xffff_ffffL;
        long secs = b.getInt(start + 8) & 0xffff_ffffL;
        long seq = b.getInt(start + 16) & 0xffff_ffffL;
        long engine = b.getShort(start + 20) & 0xffff;
        int sampling = b.getShort(start + 22) & 0xffff;
        // Top two bits: sampling mode; low 14: the interval (1 in N). Exporters differ on the
        // mode they write for plain 1-in-N sampling, so any interval above 1 scales.
        int rate = Math.max(1, sampling & 0x3fff);
        m.uptime = uptime;
        decoder.header(m, secs, rawNsecs, engine);
        if (count == 0 || count > MAX_COUNT) {
            anomalies.count(Anomaly.export_count_mismatch, 2);
            m.damaged = true;
        }
        if (count > avail) {
            anomalies.count(Anomaly.export_truncated, end - start);
            m.damaged = true;
        }
        int n = Math.min(count, avail);
        long exportMillis = m.exportNanos / 1_000_000L;
        int delivered = 0;
        for (int i = 0; i < n; i++) {
            int r = start + HEADER + i * RECORD;
            if ((b.get(r + 44) & 0xff) > 32 || (b.get(r + 45) & 0xff) > 32) {
                // An IPv4 prefix mask longer than 32 bits: no exporter wrote this record.
                gate.invalid(Anomaly.export_record_fields_invalid, m.exporter.stats);
                continue;
            }
            f.clear();
            f.source = ExportedFlow.Source.netflow5;
            f.ipVersion = 4;
            f.srcLo = V4_MAPPED | (b.getInt(r) & 0xffff_ffffL);
            f.dstLo = V4_MAPPED | (b.getInt(r + 4) & 0xffff_ffffL);
            f.samplingRate = rate;
            f.packets = Fields.scale(b.getInt(r + 16) & 0xffff_ffffL, rate);
            f.bytes = Fields.scale(b.getInt(r + 20) & 0xffff_ffffL, rate);
            // first/last are sysUptime at the flow's first and last packet: the signed 32-bit
            // difference to the header's sysUptime survives the uptime's wrap.
            f.startNanos = (exportMillis + (int) ((b.getInt(r + 24) & 0xffff_ffffL) - uptime)) * 1_000_000L;
            f.endNanos = (exportMillis + (int) ((b.getInt(r + 28) & 0xffff_ffffL) - uptime)) * 1_000_000L;
            f.srcPort = b.getShort(r + 32) & 0xffff;
            f.dstPort = b.getShort(r + 34) & 0xffff;
            f.tcpFlags = b.get(r + 37) & 0xff;
            f.protocol = b.get(r + 38) & 0xff;
            DataRecords.icmpPorts(f, -1);
            f.exporterHi = m.exporter.hi;
            f.exporterLo = m.exporter.lo;
            f.domain = engine;
            f.exportNanos = m.exportNanos;
            if (gate.admit(f, m.exporter.stats, m.receivedNanos)) {
                m.exporter.stats.records++;
                delivered++;
                sink.flow(f);
            }
        }
        decoder.sequence(m, seq, count, count, true);
        return delivered;
    }
}
