package io.bulwark.app.cli;

import io.bulwark.analyze.Analyzer;
import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.kafka.RecordPublisher;
import io.bulwark.detect.DeviceDetectors;
import io.bulwark.transport.EdgeTap;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.Locale;

/**
 * {@code --to-kafka BOOTSTRAP --topic T}: also publish what the detectors see (flow records and
 * packet facts) to Kafka, for the Flink job (docs/scale-out.md). Local detection and output
 * are unchanged.
 */
final class KafkaOptions {
    @Option(names = "--to-kafka", paramLabel = "BOOTSTRAP",
            description = "also publish flow records and packet facts to Kafka (host:port[,host:port...])")
    String bootstrap;

    @Option(names = "--topic", paramLabel = "T", defaultValue = "bulwark.records",
            description = "Kafka topic for --to-kafka (default: ${DEFAULT-VALUE})")
    String topic;

    /** An open edge, or null without --to-kafka. */
    Edge open(AnalyzerConfig cfg) {
        if (bootstrap == null) {
            return null;
        }
        RecordPublisher p = new RecordPublisher(bootstrap, topic);
        return new Edge(p, new EdgeTap(cfg.localNets(), new DeviceDetectors(Analyzer.detectors(cfg)), p), topic);
    }

    static Analyzer.Tap tap(Edge e) {
        return e == null ? Analyzer.Tap.NONE : e.tap();
    }

    record Edge(RecordPublisher publisher, EdgeTap tap, String topic) implements AutoCloseable {
        /** Flushes; prints the one-line result. Returns false when records were lost. */
        boolean finish(PrintStream err, boolean quiet) {
            String error = publisher.finish();
            if (error != null) {
                err.println("bulwark: " + error);
                return false;
            }
            if (!quiet) {
                err.printf(Locale.ROOT, "kafka: %,d records (%,d flows, %,d packet facts, %,d bytes) published to %s%n",
                        publisher.sent(), tap.flowsPublished(), tap.packetsPublished(), tap.bytesPublished(), topic);
            }
            return true;
        }

        @Override
        public void close() {
            publisher.close();
        }
    }
}
