package io.bulwark.detect.ioc;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.detect.Kind;
import io.bulwark.incident.Incident;
import io.bulwark.simulate.Simulator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: the simulator's mirai-outbreak (seed 1) analysed with an indicator list naming its
 * CNC's address and the CNC's domain, which the bots resolve through 8.8.8.8.
 */
class IocScenarioTest {
    @TempDir
    static Path dir;
    static Path pcap;
    static Simulator.Summary truth;

    @BeforeAll
    static void simulate() throws Exception {
        pcap = dir.resolve("mirai-outbreak.pcap");
        truth = Simulator.write("mirai-outbreak", 1, pcap, Simulator.Options.defaults());
    }

    private static Analyzer.Result analyze(AnalyzerConfig cfg) {
        Analyzer a = new Analyzer(cfg, new Analyzer.Listener() {
        });
        assertThat(a.add(pcap).error()).isNull();
        return a.finish();
    }

    private static final IocList LIST = IocList.fromStixPatterns(List.of(
            Map.entry("indicator--6a0b4f4e-0c4f-4c52-9a57-7a3b8b0c1d01",
                    "[ipv4-addr:value = '75.55.25.184'] OR [domain-name:value = 'cnc.changeme.example']"),
            Map.entry("indicator--6a0b4f4e-0c4f-4c52-9a57-7a3b8b0c1d02", "[file:name = 'mirai.arm7']")));

    private static Set<String> iocHosts(Analyzer.Result r, String indicator) {
        return r.incidents().stream().filter(i -> i.kind() == Kind.ioc && indicator.equals(i.detail().get("indicator")))
                .map(Incident::host).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> notIoc(Analyzer.Result r) {
        return r.incidents().stream().filter(i -> i.kind() != Kind.ioc).map(i -> i.id() + " " + i.kind() + " " + i.host()).toList();
    }

    @Test
    void miraiOutbreak_listedReportServerAndCncDomain_areIocIncidentsOfExactlyTheBotsThatTouchedThem() {
        Analyzer.Result none = analyze(AnalyzerConfig.defaults());
        Analyzer.Result listed = analyze(AnalyzerConfig.defaults().withIoc(IocConfig.defaults().withList(LIST)));

        assertThat(none.incidents()).noneMatch(i -> i.kind() == Kind.ioc);
        assertThat(notIoc(listed)).isEqualTo(notIoc(none));
        // The scan-report server takes results from the bots that found a telnet login; the
        // Hikvision camera (.103) found none in the run. The DVR (.104) starts already infected,
        // connected to its CNC without a lookup in the capture; the three bots infected on
        // camera resolve cnc.changeme.example through 8.8.8.8.
        assertThat(iocHosts(listed, "75.55.25.184")).containsExactly("192.168.1.101", "192.168.1.102", "192.168.1.104");
        assertThat(iocHosts(listed, "cnc.changeme.example")).containsExactly("192.168.1.101", "192.168.1.102", "192.168.1.103");
        Set<String> c2Truth = truth.malicious().stream().filter(b -> b.kind().equals(Simulator.C2))
                .map(b -> b.host().toString()).collect(Collectors.toSet());
        assertThat(listed.incidents()).filteredOn(i -> i.kind() == Kind.ioc).allSatisfy(i -> {
            assertThat(c2Truth).contains(i.host());
            assertThat(i.detail()).containsEntry("source", "indicator--6a0b4f4e-0c4f-4c52-9a57-7a3b8b0c1d01")
                    .containsEntry("direction", "outbound");
            assertThat(i.evidence()).isNotEmpty();
        });
        assertThat(LIST.ignored()).isEqualTo(1);
    }

    @Test
    void miraiOutbreak_flowsOnly_stillFindsTheAddress_notTheDomain() {
        Analyzer a = new Analyzer(AnalyzerConfig.defaults().withIoc(IocConfig.defaults().withList(LIST)),
                new Analyzer.Listener() {
                }, true);
        assertThat(a.add(pcap).error()).isNull();
        Analyzer.Result r = a.finish();
        assertThat(iocHosts(r, "75.55.25.184")).containsExactly("192.168.1.101", "192.168.1.102", "192.168.1.104");
        assertThat(iocHosts(r, "cnc.changeme.example")).isEmpty();
    }
}
