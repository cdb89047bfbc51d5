package io.bulwark.detect.infection;

import io.bulwark.decode.packet.PacketView;
import io.bulwark.detect.Detector;
import io.bulwark.detect.Device;
import io.bulwark.detect.EvidenceRef;
import io.bulwark.detect.Finding;
import io.bulwark.detect.FindingSink;
import io.bulwark.detect.Kind;
import io.bulwark.detect.Severity;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowRecord;
import io.bulwark.net.LocalNets;
import io.bulwark.net.PortSet;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loader stage: a device receiving and running a bot binary.
 * <ul>
 *   <li>Packets, telnet: the loader's shell commands arriving on the device's telnet port and
 *       the device's replies: {@code /bin/busybox <TAG>} probes and their "applet not found",
 *       then a download command (wget, tftp, curl), the {@code echo -ne '\x7f\x45\x4c\x46...'}
 *       hex dropper, or chmod/execution of the dropped file. Busybox probes alone are what a
 *       brute-forcer sends after logging in; an infection needs the download or dropper.</li>
 *   <li>Packets, downloads: an ELF header ({@code \x7fELF}) in the first payload packets the
 *       device receives from a cleartext download port (HTTP, FTP, TFTP).</li>
 *   <li>Flows: at least {@code minDownloads} binary-sized downloads (32 KB .. 2 MB) of nearly the
 *       same size (within 10 %) from one /16 outside, over cleartext download ports within {@code window}:
 *       loaders fetch a binary per CPU architecture, or retry. IoT-23 42-1's trojan fetches six 63-67 KB files in 40 s. Web
 *       browsing looks the same from flows, so the rule does not apply to a device that has
 *       reached eight or more HTTPS servers (a phone or laptop, not an IoT device); the packet
 *       rules still do.</li>
 * </ul>
 */
public final class InfectionDetector implements Detector<InfectionState> {
    private static final int SCAN_LIMIT = 1500;
    private final InfectionConfig cfg;
    private final LocalNets nets;
    private final PortSet telnetPorts;
    private final PortSet downloadPorts;

    public InfectionDetector(InfectionConfig cfg, LocalNets nets) {
        this.cfg = cfg;
        this.nets = nets;
        this.telnetPorts = new PortSet(cfg.telnetPorts());
        this.downloadPorts = new PortSet(cfg.downloadPorts());
    }

    @Override
    public String name() {
        return "infection";
    }

    @Override
    public InfectionState newState() {
        return new InfectionState();
    }

    @Override
    public int payloadNeeded(PacketView p) {
        boolean telnet = p.protocol() == PacketView.PROTO_TCP
                && (telnetPorts.contains(p.srcPort()) || telnetPorts.contains(p.dstPort()));
        boolean download = downloadPorts.contains(p.srcPort()) || downloadPorts.contains(p.dstPort());
        return telnet || download ? SCAN_LIMIT : 0;
    }

    @Override
    public boolean wantsPackets() {
        return true;
    }

    @Override
    public int packetInterest() {
        return TCP_PAYLOAD | UDP_PAYLOAD;
    }

    @Override
    public void onPacket(InfectionState s, Device device, PacketView p, boolean outbound, FlowEntry flow,
                         String file, FindingSink out) {
        if (p.payloadLength() == 0) {
            return;
        }
        int proto = p.protocol();
        int localPort = outbound ? p.srcPort() : p.dstPort();
        if (s.reported) {
            // The loader's download command may come after the markers that proved the infection
            // (the busybox probe and its usage replies): keep reading the telnet session for the
            // server it names, until it is found.
            if (s.downloadServer == null && !outbound && proto == PacketView.PROTO_TCP && telnetPorts.contains(localPort)
                    && (LoaderMarkers.scan(p, SCAN_LIMIT) & LoaderMarkers.WGET_OR_TFTP) != 0) {
                s.downloadServer = LoaderMarkers.downloadServer(p, SCAN_LIMIT);
            }
            return;
        }
        int remotePort = outbound ? p.dstPort() : p.srcPort();
        int found;
        if (proto == PacketView.PROTO_TCP && telnetPorts.contains(localPort)) {
            found = LoaderMarkers.scan(p, SCAN_LIMIT);
        } else if (!outbound && downloadPorts.contains(remotePort) && flow.packetsFromResponder() <= 2) {
            found = LoaderMarkers.elf(p, SCAN_LIMIT);
        } else {
            return;
        }
        if (found == 0) {
            return;
        }
        long ts = p.tsNanos();
        s.markers |= found;
        s.firstMarker = Math.min(s.firstMarker, flow.start());
        s.last = Math.max(s.last, ts);
        s.evidence(EvidenceRef.of(flow, file, p));
        boolean telnet = telnetPorts.contains(localPort);
        if (s.peer == null) {
            // The other end, whoever opened the flow: a device that fetched a binary from a LAN
            // server opened that flow itself, and was named as its own source.
            s.peer = (flow.originator().equals(device.ip()) ? flow.responder() : flow.originator()).toString();
        }
        if (telnet && !outbound && s.downloadServer == null && (found & LoaderMarkers.WGET_OR_TFTP) != 0) {
            s.downloadServer = LoaderMarkers.downloadServer(p, SCAN_LIMIT);
        }
        int staged = LoaderMarkers.WGET_OR_TFTP | LoaderMarkers.ECHO_DROPPER | LoaderMarkers.EXEC;
        boolean infected = (found & LoaderMarkers.ELF) != 0
                || ((s.markers & LoaderMarkers.BUSYBOX) != 0 && (s.markers & staged) != 0);
        if (infected) {
            s.method = (s.markers & LoaderMarkers.ECHO_DROPPER) != 0 ? "echo_dropper"
                    : (s.markers & LoaderMarkers.WGET_OR_TFTP) != 0 ? "download_command"
                    : telnet ? "telnet_transfer" : "binary_download";
            report(s, device, ts, out);
        }
    }

