package io.bulwark.flink;

import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
    private transient List<byte[]> records;

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

    @Override
    public void open(SourceReaderContext ctx) throws IOException {
        records = new ArrayList<>();
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(Path.of(path)))) {
            DataInputStream d = new DataInputStream(in);
            while (in.available() > 0) {
                byte[] b = new byte[d.readInt()];
                d.readFully(b);
                records.add(b);
            }
        }
    }

    @Override
    public byte[] map(Long i) {
        return records.get(i.intValue());
    }
}
