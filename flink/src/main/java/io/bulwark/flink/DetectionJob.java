package io.bulwark.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.Duration;

/**
 * The detection job: transport records ({@link io.bulwark.transport.EventCodec}) in, incident
 * updates out. The source and the sink are given, so the same graph runs on Kafka
 * ({@link KafkaJob}) and on in-memory data in tests.
 *
 * <pre>
 * source (uid "records")                         event time = record's stream time,
 *   -> route to devices (uid "route")            bounded out-of-orderness, idle splits
 *   -> keyBy device -> detect (uid "detect")     detectors in keyed state, event-time timers
 *   -> sink (uid "incidents")
 * </pre>
 *
 * Every operator has a uid (state survives upgrades: docs/scale-out.md) and a name. Generic
 * types are disabled: a stream type that would need Kryo fails the job at build time.
 */
public final class DetectionJob {
    static final TypeInformation<byte[]> RECORDS = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    private DetectionJob() {
    }

    /** Sets what every environment running the job needs: max parallelism, no Kryo fallback. */
    public static void configure(StreamExecutionEnvironment env, JobSettings settings) {
        env.setMaxParallelism(settings.maxParallelism());
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        env.configure(c);
    }

    /** The records-to-incidents graph on {@code env}; attach a sink with {@link #sink}. */
    public static DataStream<IncidentUpdate> incidents(StreamExecutionEnvironment env, Source<byte[], ?, ?> source,
                                                       JobSettings settings) {
        configure(env, settings);
        WatermarkStrategy<byte[]> time = WatermarkStrategy
                .<byte[]>forGenerator(c -> new StreamClock(settings.outOfOrderNanos()))
                .withTimestampAssigner((r, ts) -> StreamClock.timestamp(r))
                .withIdleness(Duration.ofMillis(settings.idleSourceMillis()));
        return env.fromSource(source, time, "transport records", RECORDS).uid("records")
                .flatMap(new RouteFunction(settings), TypeInformation.of(DeviceEvent.class))
                .uid("route").name("route to devices")
                .keyBy(DeviceEvent::device, TypeInformation.of(String.class))
                .process(new DetectFunction(settings), TypeInformation.of(IncidentUpdate.class))
                .uid("detect").name("detectors per device");
    }

    public static void sink(DataStream<IncidentUpdate> incidents, Sink<IncidentUpdate> sink) {
        incidents.sinkTo(sink).uid("incidents").name("incidents");
    }
}
