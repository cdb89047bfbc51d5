package io.bulwark.flink;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The stream types are POJOs by Flink's rules: serialised field by field, never by Kryo. */
class StreamTypesTest {
    private static <T> T roundTrip(TypeInformation<T> type, T value) throws Exception {
        SerializerConfigImpl cfg = new SerializerConfigImpl();
        cfg.setGenericTypes(false);
        TypeSerializer<T> s = type.createSerializer(cfg);
        DataOutputSerializer out = new DataOutputSerializer(64);
        s.serialize(value, out);
        return s.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    @Test
    void deviceEvent_isAPojo_andRoundTrips() throws Exception {
        TypeInformation<DeviceEvent> t = TypeInformation.of(DeviceEvent.class);
        assertThat(t).isInstanceOf(PojoTypeInfo.class);
        DeviceEvent e = new DeviceEvent("192.168.1.101", 1_768_471_200_000_000_000L, 42, true, new byte[] {1, 2, 3});
        DeviceEvent back = roundTrip(t, e);
        assertThat(back.device()).isEqualTo(e.device());
        assertThat(back.streamNanos()).isEqualTo(e.streamNanos());
        assertThat(back.order()).isEqualTo(42);
        assertThat(back.outbound()).isTrue();
        assertThat(back.record()).containsExactly(1, 2, 3);
    }

    @Test
    void incidentUpdate_isAPojo_andRoundTrips() throws Exception {
        TypeInformation<IncidentUpdate> t = TypeInformation.of(IncidentUpdate.class);
        assertThat(t).isInstanceOf(PojoTypeInfo.class);
        IncidentUpdate u = new IncidentUpdate("inc-1", "scan", "192.168.1.101", 1, 2, 3, "{}");
        assertThat(roundTrip(t, u)).isEqualTo(u);
    }

    @Test
    void executionConfig_ofTheJob_refusesGenericTypes() {
        var env = org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.configure(env, JobSettings.defaults());
        ExecutionConfig c = env.getConfig();
        assertThat(c.getSerializerConfig().hasGenericTypesDisabled()).isTrue();
        assertThat(c.getMaxParallelism()).isEqualTo(4096);
    }

    @Test
    void everyOperator_hasAUidAndAName() {
        var env = org.apache.flink.streaming.api.environment.StreamExecutionEnvironment.getExecutionEnvironment();
        DetectionJob.sink(DetectionJob.incidents(env, new org.apache.flink.connector.datagen.source.DataGeneratorSource<>(
                i -> new byte[0], 1, DetectionJob.RECORDS), JobSettings.defaults()),
                new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
        var graph = env.getStreamGraph();
        java.util.List<String> uids = new java.util.ArrayList<>();
        for (var node : graph.getStreamNodes()) {
            assertThat(node.getOperatorName()).isNotBlank();
            if (node.getTransformationUID() != null) {
                uids.add(node.getTransformationUID());
            }
        }
        assertThat(uids).contains("records", "route", "detect");
        assertThat(graph.getStreamNodes()).allSatisfy(n -> assertThat(n.getTransformationUID())
                .as(n.getOperatorName()).isNotNull());
    }
}
