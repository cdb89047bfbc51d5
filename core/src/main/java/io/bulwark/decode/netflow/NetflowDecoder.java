package io.bulwark.decode.netflow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportBounds;
import io.bulwark.decode.export.ExportDecoder;
import io.bulwark.decode.export.ExportGate;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * NetFlow v5, NetFlow v9 (RFC 3954) and IPFIX (RFC 7011), told apart by each datagram's
 * version field (5, 9, 10).
 *
 * <pre>
 *  v5 header (24)           v9 header (20)           IPFIX header (16)      set header (4)
 *  0  version 5             0  version 9             0  version 10          0 set id
 *  2  count (1..30)         2  count                 2  length              2 length (with header)
 *  4  sysUptime ms          4  sysUptime ms          4  exportTime s
 *  8  unix_secs             8  unix_secs             8  sequence (data records)
 *  12 unix_nsecs            12 sequence (packets)    12 observation domain
 *  16 flow_sequence (flows) 16 source id
 *  20 engine type, id
 *  22 sampling: mode(2 bits) interval(14 bits)
 * </pre>
 *
 * Set ids: v9 0 template, 1 options template; IPFIX 2 template, 3 options template; 256 and
 * up are data sets of that template. Templates are scoped by exporter address and UDP port
 * (RFC 7011 section 2: over UDP the transport session is the address and port pair; for v9,
 * where RFC 3954 section 5.1 names address and source id only, an exporter restarted on a new
 * port resends its templates anyway), then by source id (v9) or observation domain (IPFIX),
 * then by template id.
 *
 * <p>Never throws on bad bytes: damage is counted as a named anomaly and in the exporter's
 * {@code malformed} count, and records decoded before it are delivered. A record that no link
 * could have carried, or beyond its exporter's record budget, is counted and not delivered
 * ({@link ExportBounds}). All state is bounded by {@link NetflowLimits}, and all timing uses the
 * export headers' times (the budget alone uses arrival time). Not thread-safe.
 */
public final class NetflowDecoder implements ExportDecoder {
    private final NetflowLimits limits;
    private final AnomalyCounters anomalies;
    private final ExporterTable exporters;
    private final TemplateCache templates;
    private final PendingSets pending;
    private final DataRecords data;
    private final Message message = new Message();
    private final Message replay = new Message();
    private final V5 v5;
    private final int[] ie;
    private final long[] enterprise;
    private final int[] length;
    private final int[] role;

    /** With {@link ExportBounds#defaults()}. */
    public NetflowDecoder(NetflowLimits limits, AnomalyCounters anomalies) {
        this(limits, ExportBounds.defaults(), anomalies);
    }

    public NetflowDecoder(NetflowLimits limits, ExportBounds bounds, AnomalyCounters anomalies) {
        this.limits = limits;
        this.anomalies = anomalies;
        this.exporters = new ExporterTable(limits.maxExporters(), limits.maxDomainsPerExporter());
        this.templates = new TemplateCache(limits.maxTemplates());
        this.pending = new PendingSets(limits.maxPendingSets(), limits.maxPendingBytes(),
                limits.pendingExpirySeconds(), anomalies);
        ExportGate gate = new ExportGate(bounds, anomalies);
        this.data = new DataRecords(anomalies, gate);
        this.v5 = new V5(this, anomalies, gate);
        int n = limits.maxTemplateFields();
        ie = new int[n];
        enterprise = new long[n];
        length = new int[n];
        role = new int[n];
    }

