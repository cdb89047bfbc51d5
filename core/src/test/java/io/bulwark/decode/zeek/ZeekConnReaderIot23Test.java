package io.bulwark.decode.zeek;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The real conn.logs of the IoT-23 data set (Stratosphere Lab, CTU, 2020; CC BY 4.0),
 * kept outside the repository in {@code ../shared/datasets/iot23} next to the repo root.
 * Skipped, saying so, where that folder is absent.
 */
class ZeekConnReaderIot23Test {

    @TestFactory
    Stream<DynamicTest> open_eachIot23ConnLog_readsEveryRowWithoutAnomalies() throws IOException {
        Path folder = datasetFolder();
        List<Path> logs;
        try (Stream<Path> s = Files.list(folder)) {
            logs = s.filter(p -> p.getFileName().toString().endsWith(".conn.log")).sorted().toList();
        }
        assumeTrue(!logs.isEmpty(), "no *.conn.log in " + folder);
        return logs.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> readsFully(p)));
    }

    @Test
    void next_capture8FirstRow_isExact() throws Exception {
        Path log = datasetFolder().resolve("CTU-IoT-Malware-Capture-8-1.conn.log");
        assumeTrue(Files.isRegularFile(log), "IoT-23 capture 8-1 conn.log absent: " + log);
        try (ZeekConnReader r = ZeekConnReader.open(log, new AnomalyCounters())) {
            FlowRecord f = r.next();

            assertThat(f.uid()).isEqualTo("C5JLGOoxIw2dBZt47");
            assertThat(f.startNanos()).isEqualTo(1_533_042_911_474_174_000L);
            assertThat(f.endNanos()).isEqualTo(1_533_042_911_479_664_000L);
            assertThat(f.src()).isEqualTo(IpAddr.parse("192.168.100.113"));
            assertThat(f.dst()).isEqualTo(IpAddr.parse("81.2.254.224"));
            assertThat(f.bytesOut()).isEqualTo(76);
        }
    }

    private static void readsFully(Path log) throws Exception {
        List<String> expectedUids = uidsOfDataLines(log);
        AnomalyCounters anomalies = new AnomalyCounters();
        List<FlowRecord> flows = new ArrayList<>();
        try (ZeekConnReader r = ZeekConnReader.open(log, anomalies)) {
            for (FlowRecord f; (f = r.next()) != null; ) {
                flows.add(f);
            }
            assertThat(r.stopReason()).isNull();
            assertThat(r.position()).isEqualTo(r.size()).isEqualTo(Files.size(log));
        }

        assertThat(anomalies.nonZero()).isEmpty();
        assertThat(flows).hasSize(expectedUids.size());
        assertThat(flows).extracting(FlowRecord::uid).isEqualTo(expectedUids);
        assertThat(flows).allSatisfy(f -> {
            assertThat(f.exporter()).isEqualTo(log.getFileName().toString());
            assertThat(f.protocol()).isIn(1, 6, 17);
            assertThat(f.endNanos()).isGreaterThanOrEqualTo(f.startNanos());
            assertThat(f.communityId()).startsWith("1:");
        });
        assertThat(flows).extracting(FlowRecord::firstOffset).isSorted().doesNotHaveDuplicates();
    }

    /** An independent count: the uid column of every line that is not a '#' header line. */
    private static List<String> uidsOfDataLines(Path log) throws IOException {
        List<String> uids = new ArrayList<>();
        int uidColumn = -1;
        try (BufferedReader in = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("#fields\t")) {
                    uidColumn = Arrays.asList(line.split("\t")).indexOf("uid") - 1;
                } else if (!line.startsWith("#")) {
                    uids.add(line.split("\t", -1)[uidColumn]);
                }
            }
        }
        return uids;
    }

    /** {@code shared/datasets/iot23} beside the repository root, found by walking up from the working directory. */
    private static Path datasetFolder() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("shared").resolve("datasets").resolve("iot23");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        assumeTrue(false, "IoT-23 data set not found: expected ../shared/datasets/iot23 beside the repository root"
                + " (looked upwards from " + Path.of("").toAbsolutePath() + ")");
        throw new IllegalStateException("unreachable");
    }
}
