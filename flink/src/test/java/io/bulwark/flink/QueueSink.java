package io.bulwark.flink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A test sink that appends to a named in-JVM queue, so that output survives a job's cancel
 * and restart (the MiniCluster runs in the test's JVM).
 */
final class QueueSink implements Sink<IncidentUpdate> {
    private static final long serialVersionUID = 1L;
    private static final Map<String, Queue<IncidentUpdate>> QUEUES = new ConcurrentHashMap<>();
    private final String name;

    QueueSink(String name) {
        this.name = name;
        QUEUES.put(name, new ConcurrentLinkedQueue<>());
    }

    Queue<IncidentUpdate> queue() {
        return QUEUES.get(name);
    }

    @Override
    public SinkWriter<IncidentUpdate> createWriter(WriterInitContext context) {
        Queue<IncidentUpdate> q = QUEUES.get(name);
        return new SinkWriter<>() {
            @Override
            public void write(IncidentUpdate element, Context ctx) {
                q.add(element);
            }

            @Override
            public void flush(boolean endOfInput) {
            }

            @Override
            public void close() {
            }
        };
    }
}