    @Override
    public int decode(ByteBuffer buf, int offset, int length, long exporterHi, long exporterLo, int exporterPort,
                      long receivedNanos, ExportSink sink) {
        int end = (int) Math.min((long) offset + Math.max(0, length), buf.limit());
        if (end - offset < 2) {
            anomalies.count(Anomaly.export_truncated, 0);
            return 0;
        }
        int version = buf.getShort(offset) & 0xffff;
        ExportedFlow.Source source = switch (version) {
            case 5 -> ExportedFlow.Source.netflow5;
            case 9 -> ExportedFlow.Source.netflow9;
            case 10 -> ExportedFlow.Source.ipfix;
            default -> null;
        };
        if (source == null) {
            anomalies.count(Anomaly.export_version_unknown, 0);
            return 0;
        }
        Exporter e = exporters.get(exporterHi, exporterLo, exporterPort, source);
        e.stats.packets++;
        if (e.overflow) {
            anomalies.count(Anomaly.export_exporters_full, 0);
        }
        Message m = message;
        m.source = source;
        m.exporter = e;
        m.records = 0;
        m.flows = 0;
        m.complete = true;
        m.damaged = false;
        m.receivedNanos = receivedNanos;
        int delivered = switch (version) {
            case 5 -> v5.decode(buf, offset, end, m, sink);
            case 9 -> v9(buf, offset, end, m, sink);
            default -> ipfix(buf, offset, end, m, sink);
        };
        if (m.damaged) {
            e.stats.malformed++;
        }
        return delivered;
    }

    private int v9(ByteBuffer b, int start, int end, Message m, ExportSink sink) {
        if (end - start < 20) {
            return truncated(m, end - start);
        }
        m.uptime = b.getInt(start + 4) & 0xffff_ffffL;
        header(m, b.getInt(start + 8) & 0xffff_ffffL, 0, b.getInt(start + 16) & 0xffff_ffffL);
        long seq = b.getInt(start + 12) & 0xffff_ffffL;
        // RFC 3954 section 5.1: the count field is not checked, as exporters disagree on it
        // (softflowd counts flow records only, the RFC counts template records too).
        int delivered = sets(b, start, start + 20, end, m, sink, false);
        sequence(m, seq, 1, 1, true);
        return delivered;
    }

    private int ipfix(ByteBuffer b, int start, int end, Message m, ExportSink sink) {
        if (end - start < 16) {
            return truncated(m, end - start);
        }
        int msgLength = b.getShort(start + 2) & 0xffff;
        if (msgLength < 16) {
            return truncated(m, 2);
        }
        if (msgLength > end - start) {
            // Decode what arrived: complete sets and records still count.
            anomalies.count(Anomaly.export_truncated, end - start);
            m.damaged = true;
        } else {
            end = start + msgLength;
        }
        m.uptime = -1;
        header(m, b.getInt(start + 4) & 0xffff_ffffL, 0, b.getInt(start + 12) & 0xffff_ffffL);
        long seq = b.getInt(start + 8) & 0xffff_ffffL;
        int delivered = sets(b, start, start + 16, end, m, sink, true);
        sequence(m, seq, m.records, m.flows, m.complete);
        return delivered;
    }

    private int truncated(Message m, int at) {
        anomalies.count(Anomaly.export_truncated, at);
        m.damaged = true;
        return 0;
    }

    /** Sets the header context shared by all sets of the message, and expires stale pending sets. */
    void header(Message m, long seconds, long nanos, long domain) {
        Exporter e = m.exporter;
        m.exportSeconds = seconds;
        m.exportNanos = seconds * 1_000_000_000L + nanos;
        m.domain = domain;
        m.slot = e.domain(domain);
        e.stats.seen(m.exportNanos);
        if (seconds > e.lastExportSeconds) {
            e.lastExportSeconds = seconds;
        }
        if (pending.count() > 0) {
            pending.expire(e, seconds);
        }
    }

    void sequence(Message m, long seq, int all, int flows, boolean known) {
        if (m.exporter.overflow) {
            return; // many exporters share it: their sequence numbers say nothing together
        }
        long gap = m.exporter.sequence(m.slot, seq, all, flows, known);
        if (gap > 0) {
            anomalies.count(Anomaly.export_sequence_gap, 0);
        }
        m.exporter.stats.sequenceGaps = Math.max(0, m.exporter.stats.sequenceGaps + gap);
    }