    @Override
    public void onFlow(InfectionState s, Device device, FlowRecord f, boolean outbound, FindingSink out) {
        if (outbound && f.dstPort() == 443 && f.protocol() == 6) {
            s.tlsPeer(f.dst().hi() * 31 + f.dst().lo());
        }
        if (!outbound || s.reported || s.browser() || nets.contains(f.dst()) || !downloadPorts.contains(f.dstPort())
                || f.packetsIn() == 0 || f.bytesIn() < cfg.minBinaryBytes() || f.bytesIn() > cfg.maxBinaryBytes()
                || f.bytesOut() * 4 > f.bytesIn()) {
            return;
        }
        long ts = f.startNanos();
        s.downloadTimes[s.downloads % s.downloadTimes.length] = ts;
        s.downloadSizes[s.downloads % s.downloadSizes.length] = f.bytesIn();
        long net16 = f.dst().hi() ^ (f.dst().lo() >>> 16);
        s.downloadPeers[s.downloads % s.downloadPeers.length] = net16;
        s.downloads++;
        s.firstDownload = Math.min(s.firstDownload, ts);
        s.bytes += f.bytesIn();
        s.last = Math.max(s.last, f.endNanos());
        s.evidence(EvidenceRef.of(f));
        if (s.peer == null) {
            s.peer = f.dst().toString();
        }
        // Binaries of one bot for different CPUs (or one binary fetched again) come from one
        // server farm and have nearly the same size; a browser's downloads vary. Count recent
        // downloads from the same /16 within 10 % of this one's size.
        int recent = 0;
        for (int i = 0; i < Math.min(s.downloads, s.downloadTimes.length); i++) {
            long size = s.downloadSizes[i];
            if (Math.abs(ts - s.downloadTimes[i]) <= cfg.windowNanos() && s.downloadPeers[i] == net16
                    && size * 10 <= f.bytesIn() * 11 && f.bytesIn() * 10 <= size * 11) {
                recent++;
            }
        }
        if (recent >= cfg.minDownloads()) {
            s.method = "binary_downloads";
            s.firstMarker = Math.min(s.firstMarker, s.firstDownload);
            report(s, device, Math.max(f.endNanos(), ts), out);
        }
    }

    private void report(InfectionState s, Device device, long at, FindingSink out) {
        s.reported = true;
        s.detectedAt = at;
        s.last = Math.max(s.last, at);
        out.emit(finding(s, device));
    }

    @Override
    public void onEnd(InfectionState s, Device device, long nowNanos, FindingSink out) {
        if (s.reported) {
            out.emit(finding(s, device));
        }
    }

    private Finding finding(InfectionState s, Device device) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("method", s.method);
        d.put("source", s.peer);
        if (s.downloadServer != null) {
            // The loader logged in (source); the binary came from the server its command named.
            d.put("download_server", s.downloadServer);
        }
        List<String> markers = new ArrayList<>();
        for (String m : LoaderMarkers.describe(s.markers).split(", ")) {
            if (!m.isEmpty()) {
                markers.add(m);
            }
        }
        d.put("markers", markers);
        d.put("downloads", s.downloads);
        d.put("downloaded_bytes", s.bytes);
        String how = switch (s.method) {
            case "echo_dropper" -> "a binary written with echo -ne through telnet";
            case "download_command" -> "a loader's download command over telnet";
            case "binary_downloads" -> String.format(Locale.ROOT, "%d binary-sized cleartext downloads (%,d bytes)",
                    s.downloads, s.bytes);
            default -> "an ELF binary received in clear";
        };
        String summary = s.downloadServer != null && !s.downloadServer.equals(s.peer)
                ? String.format(Locale.ROOT, "%s was infected: %s from %s, fetching the binary from %s", device.ip(), how,
                        s.peer, s.downloadServer)
                : String.format(Locale.ROOT, "%s was infected: %s from %s", device.ip(), how, s.peer);
        double conf = "binary_downloads".equals(s.method) ? 0.7 : 0.9;
        long first = Math.min(s.firstMarker, s.detectedAt);
        return new Finding(name(), Kind.infection, device.ip(), "", first, s.detectedAt, Math.max(s.last, s.detectedAt),
                Severity.critical, conf, summary, d, List.copyOf(s.evidence));
    }
}
