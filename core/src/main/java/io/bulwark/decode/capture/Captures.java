package io.bulwark.decode.capture;

import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.BadInputException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens pcap and pcapng files, recognised by their magic numbers, never by their names. */
public final class Captures {
    static final int PCAP_MAGIC_US = 0xa1b2c3d4;
    static final int PCAP_MAGIC_NS = 0xa1b23c4d;
    static final int PCAPNG_SHB = 0x0a0d0d0a;

    private Captures() {
    }

    /** True when the first four bytes are a pcap or pcapng magic number, in either byte order. */
    public static boolean looksLikeCapture(byte[] head, int n) {
        if (n < 4) {
            return false;
        }
        int m = ((head[0] & 0xff) << 24) | ((head[1] & 0xff) << 16) | ((head[2] & 0xff) << 8) | (head[3] & 0xff);
        return m == PCAP_MAGIC_US || m == PCAP_MAGIC_NS || m == PCAPNG_SHB
                || Integer.reverseBytes(m) == PCAP_MAGIC_US || Integer.reverseBytes(m) == PCAP_MAGIC_NS;
    }

    /**
     * Reads a pcapng stream (a capture engine's {@code -w -}, standard input) as it arrives:
     * blocking reads, nothing read past what the stream has delivered, and memory bounded by
     * one window however long it runs. {@code stats} (may be null) receives each Interface
     * Statistics Block as it is read. Blocks until the section header has arrived; throws
     * {@link BadInputException} when the stream ends first or does not start as pcapng.
     */
    public static CaptureSource openStream(java.io.InputStream in, AnomalyCounters anomalies, String name,
                                           InterfaceStatistics.Listener stats) throws BadInputException {
        StreamWindow w = new StreamWindow(in, MappedFile.READ_WINDOW);
        boolean ok = false;
        try {
            if (!w.ensure(0, 4)) {
                String why = w.readError() != null ? "cannot read: " + w.readError()
                        : w.size() == 0 ? "empty stream" : "too short to be a capture (" + w.size() + " bytes)";
                throw new BadInputException(name, 0, why);
            }
            int magic = w.buffer().getInt(0);
            if (magic != PCAPNG_SHB) {
                throw new BadInputException(name, 0, String.format("not a pcapng stream (magic 0x%08x)", magic));
            }
            CaptureSource src = new PcapngSource(w, anomalies, name, stats);
            ok = true;
            return src;
        } finally {
            if (!ok) {
                w.close();
            }
        }
    }

    /**
     * Opens a capture file. Throws {@link BadInputException} when it is missing, a directory,
     * not a capture, or its header is damaged; damage further in is reported by the source.
     */
    public static CaptureSource open(Path path, AnomalyCounters anomalies) throws BadInputException {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new BadInputException(name, -1, "is a directory");
        }
        MappedFile file;
        try {
            file = new MappedFile(path);
        } catch (IOException e) {
            throw BadInputException.unreadable(name, e);
        }
        boolean ok = false;
        try {
            if (file.size() == 0) {
                throw new BadInputException(name, 0, "empty file");
            }
            if (file.size() < 4) {
                throw new BadInputException(name, 0, "too short to be a capture (" + file.size() + " bytes)");
            }
            ByteBuffer b = file.buffer();
            int magic = b.getInt(0);
            CaptureSource src;
            if (magic == PCAPNG_SHB) {
                src = new PcapngSource(file, anomalies, name);
            } else if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS
                    || Integer.reverseBytes(magic) == PCAP_MAGIC_US || Integer.reverseBytes(magic) == PCAP_MAGIC_NS) {
                if (file.size() < 24) {
                    throw new BadInputException(name, 0, "truncated pcap header (" + file.size() + " of 24 bytes)");
                }
                boolean swapped = magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS;
                int m = swapped ? Integer.reverseBytes(magic) : magic;
                PcapSource pcap = new PcapSource(file, anomalies, swapped, m == PCAP_MAGIC_NS);
                if (!LinkType.supported(pcap.linkType())) {
                    throw new BadInputException(name, 20, "unsupported link type " + pcap.linkType());
                }
                src = pcap;
            } else {
                throw new BadInputException(name, 0, String.format("not a pcap or pcapng file (magic 0x%08x)", magic));
            }
            ok = true;
            return src;
        } finally {
            if (!ok) {
                file.close();
            }
        }
    }
}
