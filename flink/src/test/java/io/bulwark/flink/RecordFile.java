package io.bulwark.flink;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpointable test source of transport records kept in a file (length-prefixed), so the
 * job graph stays small: record i of the file is element i of a number-sequence source, which
 * splits the sequence between its readers and checkpoints its position.
 */
final class RecordFile implements GeneratorFunction<Long, byte[]> {
    private static final long serialVersionUID = 1L;
    private final String path;
    private transient java.nio.MappedByteBuffer map;
    private transient int[] offsets;

    private RecordFile(Path path) {
        this.path = path.toString();
    }

    static Path write(Path file, List<byte[]> records) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(file)))) {
            for (byte[] r : records) {
                out.writeInt(r.length);
                out.write(r);
            }
        }
        return file;
    }

    static DataGeneratorSource<byte[]> source(Path file, int count, RateLimiterStrategy rate) {
        return new DataGeneratorSource<>(new RecordFile(file), count, rate, DetectionJob.RECORDS);
    }

    /** Maps the file and indexes its records: each reader pays a scan of the lengths, not a copy. */
    @Override
    public void open(SourceReaderContext ctx) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(Path.of(path))) {
            map = ch.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, 0, ch.size());
        }
        java.util.ArrayList<Integer> at = new ArrayList<>();
        int pos = 0;
        while (pos < map.limit()) {
            at.add(pos);
            pos += 4 + map.getInt(pos);
        }
        offsets = at.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public byte[] map(Long i) {
        int at = offsets[i.intValue()];
        byte[] b = new byte[map.getInt(at)];
        map.get(at + 4, b);
        return b;
    }
}
