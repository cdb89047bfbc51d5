package io.bulwark.flink;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance test of the scale-out: the simulator's Mirai outbreak through the local
 * engine and through the Flink job on a MiniCluster at parallelism 2, the job's input out of
 * order, gives the same incidents (kind, host, detected_at), and the same ids.
 */
class EngineEqualityIT {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void miraiOutbreak_outOfOrderAtParallelism2_sameIncidentsAsLocalEngine() throws Exception {
        Outbreak o = Outbreak.get();
        assertThat(o.localIncidents).hasSizeGreaterThan(10);
        // Up to 3 s of stream time out of order; the watermark allows 5 s.
        List<byte[]> input = o.shuffled(7, 3_000_000_000L);
        assertThat(input).isNotEqualTo(o.records);
        Path file = RecordFile.write(o.dir.resolve("outbreak-shuffled.records"), input);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<IncidentUpdate> out = DetectionJob.incidents(env,
                RecordFile.source(file, input.size(), RateLimiterStrategy.noOp()), JobSettings.defaults())
                .executeAndCollect(1_000_000);

        assertThat(env.getConfig().getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThat(Outbreak.updateKeys(out)).containsExactlyElementsOf(Outbreak.keys(o.localIncidents));
        assertThat(out.stream().map(IncidentUpdate::id).distinct().sorted().toList())
                .containsExactlyElementsOf(o.localIncidents.stream().map(i -> i.id()).sorted().toList());
    }
}
