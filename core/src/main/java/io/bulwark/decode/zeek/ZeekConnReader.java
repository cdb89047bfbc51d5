package io.bulwark.decode.zeek;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.zeek.ConnFields.Field;
import io.bulwark.flow.FlowRecord;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a Zeek conn.log, in the ASCII writer's TSV form or as JSON lines, into
 * {@link FlowRecord}s, recognising the form by content, never by file name.
 *
 * <p>Mapping: the uid is Zeek's; src/dst are id.orig_h/id.resp_h; for ICMP the "ports" are the
 * type (orig_p) and code (resp_p), as Zeek logs them and as Community ID wants them; bytes are
 * orig_ip_bytes/resp_ip_bytes, IP-level like flows built from packets; TCP flags come from
 * the history; the exporter is the file name; each record's firstOffset is its line's offset.
 *
 * <p>The file is streamed, with memory bounded by {@link LineSource#MAX_LINE} whatever its
 * size. Only an unreadable file or header throws ({@link BadInputException} from
 * {@link #open}); a bad row is counted as {@link Anomaly#zeek_line_malformed} at its offset
 * and skipped, and a last line cut off without its newline as {@link Anomaly#zeek_line_truncated}.
 * Not thread-safe.
 */
public final class ZeekConnReader implements Closeable {
    private final String file;
    private final String exporter;
    private final InputStream in;
    private final LineSource lines;
    private final AnomalyCounters anomalies;
    private final long size;
    private final String[] values = new String[Field.COUNT];
    private final boolean[] seen = new boolean[Field.COUNT];
    /** Exactly one of the two is set by {@link #readHeader}. */
    private TsvLayout tsv;
    private FlatJson json;
    /** {@link #readHeader} stopped on the first data line; {@link #next} starts with it. */
    private LineSource.Kind pending;
    private boolean done;
    private String stopReason;

    private ZeekConnReader(Path path, InputStream in, long size, AnomalyCounters anomalies) {
        this.file = path.toString();
        Path name = path.getFileName();
        this.exporter = name == null ? file : name.toString();
        this.in = in;
        this.lines = new LineSource(in, 0);
        this.size = size;
        this.anomalies = anomalies;
    }

    /**
     * True for the start of a TSV log ("#separator") or of a JSON log whose first line is an
     * object with "ts" and "id.orig_h". {@code n} is how many bytes of {@code head} are valid.
     */
    public static boolean looksLikeZeek(byte[] head, int n) {
        n = Math.min(n, head.length);
        byte[] tag = "#separator".getBytes(StandardCharsets.US_ASCII);
        if (n >= tag.length && Arrays.equals(head, 0, tag.length, tag, 0, tag.length)) {
            return true;
        }
        if (n == 0 || head[0] != '{') {
            return false;
        }
        int eol = 0;
        while (eol < n && head[eol] != '\n') {
            eol++;
        }
        String first = new String(head, 0, eol, StandardCharsets.UTF_8);
        if (eol == n) {
            // The first line goes on past what we were shown: judge by the keys alone.
            return first.contains("\"ts\"") && first.contains("\"id.orig_h\"");
        }
        FlatJson j = new FlatJson();
        return j.parse(first) && hasKey(j, "ts") && hasKey(j, "id.orig_h");
    }

    /**
     * Opens a conn.log. Throws when the file is missing, a directory or empty, or when it is
     * neither a TSV log with a usable #fields header and #path conn nor JSON lines starting
     * with a conn object; the message names the file, the offset and the reason.
     */
    public static ZeekConnReader open(Path path, AnomalyCounters anomalies) throws BadInputException {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new BadInputException(name, -1, "is a directory");
        }
        long size;
        InputStream in;
        try {
            size = Files.size(path);
            in = Files.newInputStream(path);
        } catch (IOException e) {
            throw BadInputException.unreadable(name, e);
        }
        boolean ok = false;
        try {
            if (size == 0) {
                throw new BadInputException(name, 0, "empty file");
            }
            ZeekConnReader reader = new ZeekConnReader(path, in, size, anomalies);
            reader.readHeader();
            ok = true;
            return reader;
        } finally {
            if (!ok) {
                closeQuietly(in);
            }
        }
    }

    private void readHeader() throws BadInputException {
        LineSource.Kind k = read();
        if (k == LineSource.Kind.TOO_LONG) {
            throw new BadInputException(file, 0, "first line longer than " + LineSource.MAX_LINE + " bytes: not a Zeek log");
        }
        byte first = lines.length() > 0 ? lines.bytes()[lines.from()] : 0;
        if (first == '{') {
            json = new FlatJson();
            String line = new String(lines.bytes(), lines.from(), lines.length(), StandardCharsets.UTF_8);
            if (!json.parse(line) || !hasKey(json, "ts") || !hasKey(json, "id.orig_h")) {
                throw new BadInputException(file, 0, "not a Zeek conn.log: first line is not a JSON object with ts and id.orig_h");
            }
            pending = k;
            return;
        }
        if (first != '#') {
            throw new BadInputException(file, 0, "not a Zeek conn.log: no '#' header and not JSON");
        }
        tsv = new TsvLayout();
        while ((k == LineSource.Kind.LINE || k == LineSource.Kind.UNTERMINATED) && isHeaderLine()) {
            String problem = tsv.header(lines.bytes(), lines.from(), lines.length());
            if (problem != null) {
                anomalies.count(Anomaly.zeek_header_invalid, lines.offset());
                throw new BadInputException(file, lines.offset(), problem);
            }
            k = read();
        }
        if (k == LineSource.Kind.TOO_LONG) {
            throw new BadInputException(file, lines.offset(), "header line longer than " + LineSource.MAX_LINE + " bytes");
        }
        if (!tsv.hasFields()) {
            anomalies.count(Anomaly.zeek_header_missing, lines.offset());
            throw new BadInputException(file, lines.offset(), "no #fields header before the first row");
        }
        pending = k;
    }

    private LineSource.Kind read() throws BadInputException {
        try {
            return lines.next();
        } catch (IOException e) {
            throw new BadInputException(file, lines.position(), "cannot read: " + e.getMessage());
        }
    }

    /**
     * The next flow, or null at the end of the file or when reading had to stop
     * ({@link #stopReason()}). Bad rows are counted and skipped, never thrown.
     */
    public FlowRecord next() {
        while (!done) {
            LineSource.Kind k = pending;
            pending = null;
            if (k == null) {
                try {
                    k = lines.next();
                } catch (IOException e) {
                    return stop("read error at offset " + lines.position() + ": " + e.getMessage());
                }
            }
            switch (k) {
                case END -> done = true;
                case TOO_LONG -> anomalies.count(Anomaly.zeek_line_malformed, lines.offset());
                case UNTERMINATED -> {
                    anomalies.count(Anomaly.zeek_line_truncated, lines.offset());
                    return stop("offset " + lines.offset() + ": last line has no newline (log cut off while written)");
                }
                case LINE -> {
                    FlowRecord r = record();
                    if (r != null) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    /** The current line's flow, or null for a header line or a counted bad row. */
    private FlowRecord record() {
        byte[] b = lines.bytes();
        int from = lines.from();
        int len = lines.length();
        long offset = lines.offset();
        boolean parsed;
        if (tsv != null) {
            if (isHeaderLine()) {
                String problem = tsv.header(b, from, len);
                if (problem != null) {
                    // The rows after a header we cannot use cannot be read either.
                    anomalies.count(Anomaly.zeek_header_invalid, offset);
                    stop("offset " + offset + ": " + problem);
                }
                return null;
            }
            parsed = tsv.row(b, from, len, values);
        } else {
            parsed = jsonRow(new String(b, from, len, StandardCharsets.UTF_8));
        }
        FlowRecord r = parsed ? ConnFields.toRecord(values, exporter, offset) : null;
        if (r == null) {
            anomalies.count(Anomaly.zeek_line_malformed, offset);
        }
        return r;
    }

    /**
     * Fills {@link #values} from one JSON line. Zeek omits unset fields from JSON, so an
     * absent key is unset. A known key given twice is refused: two readers of the same line
     * could otherwise see different flows.
     */
    private boolean jsonRow(String line) {
        Arrays.fill(values, null);
        Arrays.fill(seen, false);
        if (!json.parse(line)) {
            return false;
        }
        for (int i = 0; i < json.size(); i++) {
            Field f = Field.byName(json.key(i));
            if (f == null) {
                continue;
            }
            if (seen[f.ordinal()] || json.kind(i) == FlatJson.Kind.NESTED) {
                return false;
            }
            seen[f.ordinal()] = true;
            values[f.ordinal()] = json.value(i);
        }
        return true;
    }

    private boolean isHeaderLine() {
        return lines.length() > 0 && lines.bytes()[lines.from()] == '#';
    }

    private static boolean hasKey(FlatJson j, String key) {
        for (int i = 0; i < j.size(); i++) {
            if (j.key(i).equals(key)) {
                return true;
            }
        }
        return false;
    }

    private FlowRecord stop(String reason) {
        stopReason = reason;
        done = true;
        return null;
    }

    /** Null after a clean end; otherwise a one-line reason why reading stopped early. */
    public String stopReason() {
        return stopReason;
    }

    /** Bytes consumed so far, for progress reporting. */
    public long position() {
        return lines.position();
    }

    /** File size in bytes when it was opened. */
    public long size() {
        return size;
    }

    @Override
    public void close() {
        closeQuietly(in);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Read-only file: nothing written can be lost by a failed close.
        }
    }
}
