package io.bulwark.flink;

import io.bulwark.decode.netflow.Softflowd;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka for real, end to end: softflowd exports the simulated Mirai outbreak as NetFlow v9 to
 * {@code bulwark collect --to-kafka} (the shaded app jar, its own JVM), which publishes to an
 * in-process KRaft broker (no Docker, loopback only); the Flink job reads the topic at
 * parallelism 2 and writes incidents to another topic. Those incidents are the ones collect
 * found itself: the same (kind, host, detected_at), and the same incidents.ndjson objects.
 */
class KafkaEndToEndIT {
    private static final Pattern LISTENING = Pattern.compile("listening for NetFlow.* on [0-9.]+:(\\d+)");
    private static final Pattern RECORDS = Pattern.compile(" records ([\\d,]+),");
    private static final Pattern PUBLISHED = Pattern.compile("kafka: ([\\d,]+) records \\(([\\d,]+) flows");
    private static final Pattern TRIPLE = Pattern.compile(
            "\"kind\":\"([a-z0-9_]+)\",\"host\":\"([^\"]+)\".*?\"detected_at\":\"([^\"]+)\"");

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path tmp;
    static KafkaClusterTestKit kafka;

    @BeforeAll
    static void broker() throws Exception {
        Softflowd.requireInstalled();
        kafka = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1)
                .setBaseDirectory(tmp.resolve("kafka"))
                // One broker: the internal topics (group offsets) cannot have three replicas.
                .setPerServerProperties(Map.of(0, Map.of("offsets.topic.replication.factor", "1",
                        "offsets.topic.num.partitions", "1", "transaction.state.log.replication.factor", "1",
                        "transaction.state.log.min.isr", "1", "group.initial.rebalance.delay.ms", "0")))
                .build()).build();
        kafka.format();
        kafka.startup();
        kafka.waitForReadyBrokers();
        try (Admin admin = kafka.admin()) {
            admin.createTopics(List.of(new NewTopic("records", 2, (short) 1), new NewTopic("incidents", 1, (short) 1),
                            new NewTopic("replay", 2, (short) 1), new NewTopic("replay-incidents", 1, (short) 1),
                            new NewTopic("sparse", 2, (short) 1)))
                    .all().get(60, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void collectToKafka_flinkJob_findsWhatCollectFinds() throws Exception {
        assertThat(kafka.bootstrapServers()).contains("localhost");
        Path out = tmp.resolve("collect");
        Path replay = tmp.resolve("replay.json");
        // softflowd flushes its whole cache at the end of a replay, in no time order: let the
        // collector put the capture back in order (docs/collect.md, "Replaying captures").
        // The job runs the keyed detectors only (no anomaly detector): so does the collector here.
        Files.writeString(replay, "{\"exports\": {\"lateness_s\": 200000, \"max_reorder\": 2000000},"
                + " \"anomaly\": {\"enabled\": false}}");
        String stderr = collect(out, replay, Outbreak.get().pcap);
        Matcher published = PUBLISHED.matcher(stderr);
        assertThat(published.find()).as(stderr).isTrue();
        assertThat(Long.parseLong(published.group(2).replace(",", ""))).isGreaterThan(100_000);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DetectionJob.sink(DetectionJob.incidents(env,
                KafkaJob.source(kafka.bootstrapServers(), "records", "bulwark-it", true), JobSettings.defaults()),
                KafkaJob.sink(kafka.bootstrapServers(), "incidents"));
        env.execute("collect to kafka to flink");

        TreeSet<String> expected = new TreeSet<>();
        for (String l : Files.readAllLines(out.resolve("incidents.ndjson"))) {
            expected.add(triple(l));
        }
        assertThat(expected).hasSizeGreaterThan(10);
        TreeSet<String> viaFlink = new TreeSet<>();
        for (String json : latestIncidents("incidents").values()) {
            viaFlink.add(triple(json));
        }
        assertThat(viaFlink).containsExactlyElementsOf(expected);
        // More than the triple: each incident's JSON object is the one collect wrote, byte for byte.
        assertThat(new TreeSet<>(latestIncidents("incidents").values()))
                .containsExactlyElementsOf(new TreeSet<>(Files.readAllLines(out.resolve("incidents.ndjson"))));
    }

    /**
     * Replaying a capture: {@code analyze --to-kafka} publishes packet facts as well as flows;
     * the job's incidents are analyze's own incidents.ndjson objects.
     */
    @Test
    void analyzeToKafka_packetFactsAndFlows_flinkJobWritesAnalyzesIncidents() throws Exception {
        Path out = tmp.resolve("analyze");
        Path keyed = tmp.resolve("keyed.json");
        Files.writeString(keyed, "{\"anomaly\": {\"enabled\": false}}");   // the job's detectors
        Path jar = Path.of("..", "app", "target", "bulwark.jar").toAbsolutePath().normalize();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString(), "analyze", Outbreak.get().pcap.toString(), "--out", out.toString(), "--no-store",
                "--config", keyed.toString(), "--to-kafka", kafka.bootstrapServers(), "--topic", "replay")
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        Matcher m = Pattern.compile("kafka: ([\\d,]+) records \\(([\\d,]+) flows, ([\\d,]+) packet facts").matcher(log);
        assertThat(m.find()).as(log).isTrue();
        assertThat(Long.parseLong(m.group(3).replace(",", ""))).isGreaterThan(100_000);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DetectionJob.sink(DetectionJob.incidents(env,
                KafkaJob.source(kafka.bootstrapServers(), "replay", "bulwark-it-replay", true), JobSettings.defaults()),
                KafkaJob.sink(kafka.bootstrapServers(), "replay-incidents"));
        env.execute("analyze to kafka to flink");

        List<String> expected = Files.readAllLines(out.resolve("incidents.ndjson"));
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(new TreeSet<>(latestIncidents("replay-incidents").values()))
                .containsExactlyElementsOf(new TreeSet<>(expected));
    }

    /**
     * An idle partition does not hold detection back: every record goes to partition 0 of two,
     * the job (parallelism 2, so one reader has only the empty partition) runs unbounded, and
     * incidents still come out once that reader is declared idle. Without idleness the
     * watermark would wait for the empty partition forever.
     */
    @Test
    void idlePartition_doesNotHoldTheWatermark() throws Exception {
        Outbreak o = Outbreak.get();
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(), "linger.ms", 20),
                new org.apache.kafka.common.serialization.ByteArraySerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            for (byte[] r : o.records) {
                producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>("sparse", 0, null, r));
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        QueueSink sink = new QueueSink("sparse");
        DetectionJob.sink(DetectionJob.incidents(env, KafkaJob.source(kafka.bootstrapServers(), "sparse", "it-sparse", false),
                JobSettings.defaults().withIdleSourceMillis(1000)), sink);
        var job = env.executeAsync("idle partition");
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (sink.queue().size() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(sink.queue()).hasSizeGreaterThanOrEqualTo(20);
            java.util.Set<String> local = new java.util.HashSet<>();
            o.localIncidents.forEach(i -> local.add(i.id()));
            assertThat(sink.queue()).allSatisfy(u -> assertThat(local).contains(u.id()));
        } finally {
            job.cancel().get();
        }
    }

    private static String triple(String json) {
        Matcher m = TRIPLE.matcher(json);
        assertThat(m.find()).as(json).isTrue();
        return m.group(1) + " " + m.group(2) + " " + m.group(3);
    }

    /** The incidents topic read to its end: the latest value of each incident id. */
    private static Map<String, String> latestIncidents(String topic) {
        Map<String, String> latest = new HashMap<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer())) {
            TopicPartition p = new TopicPartition(topic, 0);
            c.assign(List.of(p));
            c.seekToBeginning(List.of(p));
            long end = c.endOffsets(List.of(p)).get(p);
            while (c.position(p) < end) {
                for (ConsumerRecord<String, String> r : c.poll(Duration.ofSeconds(1))) {
                    latest.put(r.key(), r.value());
                }
            }
        }
        return latest;
    }

    /**
     * Runs {@code bulwark collect --to-kafka} from the app's shaded jar, has softflowd replay the
     * capture to it as NetFlow v9, waits until every record is decoded, and stops it with SIGTERM.
     */
    private static String collect(Path out, Path config, Path pcap) throws Exception {
        Path jar = Path.of("..", "app", "target", "bulwark.jar").toAbsolutePath().normalize();
        assertThat(jar).as("the app's jar: the reactor packages app before flink").exists();
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-jar", jar.toString(), "collect", "--netflow", "127.0.0.1:0", "--out", out.toString(), "--no-store",
                "--stats-every", "0.3", "--config", config.toString(),
                "--to-kafka", kafka.bootstrapServers(), "--topic", "records");
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(l);
                    }
                }
            } catch (java.io.IOException ignored) {
                // the process ended
            }
        });
        reader.start();
        try {
            int port = Integer.parseInt(await(lines, LISTENING, 60).group(1));
            long sent = Softflowd.send(pcap, 9, 249_368, port, tmp).records();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
            while (System.nanoTime() < deadline) {
                Matcher m = last(lines, RECORDS);
                if (m != null && Long.parseLong(m.group(1).replace(",", "")) >= sent) {
                    break;
                }
                Thread.sleep(100);
            }
            // Through the handle: Process.destroy() would also close our end of its stderr, and
            // the collector's summary would be lost.
            p.toHandle().destroy();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            reader.join(10_000);
            String all;
            synchronized (lines) {
                all = String.join("\n", lines);
            }
            assertThat(p.exitValue()).as(all).isIn(0, 143);
            return all;
        } finally {
            p.destroyForcibly();
        }
    }

    private static Matcher await(List<String> lines, Pattern pattern, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Matcher m = last(lines, pattern);
            if (m != null) {
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no line matching " + pattern + " in " + lines);
    }

    private static Matcher last(List<String> lines, Pattern pattern) {
        synchronized (lines) {
            for (int i = lines.size() - 1; i >= 0; i--) {
                Matcher m = pattern.matcher(lines.get(i));
                if (m.find()) {
                    return m;
                }
            }
        }
        return null;
    }
}
