package io.bulwark.analyze;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.capture.InterfaceStatistics;
import io.bulwark.decode.export.ExportDecoder;
import io.bulwark.decode.export.ExportFormat;
import io.bulwark.decode.export.ExportSink;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.decode.netflow.NetflowDecoder;
import io.bulwark.decode.netflow.NetflowLimits;
import io.bulwark.decode.sflow.SflowDecoder;
import io.bulwark.decode.sflow.SflowLimits;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import io.bulwark.decode.packet.PacketView;
import io.bulwark.decode.zeek.ZeekConnReader;
import io.bulwark.detect.Detector;
import io.bulwark.detect.Finding;
import io.bulwark.detect.LocalEngine;
import io.bulwark.detect.anomaly.AnomalyDetector;
import io.bulwark.detect.bruteforce.BruteforceDetector;
import io.bulwark.detect.c2.C2Detector;
import io.bulwark.detect.ddos.DdosDetector;
import io.bulwark.detect.ddostarget.TargetDetector;
import io.bulwark.detect.infection.InfectionDetector;
import io.bulwark.detect.ioc.IocDetector;
import io.bulwark.detect.policy.PolicyDetector;
import io.bulwark.detect.scan.ScanDetector;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.FlowStitcher;
import io.bulwark.flow.FlowTable;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;
import io.bulwark.incident.IncidentBuilder;
import io.bulwark.inventory.DeviceActivity;
import io.bulwark.inventory.DeviceProfile;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.inventory.InventoryTap;
import io.bulwark.inventory.Oui;
import io.bulwark.mud.MudProfile;
import io.bulwark.net.LocalNets;
import io.bulwark.posture.Posture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * The whole local pipeline: inputs (recognised by content) are decoded, packets go through
 * the flow table, and packets and flows through the detectors; findings become incidents.
 * Inputs are read one after another into the same state, as one stream in traffic time.
 *
 * <p>One thread. Damage in an input never loses what was found before it: the input's
 * status names the reason and offset, and everything else carries on.
 */
public final class Analyzer {
    private static final long SWEEP_NANOS = 1_000_000_000L;
    private static final int PROGRESS_EVERY = 1 << 16;
    /** A live stream reports more often: its listener ticks the store and the stats line's counters. */
    private static final int LIVE_PROGRESS_EVERY = 1 << 8;
    /** -Dbulwark.inventory=off skips the inventory's packet hook: for measuring its cost (docs/performance.md). */
    private static final boolean INVENTORY_PACKETS = !"off".equals(System.getProperty("bulwark.inventory"));

    /** Progress and events, for the command line. */
    public interface Listener {
        default void finding(Finding f, String incidentId) {
        }

        default void progress(String file, long bytesDone, long bytesTotal, long packets) {
        }

        /** True to receive the anomaly detector's scores ({@code analyze --scores}); costs a call per packet. */
        default boolean wantsScores() {
            return false;
        }

        /**
         * A packet's anomaly score: the highest of its local endpoints' (0 for packets with no
         * local device, non-IP packets and packets in flows-only mode).
         *
         * @param number the packet's ordinal over all inputs, from 1
         */
        default void packetScore(long number, long tsNanos, double score) {
        }

        /** An ended flow's anomaly score for one of its local endpoints. */
        default void flowScore(FlowRecord f, IpAddr device, double score) {
        }
    }

    /**
     * How one input went.
     *
     * @param error   null when the input was read to its end; else the one-line reason
     * @param fatal   true when nothing at all could be read from it
     */
    public record InputStatus(String file, String format, long packets, long flowRecords,
                              String error, long errorOffset, boolean fatal) {
        public InputStatus {
            error = error == null ? null : BadInputException.oneLine(error);
        }
    }

    /**
     * Sees what the detectors see, in the same order: each packet a packet hook may look at
     * (after the flow table has counted it) and each flow as it reaches the flow hooks. For
     * publishing the stream to Kafka ({@code --to-kafka}); called on the reading thread.
     */
    public interface Tap {
        Tap NONE = new Tap() {
            @Override
            public void packet(PacketView p, FlowEntry flow, String file) {
            }

            @Override
            public void flow(FlowRecord f) {
            }
        };

        void packet(PacketView p, FlowEntry flow, String file);

        void flow(FlowRecord f);
    }

    public record Stats(long packets, long ipPackets, long bytes, long flowsBuilt, long flowRecordsRead,
                        long flowEvictions, long firstNanos, long lastNanos) {
    }

