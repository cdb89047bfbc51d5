package io.bulwark.simulate;

import static io.bulwark.simulate.WireCheck.u16;
import static io.bulwark.simulate.WireCheck.u32;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.capture.CaptureSource;
import io.bulwark.decode.capture.Captures;
import io.bulwark.decode.packet.Packet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A frame read back through the production capture reader, copied out, with the few
 * Ethernet/IPv4/TCP fields the tests look at read straight from the bytes.
 */
record CapturedFrame(long tsNanos, byte[] b) {
    static final int IP = 14;

    static List<CapturedFrame> readAll(Path file) throws Exception {
        List<CapturedFrame> out = new ArrayList<>();
        try (CaptureSource src = Captures.open(file, new AnomalyCounters())) {
            Packet p = new Packet();
            while (src.next(p)) {
                byte[] b = new byte[p.caplen];
                p.buf.get(p.frameOffset, b);
                out.add(new CapturedFrame(p.tsNanos, b));
            }
            if (src.stopReason() != null) {
                throw new AssertionError("capture damaged: " + src.stopReason());
            }
        }
        return out;
    }

    int etherType() {
        return u16(b, 12);
    }

    int protocol() {
        return b[IP + 9] & 0xff;
    }

    int ttl() {
        return b[IP + 8] & 0xff;
    }

    boolean dontFragment() {
        return (u16(b, IP + 6) & 0x4000) != 0;
    }

    int src() {
        return (int) u32(b, IP + 12);
    }

    int dst() {
        return (int) u32(b, IP + 16);
    }

    int l4() {
        return IP + (b[IP] & 0x0f) * 4;
    }

    int srcPort() {
        return u16(b, l4());
    }

    int dstPort() {
        return u16(b, l4() + 2);
    }

    long seq() {
        return u32(b, l4() + 4);
    }

    long ack() {
        return u32(b, l4() + 8);
    }

    int tcpFlags() {
        return b[l4() + 13] & 0xff;
    }

    int tcpHeaderLength() {
        return ((b[l4() + 12] & 0xff) >>> 4) * 4;
    }

    int tcpPayloadLength() {
        return u16(b, IP + 2) - (l4() - IP) - tcpHeaderLength();
    }

    boolean isTcp() {
        return etherType() == 0x0800 && protocol() == Frame.PROTO_TCP;
    }
}
