package io.bulwark.app.mud;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.detect.Kind;
import io.bulwark.detect.policy.PolicyConfig;
import io.bulwark.incident.Incident;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.posture.PostureCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The MUD profile written for the IoT Sentinel TP-Link HS110 (samples/mud/tplink-hs110.mud.json)
 * allows everything in the plug's own setup capture; the same capture with one more connection,
 * to a port the profile does not allow, gives exactly one policy incident.
 */
class MudPolicyTest {
    static final long PLUG_MAC = 0x50c7bf00c703L;
    static final long ROUTER_MAC = 0x00b56d0608baL;
    @TempDir
    Path dir;

    static Path capture() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path c = p.resolve("shared/datasets/benign-iot-sentinel/TP-LinkPlugHS110/Setup-A-1-STA.pcap");
            if (Files.isRegularFile(c)) {
                return c;
            }
        }
        assumeTrue(false, "IoT Sentinel captures not found: expected ../shared/datasets/benign-iot-sentinel");
        throw new IllegalStateException();
    }

    private static PolicyConfig byMac(Path profile) throws Exception {
        return new MudSetup().config(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"devices\": {\"50:c7:bf:00:c7:03\": \"" + profile.getFileName() + "\"}}"), profile.getParent()).toConfig();
    }

    private static Analyzer.Result analyze(Path pcap, PolicyConfig policy) {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults().withPolicy(policy), new Analyzer.Listener() {
        });
        assertThat(a.add(pcap).error()).isNull();
        return a.finish();
    }

    private static List<Incident> policy(Analyzer.Result r) {
        return r.incidents().stream().filter(i -> i.kind() == Kind.policy).toList();
    }

    @Test
    void ownCapture_withItsProfile_givesNoPolicyIncidentAndPassesMudConformance() throws Exception {
        Analyzer.Result r = analyze(capture(), byMac(MudFileTest.sample()));
        assertThat(policy(r)).isEmpty();
        DeviceSummary plug = r.devices().stream().filter(d -> d.ip().equals("10.10.10.20")).findFirst().orElseThrow();
        assertThat(plug.posture()).filteredOn(c -> c.id().equals("mud_conformance"))
                .extracting(PostureCheck::status).containsExactly(PostureCheck.Status.passed);
    }

    @Test
    void replayWithOneConnectionToADisallowedPort_givesExactlyOnePolicyIncident() throws Exception {
        Path replay = dir.resolve("hs110-plus-telnet.pcap");
        appendTelnetConnection(capture(), replay);
        Analyzer.Result r = analyze(replay, byMac(MudFileTest.sample()));
        List<Incident> p = policy(r);
        assertThat(p).hasSize(1);
        Incident i = p.get(0);
        assertThat(i.host()).isEqualTo("10.10.10.20");
        assertThat(i.mac()).isEqualTo("50:c7:bf:00:c7:03");
        assertThat(i.detail()).containsEntry("direction", "from-device").containsEntry("protocol", "tcp")
                .containsEntry("peer", "52.49.65.150").containsEntry("port", 23)
                .containsEntry("peer_name", "devs.tplinkcloud.com")
                .containsEntry("mud_url", "https://mud.bulwark.invalid/tplink/hs110");
        assertThat(i.evidence()).isNotEmpty();
        assertThat(r.incidents()).hasSize(1);
        DeviceSummary plug = r.devices().stream().filter(d -> d.ip().equals("10.10.10.20")).findFirst().orElseThrow();
        assertThat(plug.posture()).filteredOn(c -> c.id().equals("mud_conformance"))
                .extracting(PostureCheck::status).containsExactly(PostureCheck.Status.failed);
    }

    @Test
    void withoutAProfile_theSameReplay_givesNoPolicyIncident() throws Exception {
        Path replay = dir.resolve("hs110-plus-telnet.pcap");
        appendTelnetConnection(capture(), replay);
        assertThat(policy(analyze(replay, PolicyConfig.defaults()))).isEmpty();
    }

    @Test
    void profileAnnouncedInDhcp_isAttachedByItsMudUrl() throws Exception {
        // The HS110 does not send option 161; an operator who listed the profile by URL only
        // gets no enforcement for it (no assignment, no announcement)...
        PolicyConfig byUrl = new MudSetup().config(new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                "{\"profiles\": [\"tplink-hs110.mud.json\"]}"), MudFileTest.sample().getParent()).toConfig();
        Path replay = dir.resolve("hs110-plus-telnet.pcap");
        appendTelnetConnection(capture(), replay);
        assertThat(policy(analyze(replay, byUrl))).isEmpty();
        // ...while the same capture with its DHCP requests carrying the MUD URL attaches it.
        Path announced = dir.resolve("hs110-mud-url.pcap");
        withMudUrlOption(replay, announced, "https://mud.bulwark.invalid/tplink/hs110");
        assertThat(policy(analyze(announced, byUrl))).hasSize(1);
    }

    /** Copies a little-endian pcap and appends a TCP handshake plug to 52.49.65.150:23 one second after its end. */
    static void appendTelnetConnection(Path in, Path out) throws Exception {
        byte[] b = Files.readAllBytes(in);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(bb.getInt(0)).isEqualTo(0xa1b2c3d4);
        long lastSec = 0;
        for (int at = 24; at + 16 <= b.length; at += 16 + bb.getInt(at + 8)) {
            lastSec = Math.max(lastSec, bb.getInt(at) & 0xffffffffL);
        }
        ByteBuffer o = ByteBuffer.allocate(b.length + 3 * (16 + 54)).order(ByteOrder.LITTLE_ENDIAN);
        o.put(b);
        int plug = 0x0a0a0a14, cloud = 0x343141_96;
        frame(o, lastSec + 1, 0, PLUG_MAC, ROUTER_MAC, plug, cloud, 40000, 23, 0x02, 1000, 0);
        frame(o, lastSec + 1, 20_000, ROUTER_MAC, PLUG_MAC, cloud, plug, 23, 40000, 0x12, 5000, 1001);
        frame(o, lastSec + 1, 40_000, PLUG_MAC, ROUTER_MAC, plug, cloud, 40000, 23, 0x10, 1001, 5001);
        Files.write(out, java.util.Arrays.copyOf(o.array(), o.position()));
    }

    /**
     * Ethernet, IPv4 and TCP headers, no payload (record header little-endian, packet big-endian).
     * <pre>
     *  Ethernet: dst (6) | src (6) | type 0x0800
     *  IPv4: 0x45 | tos | total length 40 | id | flags/fragment | ttl 64 | proto 6 | checksum | src | dst
     *  TCP: sport | dport | seq | ack | data offset 5 | flags | window | checksum | urgent
     * </pre>
     */
    private static void frame(ByteBuffer o, long sec, int usec, long srcMac, long dstMac, int src, int dst, int sport,
                              int dport, int flags, long seq, long ack) {
        o.putInt((int) sec).putInt(usec).putInt(54).putInt(54);
        ByteBuffer p = o.slice().order(ByteOrder.BIG_ENDIAN);
        p.putShort((short) (dstMac >>> 32)).putInt((int) dstMac).putShort((short) (srcMac >>> 32)).putInt((int) srcMac);
        p.putShort((short) 0x0800);
        p.put((byte) 0x45).put((byte) 0).putShort((short) 40).putShort((short) 1).putShort((short) 0x4000);
        p.put((byte) 64).put((byte) 6).putShort((short) 0).putInt(src).putInt(dst);
        p.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack);
        p.put((byte) 0x50).put((byte) flags).putShort((short) 5840).putShort((short) 0).putShort((short) 0);
        o.position(o.position() + 54);
    }

    /**
     * Copies a little-endian pcap, rewriting each DHCPv4 client request's end option (255) into a
     * MUD URL option 161 followed by the end option, within the record's existing padding.
     */
    static void withMudUrlOption(Path in, Path out, String url) throws Exception {
        byte[] b = Files.readAllBytes(in);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        int rewritten = 0;
        for (int at = 24; at + 16 <= b.length; at += 16 + bb.getInt(at + 8)) {
            int len = bb.getInt(at + 8);
            int f = at + 16;
            // Ethernet + IPv4 (IHL 5) + UDP 68 -> 67: DHCP starts at 42
            if (len > 42 + 244 && (b[f + 12] & 0xff) == 8 && b[f + 13] == 0 && (b[f + 23] & 0xff) == 17
                    && (b[f + 34] & 0xff) == 0 && (b[f + 35] & 0xff) == 68) {
                int opt = f + 42 + 240;
                while (opt < f + len && (b[opt] & 0xff) != 255) {
                    opt += (b[opt] & 0xff) == 0 ? 1 : 2 + (b[opt + 1] & 0xff);
                }
                if (opt + 3 + url.length() < f + len) {
                    b[opt] = (byte) 161;
                    b[opt + 1] = (byte) url.length();
                    System.arraycopy(url.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, b, opt + 2, url.length());
                    b[opt + 2 + url.length()] = (byte) 255;
                    rewritten++;
                }
            }
        }
        assertThat(rewritten).isPositive();
        Files.write(out, b);
    }
}
