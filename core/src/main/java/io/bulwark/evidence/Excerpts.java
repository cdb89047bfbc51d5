package io.bulwark.evidence;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.packet.Packet;
import io.bulwark.decode.packet.PacketDecoder;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.flow.CommunityId;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts, for each incident, the packets that prove it out of the captures it was found in, into
 * one pcapng file per incident: every packet an evidence reference points at by byte range,
 * and the other packets of the evidence flows (matched by Community ID), in capture order.
 * A second pass over the captures, after analysis, so that the per-packet path carries no
 * evidence work. Bounded per incident and per device ({@link Limits}); what the bounds cut is
 * counted in the result.
 */
public final class Excerpts {
    /**
     * @param packetsPerIncident packets kept per incident (default 1,000)
     * @param bytesPerIncident   frame bytes kept per incident (default 8 MiB)
     * @param packetsPerDevice   packets kept over all incidents of one host (default 5,000)
     */
    public record Limits(int packetsPerIncident, long bytesPerIncident, int packetsPerDevice) {
        public static Limits defaults() {
            return new Limits(1_000, 8L << 20, 5_000);
        }
    }

    /** One excerpt written: its file, packets and what the bounds left out. */
    public record Excerpt(String incidentId, Path file, long packets, long frameBytes, long cut) {
    }

    private Excerpts() {
    }

    /**
     * Writes {@code dir/<incident id>.pcapng} for every incident with packet evidence in
     * {@code captures}. Incidents found from flow records only get no excerpt.
     *
     * @param application written into each file's header (tool and version)
     */
    public static List<Excerpt> write(List<Path> captures, List<Incident> incidents, Path dir, Limits limits,
                                      String application) throws IOException {
        Files.createDirectories(dir);
        Map<IpAddr, List<Job>> byHost = new HashMap<>();
        Map<String, Job> jobs = new LinkedHashMap<>();
        for (Incident i : incidents) {
            Job j = new Job(i);
            for (EvidenceRef r : i.evidence()) {
                if (r.communityId() != null) {
                    j.flows.add(r.communityId());
                }
                if (r.file() != null && r.offset() >= 0) {
                    j.records.add(r.file() + "@" + r.offset());
                }
            }
            IpAddr host = IpAddr.parse(i.host());
            if (host != null && !(j.flows.isEmpty() && j.records.isEmpty())) {
                byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(j);
                jobs.put(i.id(), j);
            }
        }
        Map<IpAddr, Integer> perDevice = new HashMap<>();
        try {
            for (Path capture : captures) {
                scan(capture, byHost, perDevice, limits, dir, application);
            }
        } finally {
            for (Job j : jobs.values()) {
                j.close();
            }
        }
        List<Excerpt> out = new ArrayList<>();
        for (Job j : jobs.values()) {
            if (j.writer != null) {
                out.add(new Excerpt(j.incident.id(), j.file, j.writer.packets(), j.writer.frameBytes(), j.cut));
            }
        }
        return out;
    }

    private static void scan(Path capture, Map<IpAddr, List<Job>> byHost, Map<IpAddr, Integer> perDevice,
                             Limits limits, Path dir, String application) throws IOException {
        String file = capture.getFileName().toString();
        AnomalyCounters anomalies = new AnomalyCounters();
        PacketDecoder decoder = new PacketDecoder(anomalies);
        Map<String, String> communityIds = new HashMap<>();
        try (CaptureSource src = Captures.open(capture, anomalies)) {
            Packet p = new Packet();
            while (src.next(p)) {
                long ts = p.tsNanos;
                int link = p.linkType;
                long offset = p.fileOffset;
                if (!decoder.decode(p)) {
                    continue;
                }
                IpAddr s = new IpAddr(p.srcHi, p.srcLo);
                IpAddr d = new IpAddr(p.dstHi, p.dstLo);
                List<Job> a = byHost.get(s);
                List<Job> b = byHost.get(d);
                if (a == null && b == null) {
                    continue;
                }
                String recordKey = file + "@" + offset;
                String cid = null;
                for (List<Job> list : a == null ? List.of(b) : b == null ? List.of(a) : List.of(a, b)) {
                    for (Job j : list) {
                        boolean wanted = j.records.contains(recordKey);
                        if (!wanted && !j.flows.isEmpty()) {
                            if (cid == null) {
                                String key = p.protocol + " " + s + " " + p.srcPort + " " + d + " " + p.dstPort;
                                cid = communityIds.computeIfAbsent(key,
                                        k -> CommunityId.v1(0, s, d, p.protocol, p.srcPort, p.dstPort));
                                if (communityIds.size() > 100_000) {
                                    communityIds.clear();
                                }
                            }
                            wanted = j.flows.contains(cid);
                        }
                        if (!wanted) {
                            continue;
                        }
                        IpAddr host = j.host;
                        int used = perDevice.getOrDefault(host, 0);
                        if (j.packets >= limits.packetsPerIncident() || used >= limits.packetsPerDevice()
                                || j.bytes + p.caplen > limits.bytesPerIncident()) {
                            j.cut++;
                            continue;
                        }
                        j.open(dir, application);
                        j.writer.packet(link, ts, p.buf, p.frameOffset, p.caplen, p.wirelen,
                                "source " + file + " offset " + offset);
                        j.packets++;
                        j.bytes += p.caplen;
                        perDevice.put(host, used + 1);
                    }
                }
            }
        } catch (BadInputException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static final class Job {
        final Incident incident;
        final IpAddr host;
        final Set<String> flows = new HashSet<>();
        final Set<String> records = new HashSet<>();
        Path file;
        OutputStream stream;
        PcapngExcerpt writer;
        long packets, bytes, cut;

        Job(Incident incident) {
            this.incident = incident;
            this.host = IpAddr.parse(incident.host());
        }

        void open(Path dir, String application) throws IOException {
            if (writer == null) {
                file = dir.resolve(incident.id() + ".pcapng");
                stream = new BufferedOutputStream(Files.newOutputStream(file));
                writer = new PcapngExcerpt(stream, "Bulwark evidence for incident " + incident.id() + " ("
                        + incident.kind() + ", host " + incident.host() + "): " + incident.summary(), application);
            }
        }

        void close() throws IOException {
            if (stream != null) {
                stream.close();
                stream = null;
            }
        }
    }
}