    public record Result(List<Incident> incidents, List<DeviceSummary> devices, Stats stats, ExportTotals exports,
                         List<InputStatus> inputs, AnomalyCounters anomalies) {
    }

    private final AnalyzerConfig cfg;
    private final Listener listener;
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final PacketDecoder decoder = new PacketDecoder(anomalies);
    private final FlowTable table;
    private final LocalEngine engine;
    private final IncidentBuilder incidents;
    private final InventoryTap inventory;
    private final List<InputStatus> inputs = new ArrayList<>();
    private final Map<IpAddr, DeviceActivity> finishedDevices = new HashMap<>();
    private final FlowTable.Sink flowSink;
    private final TrafficClock clock;
    private final boolean flowsOnly;
    private final boolean scores;
    private final FlowStitcher stitcher;
    private final ExportSink exportSink;
    private final Tap tap;
    private ExportDecoder netflow, sflow;
    private long packets, ipPackets, bytes, flowRecords;
    private long exportRecords, exportPackets, exportBytes;
    private long first = Long.MAX_VALUE, last = Long.MIN_VALUE;

    public Analyzer(AnalyzerConfig cfg, Listener listener) {
        this(cfg, listener, false);
    }

    /**
     * @param flowsOnly when true, captures are reduced to flow records before any detector sees
     *                  them, as a router's NetFlow/IPFIX export would give them: no packet
     *                  hooks, and long flows exported every flows.export_active_s (60 s
     *                  by default, an exporter's usual active timeout). For measuring what the detectors do without payload.
     */
    public Analyzer(AnalyzerConfig cfg, Listener listener, boolean flowsOnly) {
        this(cfg, listener, flowsOnly, Tap.NONE);
    }

    /** As above, with a tap that also sees every packet and flow the detectors see. */
    public Analyzer(AnalyzerConfig cfg, Listener listener, boolean flowsOnly, Tap tap) {
        this.cfg = cfg;
        this.tap = tap;
        this.flowsOnly = flowsOnly;
        this.listener = listener;
        this.incidents = new IncidentBuilder(listener::finding);
        this.inventory = new InventoryTap(cfg.localNets(), cfg.maxDevices(), anomalies);
        this.scores = listener.wantsScores();
        // The keyed detectors (the ones the Flink job runs too), then the two that need more than
        // one device's state: the MUD policy (profiles found by the inventory) and the anomaly
        // detector (its network profile).
        List<Detector<?>> all = new ArrayList<>(detectors(cfg));
        // Without profiles no device can have one (a DHCP MUD URL names a configured profile):
        // the detector would only cost a state per device and a call per flow. Eight detectors
        // by default also keep every one on LocalEngine's own call sites.
        if (!cfg.policy().isEmpty()) {
            all.add(new PolicyDetector(cfg.policy(), cfg.localNets(), this::mudProfile));
        }
        if (cfg.anomaly().enabled()) {
            all.add(new AnomalyDetector(cfg.anomaly(), scores ? (f, d, v) -> listener.flowScore(f, d.ip(), v) : null));
        }
        // -Dbulwark.detectors=scan,c2 runs a subset: for measuring each detector's cost.
        String only = System.getProperty("bulwark.detectors");
        List<Detector<?>> detectors = all.stream().filter(d -> cfg.runs(d.name()))
                .filter(d -> only == null || List.of(only.split(",")).contains(d.name())).toList();
        this.engine = new LocalEngine(detectors, cfg.localNets(), cfg.maxDevices(), anomalies, incidents,
                this::deviceDone);
        FlowConfig fc = cfg.flows();
        if (flowsOnly) {
            fc = fc.withActiveNanos(fc.exportActiveNanos());
        }
        this.table = new FlowTable(fc, anomalies, "pcap");
        this.flowSink = flowsOnly ? (r, e) -> {
            FlowRecord x = asExported(r);
            inventory.onFlow(x);
            engine.onFlow(x, null);
            tap.flow(x);
        } : (r, e) -> {
            inventory.onFlow(r);
            engine.onFlow(r, e);
            tap.flow(r);
        };
        this.clock = new TrafficClock(anomalies);
        this.stitcher = new FlowStitcher(cfg.stitch(), anomalies, this::exportedFlow);
        this.exportSink = f -> {
            exportRecords++;
            exportPackets += f.packets;
            exportBytes += f.bytes;
            stitcher.add(f);
        };
    }

