package io.bulwark.evidence;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a pcapng file (draft-ietf-opsawg-pcapng) holding the packets of one excerpt, in the
 * writer's (little-endian) byte order, readable by Wireshark, tshark and Bulwark:
 *
 * <pre>
 *  Section Header Block   type 0x0A0D0D0A | length | byte-order magic 0x1A2B3C4D | 1.0 | section length -1
 *                         | shb_comment "Bulwark evidence: incident ..." | shb_userappl | length
 *  Interface Description  type 1 | length | link type | reserved | snaplen | if_tsresol 9 (ns) | length
 *  Enhanced Packet Block  type 6 | length | interface | ts high | ts low | captured | original
 *                         | frame, padded to 4 | opt_comment "source FILE offset N" | length
 * </pre>
 * One interface per link type seen. Not thread-safe; the caller closes the stream.
 */
final class PcapngExcerpt {
    private static final int SHB = 0x0A0D0D0A;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int OPT_COMMENT = 1;
    private static final int OPT_END = 0;
    private static final int SHB_USERAPPL = 4;
    private static final int IF_TSRESOL = 9;

    private final OutputStream out;
    private final Map<Integer, Integer> interfaces = new HashMap<>();
    private long packets;
    private long bytes;

    PcapngExcerpt(OutputStream out, String comment, String application) throws IOException {
        this.out = out;
        ByteBuffer b = block(SHB, 16 + option(comment) + option(application) + 4);
        b.putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0).putLong(-1L);
        putOption(b, OPT_COMMENT, comment);
        putOption(b, SHB_USERAPPL, application);
        b.putShort((short) OPT_END).putShort((short) 0);
        finish(b);
    }

    /** Appends one frame, captured on {@code linkType}, at {@code tsNanos}. */
    void packet(int linkType, long tsNanos, ByteBuffer frame, int offset, int caplen, int wirelen, String comment)
            throws IOException {
        Integer ifIndex = interfaces.get(linkType);
        if (ifIndex == null) {
            ifIndex = interfaces.size();
            interfaces.put(linkType, ifIndex);
            ByteBuffer i = block(IDB, 8 + 8 + 4);
            i.putShort((short) linkType).putShort((short) 0).putInt(262_144);
            i.putShort((short) IF_TSRESOL).putShort((short) 1).put((byte) 9).put(new byte[3]);
            i.putShort((short) OPT_END).putShort((short) 0);
            finish(i);
        }
        int padded = (caplen + 3) & ~3;
        ByteBuffer b = block(EPB, 20 + padded + option(comment) + 4);
        b.putInt(ifIndex).putInt((int) (tsNanos >>> 32)).putInt((int) tsNanos).putInt(caplen).putInt(wirelen);
        for (int k = 0; k < caplen; k++) {
            b.put(frame.get(offset + k));
        }
        b.put(new byte[padded - caplen]);
        putOption(b, OPT_COMMENT, comment);
        b.putShort((short) OPT_END).putShort((short) 0);
        finish(b);
        packets++;
        bytes += caplen;
    }

    long packets() {
        return packets;
    }

    long frameBytes() {
        return bytes;
    }

    private static int option(String value) {
        return 4 + ((value.getBytes(StandardCharsets.UTF_8).length + 3) & ~3);
    }

    private static void putOption(ByteBuffer b, int code, String value) {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        b.putShort((short) code).putShort((short) v.length).put(v).put(new byte[((v.length + 3) & ~3) - v.length]);
    }

    /** A block buffer with type and total length written; body follows. */
    private static ByteBuffer block(int type, int body) {
        int total = 8 + body + 4;
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(type).putInt(total);
        return b;
    }

    private void finish(ByteBuffer b) throws IOException {
        b.putInt(b.capacity());
        out.write(b.array());
    }
}
