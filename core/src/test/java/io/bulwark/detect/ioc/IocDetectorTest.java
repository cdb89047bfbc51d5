package io.bulwark.detect.ioc;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;
import io.bulwark.detect.Device;
import io.bulwark.detect.Finding;
import io.bulwark.detect.Flows;
import io.bulwark.detect.Kind;
import io.bulwark.detect.LocalEngine;
import io.bulwark.detect.Severity;
import io.bulwark.flow.FlowConfig;
import io.bulwark.flow.FlowEntry;
import io.bulwark.flow.FlowTable;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.bulwark.detect.Flows.S;
import static io.bulwark.detect.Flows.T0;
import static org.assertj.core.api.Assertions.assertThat;

class IocDetectorTest {
    private static final IocList LIST = IocList.fromText(List.of("75.55.25.184", "203.0.113.66", "evil.example",
            "http://dl.bad.example/bins/mirai.arm7"), "partner-a");
    private final IocDetector d = new IocDetector(IocConfig.defaults().withList(LIST));
    private final IocState s = d.newState();
    private final Device dev = Flows.device("192.168.1.195");
    private final Flows.Found out = new Flows.Found();

    @Test
    void outboundFlowToListedAddress_isOneHighFinding_updatedAtEnd() {
        for (int i = 0; i < 5; i++) {
            d.onFlow(s, dev, Flows.tcp("192.168.1.195", 40000 + i, "75.55.25.184", 23, T0 + i * 60 * S, S, 5, 300, 4, 200,
                    0x1b, 0x1b, "SF"), true, out);
        }
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.kind()).isEqualTo(Kind.ioc);
            assertThat(f.severity()).isEqualTo(Severity.high);
            assertThat(f.subject()).isEqualTo("75.55.25.184");
            assertThat(f.detail()).containsEntry("indicator", "75.55.25.184").containsEntry("type", "ipv4")
                    .containsEntry("source", "partner-a").containsEntry("peer", "75.55.25.184").containsEntry("port", 23)
                    .containsEntry("direction", "outbound");
            assertThat(f.evidence()).hasSize(1);
        });
        d.onEnd(s, dev, T0 + 600 * S, out);
        assertThat(out.all).hasSize(2);
        Finding last = out.all.get(1);
        assertThat(last.firstSeen()).isEqualTo(T0);
        assertThat(last.lastSeen()).isEqualTo(T0 + 241 * S);
        assertThat(last.detail()).containsEntry("contacts", 5L);
        assertThat(last.evidence()).hasSize(IocState.MAX_EVIDENCE);
    }

    @Test
    void inboundProbeFromListedScanner_isMediumInbound_thenOutboundUpgradesIt() {
        d.onFlow(s, dev, Flows.attempt("203.0.113.66", "192.168.1.195", 23, T0), false, out);
        assertThat(out.all).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.medium);
            assertThat(f.detail()).containsEntry("direction", "inbound").containsEntry("port", 23);
        });
        d.onFlow(s, dev, Flows.attempt("192.168.1.195", "203.0.113.66", 80, T0 + S), true, out);
        assertThat(out.all).hasSize(2);
        assertThat(out.all.get(1).severity()).isEqualTo(Severity.high);
        assertThat(out.all.get(1).detail()).containsEntry("direction", "outbound");
    }

    @Test
    void unlistedPeers_andEmptyList_findNothing() {
        d.onFlow(s, dev, Flows.attempt("192.168.1.195", "198.51.100.1", 23, T0), true, out);
        IocDetector off = new IocDetector(IocConfig.defaults());
        IocState os = off.newState();
        off.onFlow(os, dev, Flows.attempt("192.168.1.195", "75.55.25.184", 23, T0), true, out);
        off.onEnd(os, dev, T0 + S, out);
        assertThat(off.wantsPackets()).isFalse();
        assertThat(out.all).isEmpty();
    }

    @Test
    void contactAfterTheEpisodeGap_isANewEpisode() {
        d.onFlow(s, dev, Flows.attempt("192.168.1.195", "75.55.25.184", 23, T0), true, out);
        d.onFlow(s, dev, Flows.attempt("192.168.1.195", "75.55.25.184", 23, T0 + 2 * 3600 * S), true, out);
        assertThat(out.all).extracting(Finding::firstSeen).containsExactly(T0, T0, T0 + 2 * 3600 * S);
    }

    @Test
    void perDeviceTable_manyIndicators_staysAtItsBound() {
        IocList.Builder b = new IocList.Builder();
        for (int i = 0; i < 100; i++) {
            b.ip("198.51.100." + i, "feed");
        }
        IocDetector many = new IocDetector(IocConfig.defaults().withList(b.build()));
        IocState ms = many.newState();
        for (int i = 0; i < 100; i++) {
            many.onFlow(ms, dev, Flows.attempt("192.168.1.195", "198.51.100." + i, 23, T0 + i * S), true, out);
        }
        assertThat(ms.hits).hasSize(IocConfig.defaults().maxPerDevice());
        assertThat(ms.used()).isEqualTo(IocConfig.defaults().maxPerDevice());
        assertThat(out.all.stream().map(Finding::subject).distinct()).hasSize(100);
    }

    // Packet mode, through the engine as the analyzer runs it.

    private final List<Finding> found = new ArrayList<>();
    private final AnomalyCounters anomalies = new AnomalyCounters();
    private final LocalEngine engine = new LocalEngine(List.of(d), LocalNets.defaults(), 100, anomalies, found::add, (ip, a) -> { });
    private final FlowTable table = new FlowTable(FlowConfig.defaults(), anomalies, "test");

    private void packet(long ts, String src, int sport, String dst, int dport, int proto, byte[] payload) {
        Packet p = new Packet();
        p.tsNanos = ts;
        p.ipVersion = 4;
        IpAddr a = IpAddr.parse(src), b = IpAddr.parse(dst);
        p.srcHi = a.hi();
        p.srcLo = a.lo();
        p.dstHi = b.hi();
        p.dstLo = b.lo();
        p.srcPort = sport;
        p.dstPort = dport;
        p.protocol = proto;
        p.tcpFlags = proto == 6 ? 0x18 : 0;
        p.buf = ByteBuffer.wrap(payload);
        p.payloadOffset = 0;
        p.payloadLength = payload.length;
        p.ipLength = 40 + payload.length;
        p.fileOffset = 24;
        p.recordLength = 70 + payload.length;
        FlowEntry e = table.add(p, engine::onFlow);
        engine.onPacket(p, e, "test.pcap");
    }

    private static byte[] dns(String name, boolean response) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(new byte[]{0x12, 0x34, (byte) (response ? 0x81 : 0x01), 0, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            o.write(label.length());
            o.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        o.writeBytes(new byte[]{0, 0, 1, 0, 1});
        return o.toByteArray();
    }

    @Test
    void dnsQueryForASubdomainOfAListedDomain_isFound() {
        packet(T0, "192.168.1.195", 5353, "8.8.8.8", 53, 17, dns("CNC.Evil.Example", false));
        packet(T0 + S, "192.168.1.20", 5354, "8.8.8.8", 53, 17, dns("good.example", false));
        table.flush(engine::onFlow);
        engine.finish(T0 + 10 * S);
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.host().toString()).isEqualTo("192.168.1.195");
            assertThat(f.detail()).containsEntry("indicator", "evil.example").containsEntry("type", "domain")
                    .containsEntry("matched", "dns_query").containsEntry("name", "cnc.evil.example")
                    .containsEntry("peer", "8.8.8.8").containsEntry("port", 53);
            assertThat(f.evidence().get(0).file()).isEqualTo("test.pcap");
        });
    }

    @Test
    void httpRequestForAListedUrl_isAUrlMatch_anotherPathOfItsHostIsNot() {
        byte[] get = "GET /bins/mirai.arm7 HTTP/1.0\r\nUser-Agent: wget\r\nHost: DL.bad.example:80\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] other = "GET /index.html HTTP/1.1\r\nHost: dl.bad.example\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        packet(T0, "192.168.1.195", 40000, "198.51.100.80", 80, 6, get);
        packet(T0, "192.168.1.21", 40001, "198.51.100.80", 80, 6, other);
        table.flush(engine::onFlow);
        engine.finish(T0 + 10 * S);
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.host().toString()).isEqualTo("192.168.1.195");
            assertThat(f.severity()).isEqualTo(Severity.high);
            assertThat(f.detail()).containsEntry("indicator", "http://dl.bad.example/bins/mirai.arm7")
                    .containsEntry("type", "url").containsEntry("matched", "http_url")
                    .containsEntry("peer", "198.51.100.80").containsEntry("port", 80);
        });
    }

    @Test
    void dnsLookupOfAListedUrlsHost_isAHostOnlyMediumMatch() {
        packet(T0, "192.168.1.195", 5353, "192.168.1.1", 53, 17, dns("dl.bad.example", false));
        table.flush(engine::onFlow);
        engine.finish(T0 + 10 * S);
        assertThat(found).isNotEmpty().allSatisfy(f -> {
            assertThat(f.severity()).isEqualTo(Severity.medium);
            assertThat(f.detail()).containsEntry("type", "url").containsEntry("matched", "dns_query");
        });
    }

    @Test
    void truncatedDnsAndHttp_neverThrow() {
        byte[] q = dns("evil.example", false);
        for (int n = 0; n < q.length; n++) {
            packet(T0 + n, "192.168.1.195", 5353, "8.8.8.8", 53, 17, java.util.Arrays.copyOf(q, n));
        }
        byte[] get = "GET /bins/mirai.arm7 HTTP/1.0\r\nHost: dl.bad.example\r\n".getBytes(StandardCharsets.US_ASCII);
        for (int n = 0; n < get.length; n++) {
            packet(T0 + n, "192.168.1.195", 40000, "198.51.100.80", 80, 6, java.util.Arrays.copyOf(get, n));
        }
        table.flush(engine::onFlow);
        engine.finish(T0 + 10 * S);
        assertThat(found).allSatisfy(f -> assertThat(f.kind()).isEqualTo(Kind.ioc));
    }
}
