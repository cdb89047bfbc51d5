package io.bulwark.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * A loopback IPFIX load generator for bench/collect-load.sh: sends datagrams of 30 flow
 * records (a template every 64th datagram) to 127.0.0.1:PORT at a fixed record rate, for a
 * bounded time and count. Records are new flows from 4,096 sources in 192.168.0/20 to random
 * targets, and their traffic time advances with the send clock, as a router's would.
 * Only ever sends to the loopback address.
 *
 * <pre>java -cp bench/target/bulwark-bench.jar io.bulwark.bench.ExportLoad PORT RECORDS_PER_S SECONDS</pre>
 */
public final class ExportLoad {
    static final int RECORDS = 30;
    /** {IE, length}: src/dst IPv4, ports, protocol, flags, packets, octets, flowStart/EndMilliseconds. */
    static final int[] FIELDS = {8, 4, 12, 4, 7, 2, 11, 2, 4, 1, 6, 1, 2, 4, 1, 4, 152, 8, 153, 8};
    static final int RECORD = 38;
    static final long START_MS = 1_768_471_200_000L;

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long rate = Long.parseLong(args[1]);
        double seconds = Double.parseDouble(args[2]);
        long datagrams = (long) (rate * seconds / RECORDS);
        long intervalNanos = 1_000_000_000L * RECORDS / rate;
        SplittableRandom rnd = new SplittableRandom(7);
        ByteBuffer b = ByteBuffer.allocate(1500);
        try (DatagramChannel ch = DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", port);
            long t0 = System.nanoTime();
            long seq = 0;
            for (long i = 0; i < datagrams; i++) {
                long due = t0 + i * intervalNanos;
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(Math.min(due - now, 50_000));
                }
                long ms = START_MS + (now - t0) / 1_000_000;
                b.clear();
                b.putShort((short) 10).putShort((short) 0).putInt((int) (ms / 1000)).putInt((int) seq).putInt(1);
                if (i % 64 == 0) {
                    b.putShort((short) 2).putShort((short) (8 + FIELDS.length * 2)).putShort((short) 300)
                            .putShort((short) (FIELDS.length / 2));
                    for (int f : FIELDS) {
                        b.putShort((short) f);
                    }
                }
                b.putShort((short) 300).putShort((short) (4 + RECORDS * RECORD));
                for (int r = 0; r < RECORDS; r++) {
                    b.putInt(0xc0a8_0000 | rnd.nextInt(1 << 12)).putInt(0x0a00_0000 | rnd.nextInt(1 << 24))
                            .putShort((short) (1024 + rnd.nextInt(60_000))).putShort((short) 443)
                            .put((byte) 6).put((byte) 0x1b).putInt(2 + rnd.nextInt(20)).putInt(200 + rnd.nextInt(20_000))
                            .putLong(ms - rnd.nextInt(2000)).putLong(ms);
                }
                seq += RECORDS;
                b.putShort(2, (short) b.position());
                b.flip();
                ch.send(b, to);
            }
            double took = (System.nanoTime() - t0) / 1e9;
            System.out.printf("sent %d datagrams, %d records in %.2f s (%.0f records/s)%n",
                    datagrams, datagrams * RECORDS, took, datagrams * RECORDS / took);
        }
    }

    private ExportLoad() {
    }
}
