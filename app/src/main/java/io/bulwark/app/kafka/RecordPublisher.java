package io.bulwark.app.kafka;

import io.bulwark.transport.EdgeTap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Publishes transport records ({@link io.bulwark.transport.EventCodec}) to a Kafka topic for the
 * Flink job. Records have no key: the job restores each device's order from the records'
 * own sequence and stream time, so partitions may interleave freely. The Kafka timestamp is
 * the send time (retention counts from it); event time is inside the record.
 *
 * <p>Sends are asynchronous and batched; a failed send is counted and its first error kept
 * for {@link #finish}, never thrown on the reading thread. After the first failure the rest
 * are counted as failed without being sent. Compression is off: the encoding
 * is already compact, and the compression codecs' native libraries are left out of the jar.
 */
public final class RecordPublisher implements EdgeTap.Publisher, AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Exception> firstError = new AtomicReference<>();
    private long sent;

    public RecordPublisher(String bootstrap, String topic) {
        this.topic = topic;
        this.producer = producer(bootstrap);
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        try {
            return new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ProducerConfig.ACKS_CONFIG, "all",
                    ProducerConfig.LINGER_MS_CONFIG, 20,
                    ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                    ProducerConfig.COMPRESSION_TYPE_CONFIG, "none",
                    ProducerConfig.CLIENT_ID_CONFIG, "bulwark-edge",
                    ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000),
                    new ByteArraySerializer(), new ByteArraySerializer());
        } catch (KafkaException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException("cannot publish to Kafka at " + bootstrap + ": " + root.getMessage(), e);
        }
    }

    @Override
    public void publish(byte[] record) {
        sent++;
        if (firstError.get() != null) {
            // The broker is failing: count the rest instead of blocking on each send.
            failed.incrementAndGet();
            return;
        }
        producer.send(new ProducerRecord<>(topic, null, null, null, record), (meta, e) -> {
            if (e != null) {
                failed.incrementAndGet();
                firstError.compareAndSet(null, e);
            }
        });
    }

    public long sent() {
        return sent;
    }

    /** Sends what is buffered and waits for it; the first failure's reason, or null. */
    public String finish() {
        producer.flush();
        Exception e = firstError.get();
        return e == null ? null : failed.get() + " of " + sent + " records not published to " + topic + ": " + e.getMessage();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
