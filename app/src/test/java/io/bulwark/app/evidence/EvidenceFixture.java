package io.bulwark.app.evidence;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.TestPaths;
import io.bulwark.incident.Incident;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A genuine evidence directory and bundle, made by the real analyzer and exporter from
 * samples/iot-lan-scan.pcap (one scanning DVR; docs in samples/) with a fixed clock, for the
 * attack tests. The bundle is of the incident with the smallest excerpt, so that every byte of it
 * can be changed in turn.
 */
public final class EvidenceFixture {
    public static final Instant NOW = Instant.parse("2026-02-01T12:00:00Z");
    public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    public final Path evidence;
    public final List<Incident> incidents;
    public final String incident;
    public final Path bundle;

    public EvidenceFixture(Path dir) throws IOException {
        this(dir, false);
    }

    /**
     * @param small whether to cut each incident down to its first evidence reference, no detail
     *              and a short summary: a bundle of a few KiB, for tests that change every byte
     */
    public EvidenceFixture(Path dir, boolean small) throws IOException {
        Path sample = TestPaths.locate("samples/iot-lan-scan.pcap");
        Analyzer a = new Analyzer(AnalyzerConfig.defaults(), new Analyzer.Listener() {
        });
        Analyzer.InputStatus s = a.add(sample);
        if (s.error() != null) {
            throw new IllegalStateException(sample + ": " + s.error());
        }
        List<Incident> found = a.finish().incidents();
        incidents = !small ? found : found.stream().map(i -> new Incident(i.id(), i.kind(), i.host(), i.mac(), i.firstSeen(),
                i.detectedAt(), i.lastSeen(), i.severity(), i.confidence(), i.kind() + " by " + i.host(), i.detector(),
                Map.of(), i.evidence().subList(0, Math.min(1, i.evidence().size())))).toList();
        evidence = dir.resolve("evidence");
        EvidenceArchive.record(evidence, List.of(sample), incidents, new byte[0], CLOCK);
        incident = incidents.stream().map(Incident::id)
                .filter(id -> Files.exists(evidence.resolve("excerpts").resolve(id + ".pcapng")))
                .min(Comparator.comparingLong(id -> size(evidence.resolve("excerpts").resolve(id + ".pcapng"))))
                .orElseThrow();
        bundle = dir.resolve("genuine.zip");
        Bundle.export(evidence, incident, bundle, "Investigator A", null, CLOCK, false);
    }

    /** The fingerprint of the genuine log key, as {@code sha256sum log-key.pub} prints it. */
    public String keySha256() throws IOException {
        return io.bulwark.app.Sha256.hexOf(Files.readAllBytes(evidence.resolve("log").resolve("log-key.pub")));
    }

    public static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        BundleZip.write(b, files, NOW);
        return b.toByteArray();
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