    private int sets(ByteBuffer b, int start, int pos, int end, Message m, ExportSink sink, boolean ipfix) {
        int delivered = 0;
        while (end - pos >= 4) {
            int id = b.getShort(pos) & 0xffff;
            int len = b.getShort(pos + 2) & 0xffff;
            if (len < 4 || len > end - pos) {
                anomalies.count(Anomaly.export_set_invalid, pos - start);
                m.damaged = true;
                m.complete = false;
                break;
            }
            int body = pos + 4;
            int bodyEnd = pos + len;
            if (id >= 256) {
                delivered += dataSet(b, body, bodyEnd, id, m, sink, body - start);
            } else if (id == (ipfix ? 2 : 0)) {
                delivered += templateSet(b, body, bodyEnd, m, sink, ipfix, false, body - start);
            } else if (id == (ipfix ? 3 : 1)) {
                delivered += templateSet(b, body, bodyEnd, m, sink, ipfix, true, body - start);
            }
            // Other ids below 256 are reserved (RFC 7011 section 3.3.2): skipped by length.
            pos = bodyEnd;
        }
        if (pos < end && !m.damaged) {
            // Sets fill the message (RFC 7011 section 3.3.1; v9 exporters send none after the
            // last set): 1 to 3 bytes left are a set header cut short.
            anomalies.count(Anomaly.export_set_invalid, pos - start);
            m.damaged = true;
        }
        return delivered;
    }

    private int dataSet(ByteBuffer b, int body, int bodyEnd, int id, Message m, ExportSink sink, int at) {
        Exporter e = m.exporter;
        Template t = templates.get(e, m.domain, id);
        if (t != null && m.exportSeconds - t.lastSeenSeconds > limits.templateExpirySeconds()) {
            templates.remove(t);
            t = null;
        }
        if (t == null) {
            m.complete = false;
            if (e.overflow) {
                anomalies.count(Anomaly.export_template_missing, at);
                e.stats.templateMisses++;
            } else {
                pending.add(b, body, bodyEnd - body, e, m.domain, id, m.exportSeconds, m.exportNanos, m.uptime);
            }
            return 0;
        }
        return data.decode(b, body, bodyEnd, t, m, sink, at);
    }

    /**
     * Template and options template records (RFC 3954 section 5.2/6.1, RFC 7011 section 3.4).
     * A record whose fields run past the set ends the set; a record that is complete but
     * absurd (no or too many fields, a zero length, records no datagram could carry, a
     * variable length in v9) is skipped. Both count {@code export_template_invalid}.
     */
    private int templateSet(ByteBuffer b, int pos, int end, Message m, ExportSink sink, boolean ipfix,
                            boolean options, int at) {
        int delivered = 0;
        int setStart = pos;
        while (end - pos >= 4) {
            int id = b.getShort(pos) & 0xffff;
            int count = b.getShort(pos + 2) & 0xffff;
            if (id == 0 && count == 0) {
                break; // padding
            }
            if (ipfix && count == 0) {
                withdraw(m, id, options, at + pos - setStart);
                pos += 4;
                continue;
            }
            int hdr = 4;
            int scope = 0;
            if (options) {
                if (end - pos < 6) {
                    break;
                }
                hdr = 6;
                if (ipfix) {
                    scope = b.getShort(pos + 4) & 0xffff;
                } else {
                    int scopeLen = count;
                    int optionLen = b.getShort(pos + 4) & 0xffff;
                    if (scopeLen % 4 != 0 || optionLen % 4 != 0) {
                        return invalidTemplate(m, at + pos - setStart, delivered);
                    }
                    scope = scopeLen / 4;
                    count = (scopeLen + optionLen) / 4;
                }
            }
            if (count > limits.maxTemplateFields()) {
                return invalidTemplate(m, at + pos - setStart, delivered);
            }
            int p = pos + hdr;
            boolean bad = id < 256 || count == 0 || (ipfix && options && (scope == 0 || scope > count));
            long minLength = 0;
            for (int i = 0; i < count; i++) {
                if (end - p < 4) {
                    return invalidTemplate(m, at + pos - setStart, delivered);
                }
                int type = b.getShort(p) & 0xffff;
                int len = b.getShort(p + 2) & 0xffff;
                long pen = 0;
                p += 4;
                if (ipfix && (type & 0x8000) != 0) {
                    if (end - p < 4) {
                        return invalidTemplate(m, at + pos - setStart, delivered);
                    }
                    pen = b.getInt(p) & 0xffff_ffffL;
                    type &= 0x7fff;
                    p += 4;
                }
                bad |= len == 0 || (len == Fields.VARIABLE && !ipfix);
                minLength += len == Fields.VARIABLE ? 1 : len;
                ie[i] = type;
                enterprise[i] = pen;
                length[i] = len;
                // v9 scope fields have their own type numbers (1 System, 2 Interface...: RFC 3954
                // section 6.1), so only IPFIX scope fields are information elements.
                boolean v9Scope = !ipfix && i < scope;
                role[i] = v9Scope || len == Fields.VARIABLE ? Fields.NONE : Fields.role(pen, type, len);
            }
            // The largest record any datagram can carry: a 65535-byte UDP payload less headers.
            bad |= minLength > 65_535 - 20 - 4;
            if (bad) {
                anomalies.count(Anomaly.export_template_invalid, at + pos - setStart);
                m.damaged = true;
            } else {
                delivered += install(m, id, options, count, sink);
            }
            pos = p;
        }
        return delivered;
    }

