package io.bulwark.decode.zeek;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.flow.FlowRecord;

import java.nio.file.Path;

/** Zeek conn.log reader: interface placeholder until the reader lands. */
public final class ZeekConnReader implements AutoCloseable {
    public static boolean looksLikeZeek(byte[] head, int n) {
        return false;
    }

    public static ZeekConnReader open(Path path, AnomalyCounters anomalies) throws BadInputException {
        throw new BadInputException(path.toString(), 0, "conn.log is not supported yet");
    }

    public FlowRecord next() { return null; }
    public long position() { return 0; }
    public long size() { return 0; }
    public String stopReason() { return null; }
    @Override public void close() { }
}
