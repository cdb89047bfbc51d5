package io.bulwark.flink;

import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The job as a cluster runs it: transport records from a Kafka topic, incidents (the
 * incidents.ndjson objects, keyed by incident id) to another. The entry point of the shaded
 * job jar (docs/scale-out.md):
 *
 * <pre>
 * flink run bulwark-flink-job.jar --bootstrap kafka:9092 [--records bulwark.records]
 *     [--incidents bulwark.incidents] [--group bulwark-detect] [--local-nets 10.0.0.0/8,...]
 *     [--out-of-order-s 5] [--idle-source-s 30] [--device-idle-s 3600] [--checkpoint-s 60] [--bounded]
 * </pre>
 */
public final class KafkaJob {
    private KafkaJob() {
    }

    /** Kafka source of transport records; {@code bounded} stops at the offsets current at start. */
    public static Source<byte[], ?, ?> source(String bootstrap, String topic, String group, boolean bounded) {
        KafkaSourceBuilder<byte[]> b = KafkaSource.<byte[]>builder()
                .setBootstrapServers(bootstrap)
                .setTopics(topic)
                .setGroupId(group)
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(KafkaRecordDeserializationSchema.valueOnly(ByteArrayDeserializer.class));
        if (bounded) {
            b.setBounded(OffsetsInitializer.latest());
        }
        return b.build();
    }

    /** Kafka sink of incident updates: key = incident id (compact the topic to keep the latest), value = JSON. */
    public static KafkaSink<IncidentUpdate> sink(String bootstrap, String topic) {
        return KafkaSink.<IncidentUpdate>builder()
                .setBootstrapServers(bootstrap)
                .setRecordSerializer(new IncidentRecords(topic))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                .build();
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        String bootstrap = a.get("bootstrap");
        if (bootstrap == null) {
            System.err.println("bulwark-flink-job: give --bootstrap HOST:PORT");
            System.exit(2);
        }
        JobSettings s = JobSettings.defaults();
        if (a.containsKey("local-nets")) {
            s = s.withLocalNets(List.of(a.get("local-nets").split(",")));
        }
        if (a.containsKey("out-of-order-s")) {
            s = s.withOutOfOrderNanos((long) (Double.parseDouble(a.get("out-of-order-s")) * 1e9));
        }
        if (a.containsKey("idle-source-s")) {
            s = s.withIdleSourceMillis((long) (Double.parseDouble(a.get("idle-source-s")) * 1000));
        }
        if (a.containsKey("device-idle-s")) {
            s = s.withDeviceIdleNanos((long) (Double.parseDouble(a.get("device-idle-s")) * 1e9));
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.enableCheckpointing((long) (Double.parseDouble(a.getOrDefault("checkpoint-s", "60")) * 1000));
        DetectionJob.sink(DetectionJob.incidents(env, source(bootstrap, a.getOrDefault("records", "bulwark.records"),
                a.getOrDefault("group", "bulwark-detect"), a.containsKey("bounded")), s),
                sink(bootstrap, a.getOrDefault("incidents", "bulwark.incidents")));
        env.execute("bulwark detection");
    }

    /**
     * Record key: the incident id, so a compacted topic keeps each incident's latest version;
     * value: the incidents.ndjson object. No record timestamp: the job's event time is traffic
     * time in nanoseconds, and Kafka's timestamp (retention) is the send time.
     */
    static final class IncidentRecords implements KafkaRecordSerializationSchema<IncidentUpdate> {
        private static final long serialVersionUID = 1L;
        private final String topic;

        IncidentRecords(String topic) {
            this.topic = topic;
        }

        @Override
        public ProducerRecord<byte[], byte[]> serialize(IncidentUpdate u, KafkaSinkContext ctx, Long timestamp) {
            return new ProducerRecord<>(topic, null, null, u.id().getBytes(StandardCharsets.UTF_8),
                    u.json().getBytes(StandardCharsets.UTF_8));
        }
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument: " + args[i] + " in " + Arrays.toString(args));
            }
            String k = args[i].substring(2);
            if (k.equals("bounded")) {
                m.put(k, "true");
            } else if (i + 1 < args.length) {
                m.put(k, args[++i]);
            } else {
                throw new IllegalArgumentException("--" + k + " needs a value");
            }
        }
        return m;
    }
}
