package io.bulwark.decode.netflow;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.flow.IpAddr;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Writes export datagrams field by field, and decodes them into copied {@link Flow}s. */
final class ExportBytes {
    /** The exporter every fixture comes from: 192.0.2.1:2055 (RFC 5737 documentation range). */
    static final IpAddr EXPORTER = IpAddr.parse("192.0.2.1");
    static final int PORT = 2055;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    ExportBytes u8(int v) {
        out.write(v);
        return this;
    }

    ExportBytes u16(int v) {
        return u8(v >>> 8).u8(v);
    }

    ExportBytes u32(long v) {
        return u16((int) (v >>> 16)).u16((int) v);
    }

    ExportBytes u64(long v) {
        return u32(v >>> 32).u32(v);
    }

    ExportBytes ip(String a) {
        IpAddr ip = IpAddr.parse(a);
        if (ip.isV4()) {
            return u32(ip.v4() & 0xffff_ffffL);
        }
        return u64(ip.hi()).u64(ip.lo());
    }

    ExportBytes zeros(int n) {
        for (int i = 0; i < n; i++) {
            out.write(0);
        }
        return this;
    }

    ExportBytes bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Overwrites a big-endian 16-bit value. */
    static byte[] put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
        return b;
    }

    /** One decoded record, copied out of the reused {@link ExportedFlow}. */
    record Flow(ExportedFlow.Source source, int ipVersion, IpAddr src, IpAddr dst, int srcPort, int dstPort,
                int protocol, int tcpFlags, long packets, long bytes, long reversePackets, long reverseBytes,
                int reverseTcpFlags, long startNanos, long endNanos, int samplingRate, IpAddr exporter, long domain,
                long exportNanos) {
        static Flow of(ExportedFlow f) {
            return new Flow(f.source, f.ipVersion, new IpAddr(f.srcHi, f.srcLo), new IpAddr(f.dstHi, f.dstLo),
                    f.srcPort, f.dstPort, f.protocol, f.tcpFlags, f.packets, f.bytes, f.reversePackets,
                    f.reverseBytes, f.reverseTcpFlags, f.startNanos, f.endNanos, f.samplingRate,
                    new IpAddr(f.exporterHi, f.exporterLo), f.domain, f.exportNanos);
        }
    }

    /** A decoder with default limits and the flows it delivered. */
    static final class Run {
        final AnomalyCounters anomalies = new AnomalyCounters();
        final NetflowDecoder decoder;
        final List<Flow> flows = new ArrayList<>();

        Run() {
            this(NetflowLimits.defaults());
        }

        Run(NetflowLimits limits) {
            decoder = new NetflowDecoder(limits, anomalies);
        }

        /** Decodes one datagram from the fixture exporter; returns what decode returned. */
        int feed(byte[] datagram) {
            return feed(datagram, EXPORTER.hi(), EXPORTER.lo(), PORT);
        }

        int feed(byte[] datagram, long hi, long lo, int port) {
            // Offset 3 in a larger buffer: the decoder must honour offset and length.
            ByteBuffer b = ByteBuffer.allocate(datagram.length + 5);
            b.put(3, datagram);
            int before = flows.size();
            int n = decoder.decode(b, 3, datagram.length, hi, lo, port, 0, f -> flows.add(Flow.of(f)));
            if (flows.size() - before != n) {
                throw new AssertionError("decode returned " + n + " but delivered " + (flows.size() - before));
            }
            return n;
        }

        io.bulwark.decode.export.ExporterStats stats() {
            return decoder.stats().stream().filter(s -> s.exporter.equals("192.0.2.1:2055")).findFirst().orElseThrow();
        }
    }
}
