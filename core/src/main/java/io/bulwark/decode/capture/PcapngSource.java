package io.bulwark.decode.capture;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;
import io.bulwark.decode.packet.Packet;

/** pcapng reader: placeholder until the pcapng decoder lands. */
final class PcapngSource implements CaptureSource {
    PcapngSource(MappedFile file, AnomalyCounters anomalies, String name) throws BadInputException {
        throw new BadInputException(name, 0, "pcapng is not supported yet");
    }

    @Override public boolean next(Packet p) { return false; }
    @Override public String stopReason() { return null; }
    @Override public long stopOffset() { return -1; }
    @Override public long position() { return 0; }
    @Override public long size() { return 0; }
    @Override public String format() { return "pcapng"; }
    @Override public void close() { }
}