    /**
     * The keyed detectors, whose whole state is per device, in the engine's order: the Flink job
     * runs this list. The local engine adds the policy detector (MUD profiles come from the
     * inventory) and the anomaly detector (it shares a network profile between devices), which
     * the job does not run yet (docs/scale-out.md).
     */
    public static List<Detector<?>> detectors(AnalyzerConfig cfg) {
        return List.of(new ScanDetector(cfg.scan()), new C2Detector(cfg.c2(), cfg.localNets()),
                new InfectionDetector(cfg.infection(), cfg.localNets()), new DdosDetector(cfg.ddos()),
                new TargetDetector(cfg.target()), new BruteforceDetector(cfg.bruteforce()), new IocDetector(cfg.ioc()));
    }

    /**
     * A device's MUD profile: the operator's assignment (by address, then MAC), else the profile
     * of the MUD URL the device announced in DHCP, when one is configured; null otherwise.
     */
    private MudProfile mudProfile(IpAddr ip, long mac) {
        MudProfile p = PolicyDetector.assigned(cfg.policy(), ip, mac);
        if (p == null && !cfg.policy().byUrl().isEmpty()) {
            String url = inventory.mudUrl(ip, mac);
            p = url == null ? null : cfg.policy().byUrl().get(url);
        }
        return p;
    }

    /**
     * Keeps a device's activity for devices.ndjson. Bounded: at most four times max_devices
     * summaries are kept; beyond that a new device's summary is dropped and counted.
     */
    private void deviceDone(IpAddr ip, DeviceActivity activity) {
        DeviceActivity known = finishedDevices.get(ip);
        if (known != null) {
            known.merge(activity);
        } else if (finishedDevices.size() < 4L * cfg.maxDevices()) {
            finishedDevices.put(ip, activity);
        } else {
            anomalies.count(Anomaly.device_summaries_full, -1);
        }
    }

    /** Reads one input to its end (or to the damage that stops it). Never throws on bad input. */
    public InputStatus add(Path path) {
        String name = path.toString();
        anomalies.source(name);
        InputStatus status;
        long before = packets;
        try {
            byte[] head = new byte[512];
            int n = readHead(path, head);
            if (Captures.looksLikeCapture(head, n)) {
                status = readCapture(path);
            } else if (ZeekConnReader.looksLikeZeek(head, n)) {
                status = readZeek(path);
            } else if (n == 0) {
                status = new InputStatus(name, "?", 0, 0, name + ": empty file", 0, true);
            } else {
                status = new InputStatus(name, "?", 0, 0,
                        name + ": offset 0: not a pcap, pcapng or Zeek conn.log file", 0, true);
            }
        } catch (BadInputException e) {
            status = new InputStatus(name, "?", 0, 0, e.getMessage(), e.offset(), true);
        } catch (RuntimeException e) {
            // Our bug, not the input's: keep everything found so far and go on with the next
            // input instead of losing the run.
            anomalies.count(Anomaly.internal_error, -1);
            status = new InputStatus(name, "?", packets - before, 0,
                    name + ": internal error after " + (packets - before) + " packets: " + e, -1, false);
        }
        inputs.add(status);
        return status;
    }

    private static int readHead(Path path, byte[] head) throws BadInputException {
        if (Files.isDirectory(path)) {
            throw new BadInputException(path.toString(), -1, "is a directory");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return Math.max(0, in.readNBytes(head, 0, head.length));
        } catch (IOException e) {
            throw BadInputException.unreadable(path.toString(), e);
        }
    }

    private InputStatus readCapture(Path path) throws BadInputException {
        if (isExportCapture(path)) {
            return readExportCapture(path);
        }
        try (CaptureSource src = Captures.open(path, anomalies)) {
            return readPackets(src, path.toString(), path.getFileName().toString(), PROGRESS_EVERY);
        }
    }

