package io.bulwark.app.score;

import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code analyze --scores FILE}: the anomaly detector's scores as tab-separated text,
 * one packet or flow a line, for {@code bulwark score}.
 *
 * <pre>
 * # bulwark anomaly scores v1
 * p  NUMBER  SCORE          a packet: its ordinal over all inputs from 1 (as tshark's frame.number for one file)
 * f  UID     HOST  SCORE    an ended flow, as seen by its local endpoint HOST (twice when both are local)
 * </pre>
 */
public final class ScoresWriter implements Closeable {
    public static final String HEADER = "# bulwark anomaly scores v1";
    private final BufferedWriter out;

    public ScoresWriter(Path file) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        out.write(HEADER);
        out.write('\n');
    }

    public void packet(long number, double score) {
        try {
            out.write("p\t");
            out.write(Long.toString(number));
            out.write('\t');
            out.write(score == 0 ? "0" : Float.toString((float) score));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void flow(FlowRecord f, IpAddr host, double score) {
        try {
            out.write("f\t");
            out.write(f.uid());
            out.write('\t');
            out.write(host.toString());
            out.write('\t');
            out.write(Float.toString((float) score));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