    private int invalidTemplate(Message m, int at, int delivered) {
        anomalies.count(Anomaly.export_template_invalid, at);
        m.damaged = true;
        return delivered;
    }

    /** Adds, refreshes or replaces a template, then decodes the sets that waited for it. */
    private int install(Message m, int id, boolean options, int count, ExportSink sink) {
        Exporter e = m.exporter;
        if (e.overflow) {
            return 0; // counted once per datagram as export_exporters_full
        }
        Template old = templates.get(e, m.domain, id);
        if (old != null && old.sameFields(options, count, ie, enterprise, length, role)) {
            old.lastSeenSeconds = Math.max(old.lastSeenSeconds, m.exportSeconds);
            return 0;
        }
        if (old != null) {
            templates.remove(old); // RFC 7011 section 8.1: a redefinition replaces
        } else if (e.templates >= limits.maxTemplatesPerExporter()
                || templates.full() && templates.expire(limits.templateExpirySeconds()) == 0) {
            anomalies.count(Anomaly.export_template_cache_full, 0);
            return 0;
        }
        Template t = new Template(e, m.domain, id, options, count, ie, enterprise, length, role, m.exportSeconds);
        templates.add(t);
        return pending.count() == 0 ? 0 : replay(t, m, sink);
    }

    private int replay(Template t, Message m, ExportSink sink) {
        int delivered = 0;
        int i;
        while ((i = pending.find(t.owner, t.domain, t.id)) >= 0) {
            Message r = replay;
            r.copyHeader(m);
            r.exportSeconds = pending.exportSeconds[i];
            r.exportNanos = pending.exportNanos[i];
            r.uptime = pending.uptime[i];
            int from = pending.offset[i];
            delivered += data.decode(pending.buffer, from, from + pending.length[i], t, r, sink, 0);
            m.damaged |= r.damaged;
            pending.drop(i);
        }
        return delivered;
    }

    /** RFC 7011 section 8.1: id 2 (templates) or 3 (options templates) withdraws them all. */
    private void withdraw(Message m, int id, boolean options, int at) {
        Exporter e = m.exporter;
        if (e.overflow) {
            return;
        }
        if (id == (options ? 3 : 2)) {
            templates.removeAll(e, m.domain, options);
            return;
        }
        Template t = templates.get(e, m.domain, id);
        if (t == null || t.options != options) {
            anomalies.count(Anomaly.export_template_withdrawn_unknown, at);
            return;
        }
        templates.remove(t);
    }

    @Override
    public Collection<ExporterStats> stats() {
        return exporters.stats();
    }

    NetflowLimits limits() {
        return limits;
    }

    int templateCount() {
        return templates.size();
    }

    int exporterCount() {
        return exporters.size();
    }

    int pendingSets() {
        return pending.count();
    }

    int pendingBytes() {
        return pending.bytes();
    }
}
