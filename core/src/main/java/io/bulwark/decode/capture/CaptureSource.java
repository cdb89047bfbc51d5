package io.bulwark.decode.capture;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.packet.Packet;

import java.io.Closeable;

/**
 * A stream of captured frames. {@link #next} fills the frame fields of a reused
 * {@link Packet} (buffer, offset, lengths, timestamp, link type, file offset) and never
 * throws on bad bytes: damage is counted in the {@link AnomalyCounters} and, when reading
 * cannot go on, reading stops with {@link #stopReason()} set. Everything read before the
 * damage stays valid.
 */
public interface CaptureSource extends Closeable {
    /** Reads the next frame into {@code p}. Returns false at the end or when reading had to stop. */
    boolean next(Packet p);

    /** Null after a clean end; otherwise a one-line reason why reading stopped early. */
    String stopReason();

    /** Byte offset of the damage named by {@link #stopReason()}, or -1. */
    long stopOffset();

    /** Bytes consumed so far, for progress reporting. */
    long position();

    long size();

    /** "pcap" or "pcapng". */
    String format();

    @Override
    void close();
}
