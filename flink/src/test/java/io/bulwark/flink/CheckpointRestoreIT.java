package io.bulwark.flink;

import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stop the job mid-stream, restore it from its last retained checkpoint, and finish: the
 * incidents (every field of the final version of each) equal those of an uninterrupted run.
 */
class CheckpointRestoreIT {
    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static Map<String, String> finalJson(Iterable<IncidentUpdate> updates) {
        Map<String, String> last = new LinkedHashMap<>();
        for (IncidentUpdate u : updates) {
            last.put(u.id(), u.json());
        }
        return last;
    }

    private static StreamExecutionEnvironment env(Configuration conf) {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    private static Optional<Path> lastCheckpoint(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> s = Files.walk(dir, 2)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(4))));
        }
    }

    @Test
    void stoppedMidStream_restoredFromCheckpoint_sameIncidentsAsUninterruptedRun() throws Exception {
        Outbreak o = Outbreak.get();
        List<byte[]> input = o.shuffled(11, 3_000_000_000L);
        Path file = RecordFile.write(o.dir.resolve("outbreak-restore.records"), input);
        JobSettings settings = JobSettings.defaults();

        QueueSink whole = new QueueSink("uninterrupted");
        StreamExecutionEnvironment e0 = env(new Configuration());
        DetectionJob.sink(DetectionJob.incidents(e0, RecordFile.source(file, input.size(), RateLimiterStrategy.noOp()),
                settings), whole);
        e0.execute("uninterrupted");
        Map<String, String> expected = finalJson(whole.queue());
        assertThat(expected).hasSizeGreaterThan(10);

        Path checkpoints = o.dir.resolve("checkpoints");
        Configuration conf = new Configuration();
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        conf.set(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(300));
        QueueSink split = new QueueSink("restored");
        StreamExecutionEnvironment e1 = env(conf);
        // A checkpoint gates each tenth of the input: the job cannot finish before several.
        DetectionJob.sink(DetectionJob.incidents(e1,
                RecordFile.source(file, input.size(), RateLimiterStrategy.perCheckpoint(input.size() / 20)), settings),
                split);
        JobClient first = e1.executeAsync("until stopped");
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        Optional<Path> cp = Optional.empty();
        while (System.nanoTime() < deadline) {
            cp = lastCheckpoint(checkpoints);
            if (cp.isPresent() && Integer.parseInt(cp.get().getFileName().toString().substring(4)) >= 4) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(cp).isPresent();
        first.cancel().get();
        while (!first.getJobStatus().get().isGloballyTerminalState()) {
            Thread.sleep(20);
        }
        assertThat(first.getJobStatus().get()).isEqualTo(JobStatus.CANCELED);
        Path restoreFrom = lastCheckpoint(checkpoints).orElseThrow();
        int beforeRestore = split.queue().size();

        Configuration restore = new Configuration();
        restore.set(StateRecoveryOptions.SAVEPOINT_PATH, restoreFrom.toUri().toString());
        StreamExecutionEnvironment e2 = env(restore);
        DetectionJob.sink(DetectionJob.incidents(e2, RecordFile.source(file, input.size(), RateLimiterStrategy.noOp()),
                settings), split);
        e2.execute("restored");

        // The second run went on from the checkpoint: it did not replay the whole input.
        int afterRestore = split.queue().size() - beforeRestore;
        System.out.printf("updates: uninterrupted %d, before stop %d, after restore %d (from %s)%n",
                whole.queue().size(), beforeRestore, afterRestore, restoreFrom.getFileName());
        assertThat(afterRestore).isPositive().isLessThan(whole.queue().size());
        assertThat(finalJson(new ArrayList<>(split.queue()))).isEqualTo(expected);
        assertThat(Outbreak.updateKeys(new ArrayList<>(split.queue()))).containsExactlyElementsOf(Outbreak.keys(o.localIncidents));
    }
}