    /**
     * Reads a pcapng stream (a live capture engine's pipe) as it arrives, to its end, into the
     * same state as the files: {@code bulwark capture}. Never throws on bad input; closes the
     * stream. {@code name} names the input in events and anomalies; {@code stats} (may be
     * null) receives the stream's Interface Statistics Blocks, on this thread.
     */
    public InputStatus add(java.io.InputStream stream, String name, InterfaceStatistics.Listener stats) {
        anomalies.source(name);
        long before = packets;
        InputStatus status;
        CaptureSource src;
        try {
            src = Captures.openStream(stream, anomalies, name, stats);
        } catch (BadInputException e) {
            status = new InputStatus(name, "?", 0, 0, e.getMessage(), e.offset(), true);
            inputs.add(status);
            return status;
        }
        try (src) {
            status = readPackets(src, name, name, LIVE_PROGRESS_EVERY);
        } catch (RuntimeException e) {
            anomalies.count(Anomaly.internal_error, -1);
            status = new InputStatus(name, src.format(), packets - before, 0,
                    name + ": internal error after " + (packets - before) + " packets: " + e, -1, false);
        }
        inputs.add(status);
        return status;
    }

    private InputStatus readPackets(CaptureSource src, String name, String file, int progressEvery) {
        long before = packets;
        Packet p = new Packet();
        long nextSweep = Long.MIN_VALUE;
        while (src.next(p)) {
            packets++;
            bytes += p.wirelen;
            long ts = clock.admit(p.tsNanos, p.fileOffset);
            p.tsNanos = ts;
            if (ts < first) {
                first = ts;
            }
            if (ts > last) {
                last = ts;
            }
            if (decoder.decode(p) && !p.laterFragment) {
                ipPackets++;
                if (ts >= nextSweep) {
                    table.expire(ts, flowSink);
                    nextSweep = ts + SWEEP_NANOS;
                }
                FlowEntry e = table.add(p, flowSink);
                if (!flowsOnly) {
                    engine.onPacket(p, e, file);
                    if (INVENTORY_PACKETS) {
                        inventory.onPacket(p, e);
                    }
                    tap.packet(p, e, file);
                }
                if (scores) {
                    listener.packetScore(packets, ts, Math.max(e.scoreA, e.scoreB));
                }
            } else if (scores) {
                listener.packetScore(packets, ts, 0);
            }
            if ((packets & (progressEvery - 1)) == 0) {
                listener.progress(name, src.position(), src.size(), packets);
            }
        }
        listener.progress(name, src.position(), src.size(), packets);
        long read = packets - before;
        String reason = src.stopReason();
        return new InputStatus(name, src.format(), read, 0,
                reason == null ? null : name + ": offset " + src.stopOffset() + ": " + reason,
                src.stopOffset(), reason != null && read == 0);
    }

    /**
     * A capture of flow-export traffic (how operators share NetFlow, IPFIX and sFlow samples) is
     * recognised by content: at least 80 % of its first 32 packets are UDP datagrams that look
     * like exports ({@link ExportFormat}).
     */
    private boolean isExportCapture(Path path) throws BadInputException {
        AnomalyCounters scratch = new AnomalyCounters();
        PacketDecoder d = new PacketDecoder(scratch);
        int seen = 0, exports = 0;
        try (CaptureSource src = Captures.open(path, scratch)) {
            Packet p = new Packet();
            while (seen < 32 && src.next(p)) {
                seen++;
                if (d.decode(p) && p.protocol == 17 && !p.fragment
                        && ExportFormat.of(p.buf, p.payloadOffset, p.payloadLength()) != ExportFormat.NONE) {
                    exports++;
                }
            }
        }
        return seen > 0 && exports * 5 >= seen * 4;
    }

    private InputStatus readExportCapture(Path path) throws BadInputException {
        String name = path.toString();
        long before = packets, recordsBefore = flowRecords;
        try (CaptureSource src = Captures.open(path, anomalies)) {
            Packet p = new Packet();
            while (src.next(p)) {
                packets++;
                bytes += p.wirelen;
                long ts = clock.admit(p.tsNanos, p.fileOffset);
                if (decoder.decode(p) && !p.laterFragment) {
                    ipPackets++;
                    if (p.protocol == 17) {
                        exportDatagram(p.buf, p.payloadOffset, p.payloadLength(), p.srcHi, p.srcLo, p.srcPort, ts);
                    }
                }
                if ((packets & (PROGRESS_EVERY - 1)) == 0) {
                    listener.progress(name, src.position(), src.size(), packets);
                }
            }
            listener.progress(name, src.position(), src.size(), packets);
            long read = packets - before;
            String reason = src.stopReason();
            return new InputStatus(name, src.format() + "-exports", read, flowRecords - recordsBefore,
                    reason == null ? null : name + ": offset " + src.stopOffset() + ": " + reason,
                    src.stopOffset(), reason != null && read == 0);
        }
    }

