package io.bulwark.app.output;

import io.bulwark.evidence.EvidenceLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** The evidence log's two NDJSON files keep to their checked-in schemas. */
class EvidenceSchemaTest {
    @TempDir
    Path dir;

    @Test
    void evidenceLog_entriesAndTreeHeads_matchTheirSchemas() throws Exception {
        try (EvidenceLog log = EvidenceLog.open(dir, Clock.fixed(Instant.parse("2026-01-15T10:00:00Z"), ZoneOffset.UTC))) {
            log.signTreeHead();
            log.append("pcap", "capture \"1\".pcap", new byte[32]);
            log.append("finding", "inc-00000000000000ff", new byte[32]);
            log.signTreeHead();
        }
        assertThat(Schemas.violations(dir.resolve("entries.ndjson"), "evidence-entry.schema.json")).isEmpty();
        assertThat(Schemas.violations(dir.resolve("tree-heads.ndjson"), "tree-head.schema.json")).isEmpty();
    }
}
