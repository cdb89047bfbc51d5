package io.bulwark.simulate;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * A TFTP download (RFC 1350) by busybox {@code tftp -g}: a read request to port 69, then
 * the server, from a fresh port of its own (its transfer id), sends 512-byte DATA blocks in
 * lock-step, each acknowledged by the client before the next leaves. A file whose size is
 * a multiple of 512 ends with an empty block. The tap is next to the client.
 *
 * <pre>
 *  RRQ   opcode 1 (2) | file name | 0 | mode "octet" | 0
 *  DATA  opcode 3 (2) | block (2) | up to 512 bytes
 *  ACK   opcode 4 (2) | block (2)
 * </pre>
 */
final class Tftp implements Actor {
    static final int PORT = 69;
    static final int BLOCK = 512;

    private final Endpoint client;
    private final Endpoint server;
    private final int clientPort;
    private final int serverPort;
    private final byte[] request;
    private final byte[] file;
    private final long rttNanos;
    private final int serverTtl;
    private final SplittableRandom rng;
    private final int blocks;
    private int clientId;
    private int block;
    private boolean ackNext;

    Tftp(Endpoint client, Endpoint server, String fileName, byte[] file, long rttNanos, int serverTtl, SplittableRandom rng) {
        this.client = client;
        this.server = server;
        this.file = file;
        this.rttNanos = rttNanos;
        this.serverTtl = serverTtl;
        this.rng = rng;
        this.clientPort = 32768 + rng.nextInt(28000);
        this.serverPort = 32768 + rng.nextInt(28000);
        this.clientId = rng.nextInt(1 << 16);
        this.blocks = file.length / BLOCK + 1;
        byte[] name = (fileName + "\0octet\0").getBytes(StandardCharsets.US_ASCII);
        this.request = new byte[2 + name.length];
        request[1] = 1;
        System.arraycopy(name, 0, request, 2, name.length);
    }

    /** An upper bound on the transfer's length, from the request to the last ACK. */
    long maxDurationNanos() {
        return (blocks + 1) * (rttNanos + 2_000_000L);
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        Frame f = sim.frame();
        if (block == 0) {
            client.udpTo(f, server, clientPort, PORT, 64, clientId++ & 0xffff).bytes(request);
            sim.send();
            block = 1;
            return now + rttNanos + 300_000 + rng.nextLong(700_000);
        }
        if (ackNext) {
            client.udpTo(f, server, clientPort, serverPort, 64, clientId++ & 0xffff).u16(4).u16(block);
            sim.send();
            ackNext = false;
            if (block == blocks) {
                return DONE;
            }
            block++;
            return now + rttNanos + 100_000 + rng.nextLong(400_000);
        }
        int from = (block - 1) * BLOCK;
        int n = Math.min(BLOCK, file.length - from);
        server.udpTo(f, client, serverPort, clientPort, serverTtl, rng.nextInt(1 << 16)).u16(3).u16(block);
        if (n > 0) {
            f.bytes(file, from, n);
        }
        sim.send();
        ackNext = true;
        return now + 150_000 + rng.nextLong(450_000);
    }
}