    /**
     * Decodes one flow-export datagram (NetFlow v5/v9 and IPFIX told apart by their version
     * field, sFlow v5 by its own) and runs its records through pairing and reordering into the
     * detectors. Never throws on bad bytes: they are counted. For {@code bulwark collect} and
     * for captures of export traffic; call from one thread.
     *
     * @param receivedNanos arrival time (the capture's timestamp, or the receive clock live)
     */
    public void exportDatagram(ByteBuffer b, int off, int len, long exporterHi, long exporterLo, int exporterPort,
                               long receivedNanos) {
        switch (ExportFormat.of(b, off, len)) {
            case NETFLOW -> {
                if (netflow == null) {
                    netflow = new NetflowDecoder(NetflowLimits.defaults(), cfg.stitch().bounds(), anomalies);
                }
                netflow.decode(b, off, len, exporterHi, exporterLo, exporterPort, receivedNanos, exportSink);
            }
            case SFLOW -> {
                if (sflow == null) {
                    sflow = new SflowDecoder(SflowLimits.DEFAULTS, cfg.stitch().bounds(), anomalies);
                }
                sflow.decode(b, off, len, exporterHi, exporterLo, exporterPort, receivedNanos, exportSink);
            }
            case NONE -> anomalies.count(Anomaly.export_version_unknown, -1);
        }
    }

    /**
     * Counts an anomaly found before the input reached the analyzer: the collector refuses
     * datagrams from senders not on its allow-list on its listener threads. Same thread as the input.
     */
    public void count(Anomaly a, long n) {
        anomalies.add(a, n, -1);
    }

    /** Per-exporter counters of the export decoders so far (a snapshot; same thread as the input). */
    public List<ExporterStats> exporterStats() {
        List<ExporterStats> all = new ArrayList<>();
        if (netflow != null) {
            all.addAll(netflow.stats());
        }
        if (sflow != null) {
            all.addAll(sflow.stats());
        }
        return all;
    }

    /**
     * Totals of the export records decoded so far, before pairing: what a reference collector
     * (nfcapd, for instance) counts. Packets and bytes are scaled by the sampling rate.
     */
    public record ExportTotals(long records, long packets, long bytes) {
    }

    public ExportTotals exportTotals() {
        return new ExportTotals(exportRecords, exportPackets, exportBytes);
    }

    /** A flow record from a flow input (conn.log, exports): counted, timed, and detected on. */
    private void exportedFlow(FlowRecord f) {
        flowRecords++;
        if (f.startNanos() < first) {
            first = f.startNanos();
        }
        if (f.endNanos() > last) {
            last = f.endNanos();
        }
        inventory.onFlow(f);
        engine.onFlow(f, null);
        tap.flow(f);
    }

    private InputStatus readZeek(Path path) throws BadInputException {
        String name = path.toString();
        long n = 0;
        try (ZeekConnReader r = ZeekConnReader.open(path, anomalies)) {
            FlowRecord f;
            while ((f = r.next()) != null) {
                n++;
                exportedFlow(f);
                if ((n & (PROGRESS_EVERY - 1)) == 0) {
                    listener.progress(name, r.position(), r.size(), n);
                }
            }
            String reason = r.stopReason();
            return new InputStatus(name, "zeek-conn", 0, n, reason == null ? null : name + ": " + reason,
                    -1, reason != null && n == 0);
        }
    }

    private static FlowRecord asExported(FlowRecord r) {
        return new FlowRecord(r.uid(), r.src(), r.srcPort(), r.dst(), r.dstPort(), r.protocol(), r.startNanos(),
                r.endNanos(), r.packetsOut(), r.bytesOut(), r.packetsIn(), r.bytesIn(), r.tcpFlagsOut(), r.tcpFlagsIn(),
                r.state(), r.samplingRate(), r.exporter(), false, -1, FlowRecord.EndReason.exported);
    }

    /**
     * The incident with this id as it stands now (its MAC is filled in only by {@link #finish}),
     * or null. For a listener that persists incidents as they are found.
     */
    public Incident incident(String id) {
        return incidents.incident(id);
    }

    /**
     * IPv6 link-local addresses (fe80::/10) to fold into the IPv4 device of the same MAC: one
     * interface, one device, whatever it numbers itself with on the link. Keyed by the IPv4
     * address that takes them (of several IPv4 addresses of the MAC, the one with the most
     * packets). A link-local address whose MAC has no IPv4 address stays a device of its own.
     */
    private static final LocalNets LINK_LOCAL6 = LocalNets.of(List.of("fe80::/10"));

    private Map<IpAddr, List<IpAddr>> foldLinkLocal() {
        Map<Long, IpAddr> v4ByMac = new HashMap<>();
        for (Map.Entry<IpAddr, DeviceActivity> en : finishedDevices.entrySet()) {
            long mac = en.getValue().mac;
            if (mac >= 0 && en.getKey().isV4()) {
                IpAddr cur = v4ByMac.get(mac);
                if (cur == null || packets(en.getValue()) > packets(finishedDevices.get(cur))
                        || packets(en.getValue()) == packets(finishedDevices.get(cur)) && en.getKey().compareTo(cur) < 0) {
                    v4ByMac.put(mac, en.getKey());
                }
            }
        }
        Map<IpAddr, List<IpAddr>> out = new HashMap<>();
        finishedDevices.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(en -> {
            IpAddr ip = en.getKey();
            IpAddr v4 = en.getValue().mac >= 0 ? v4ByMac.get(en.getValue().mac) : null;
            if (v4 != null && LINK_LOCAL6.contains(ip)) {
                out.computeIfAbsent(v4, k -> new ArrayList<>()).add(ip);
            }
        });
        return out;
    }

    private static long packets(DeviceActivity a) {
        return a.packetsOut + a.packetsIn;
    }

    /** Ends all flows and devices and returns everything found. Call once, after the inputs. */
    public Result finish() {
        stitcher.flush();
        table.flush(flowSink);
        engine.finish(last);
        Map<String, List<Incident>> incidentsByHost = new HashMap<>();
        for (Incident i : incidents.incidents()) {
            incidentsByHost.computeIfAbsent(i.host(), h -> new ArrayList<>()).add(i);
        }
        Oui oui = Oui.system();
        Map<String, String> macByHost = new HashMap<>();
        List<DeviceSummary> devices = new ArrayList<>();
        Map<IpAddr, List<IpAddr>> linkLocal = foldLinkLocal();
        Set<IpAddr> folded = new HashSet<>();
        linkLocal.values().forEach(folded::addAll);
        finishedDevices.entrySet().stream()
                .filter(en -> !folded.contains(en.getKey()))
                .sorted(Map.Entry.comparingByKey())
                .forEach(en -> {
                    DeviceActivity a = en.getValue();
                    String ip = en.getKey().toString();
                    String mac = DeviceActivity.macText(a.mac);
                    List<IpAddr> also = linkLocal.getOrDefault(en.getKey(), List.of());
                    List<Incident> hostIncidentList = new ArrayList<>(incidentsByHost.getOrDefault(ip, List.of()));
                    for (IpAddr ll : also) {
                        a.merge(finishedDevices.get(ll));
                        hostIncidentList.addAll(incidentsByHost.getOrDefault(ll.toString(), List.of()));
                        if (mac != null && incidentsByHost.containsKey(ll.toString())) {
                            macByHost.put(ll.toString(), mac);
                        }
                    }
                    List<String> hostIncidents = hostIncidentList.stream().map(Incident::id).toList();
                    if (mac != null && incidentsByHost.containsKey(ip)) {
                        macByHost.put(ip, mac);
                    }
                    List<String> services = a.services();
                    DeviceProfile profile = inventory.profile(en.getKey(), also, a.mac, services, oui);
                    var posture = Posture.assess(new Posture.Input(services, profile,
                            hostIncidentList, mudProfile(en.getKey(), a.mac) != null,
                            Math.max(0, a.lastSeen - a.firstSeen)));
                    devices.add(new DeviceSummary(ip, mac, a.firstSeen, a.lastSeen,
                            a.packetsOut, a.bytesOut, a.packetsIn, a.bytesIn, a.flowsOriginated, a.flowsAnswered,
                            services, hostIncidents, profile, posture));
                });
        incidents.attachMacs(macByHost);
        Stats stats = new Stats(packets, ipPackets, bytes, table.flowsCreated(), flowRecords, table.evictions(),
                first == Long.MAX_VALUE ? 0 : first, last == Long.MIN_VALUE ? 0 : last);
        return new Result(incidents.incidents(), devices, stats, exportTotals(), List.copyOf(inputs), anomalies);
    }
}
