package io.bulwark.simulate;

import java.io.IOException;
import java.util.SplittableRandom;

/**
 * One TCP connection as seen from a tap next to the client: three-way handshake with the
 * options Linux sends (MSS, SACK-permitted, timestamps, window scale), then the exchanges
 * of a {@link Script}, each a request and an optional response cut into MSS segments with
 * an ACK for every second segment (RFC 1122 4.2.3.2, RFC 5681 4.2), then a FIN or RST
 * close. With the tap next to the client (the default), packets from the server reach the
 * tap one round trip after the client packet they answer and the client answers within
 * {@link #clientDelay}; with {@link Plan#tapAtServer} (a LAN device serving someone on the
 * Internet) it is the other way round, the server's stack answering within
 * {@value #SERVER_STACK_NANOS} ns. An exchange whose request is null is the server speaking
 * first (a telnet banner, a command pushed by a C2 server); one with neither request nor
 * response is an idle wait. A connection can also start established, as one the capture
 * joins midway. It emits one frame per step, so frames of many connections interleave in
 * time order.
 */
final class TcpSession implements Actor {
    enum Close { CLIENT_FIN, SERVER_FIN, CLIENT_RST }

    /** The next exchange, or null when the client has nothing more to say. */
    @FunctionalInterface
    interface Script {
        Exchange exchange(int index);
    }

    /**
     * One request and its response (null when the server only acknowledges), after the
     * client thinks. A null request makes the server send the response {@code thinkNanos}
     * after the previous exchange; null for both is a pause of {@code thinkNanos}.
     */
    record Exchange(long thinkNanos, Payload request, Payload response) {
    }

    /**
     * What does not change during the connection. Gaps are the spacing of back-to-back
     * segments from one side (serialisation time at that side's bottleneck).
     */
    record Plan(Endpoint client, int clientPort, Endpoint server, int serverPort,
                long rttNanos, long serverDelayNanos, long clientGapNanos, long serverGapNanos,
                int serverTtl, boolean timestamps, boolean established, Close close, Script script,
                boolean tapAtServer) {
        /** A connection seen from next to the client. */
        Plan(Endpoint client, int clientPort, Endpoint server, int serverPort,
             long rttNanos, long serverDelayNanos, long clientGapNanos, long serverGapNanos,
             int serverTtl, boolean timestamps, boolean established, Close close, Script script) {
            this(client, clientPort, server, serverPort, rttNanos, serverDelayNanos, clientGapNanos, serverGapNanos,
                    serverTtl, timestamps, established, close, script, false);
        }
    }

    /** How long a server's kernel takes to answer a packet the tap has just seen next to it. */
    static final long SERVER_STACK_NANOS = 60_000;

    private static final int C = 0;
    private static final int S = 1;
    private static final int PENDING = 16;

    private enum Phase { SYN, SYN_ACK, HANDSHAKE_ACK, JOIN, DATA, IDLE, CLOSE_1, CLOSE_2, CLOSE_3 }

    private final Plan p;
    private final long clientDelay;
    private final int mss;
    private final long[] seq = new long[2];
    private final int[] ipId = new int[2];
    private final long[] tsBase = new long[2];
    private final long[] lastTs = new long[2];
    private final int[] window = new int[2];
    private Phase phase;
    /** Side of the last frame sent. */
    private int lastSide = C;
    private int exchangeIndex;
    private Exchange exchange;
    private int sender;
    private Payload message;
    private int sent;
    private int segmentsSinceAck;
    private long nextData;
    // ACKs the tap will see later, oldest first: time, side sending it, value acknowledged.
    private final long[] ackTime = new long[PENDING];
    private final int[] ackSide = new int[PENDING];
    private final long[] ackValue = new long[PENDING];
    private int ackHead;
    private int ackCount;

    TcpSession(Plan plan, SplittableRandom rng) {
        this.p = plan;
        this.clientDelay = 40_000 + rng.nextLong(260_000);
        this.mss = plan.timestamps ? 1448 : 1460;
        for (int side = C; side <= S; side++) {
            seq[side] = rng.nextLong(1L << 32);
            ipId[side] = rng.nextInt(1 << 16);
            tsBase[side] = rng.nextLong(1L << 32);
        }
        // Windows are raw header values, scaled by 2^7 as the SYNs negotiate. A capture that
        // joins midway never saw the scale, so there raw values that are large unscaled read better.
        window[C] = plan.established ? 16_000 + rng.nextInt(49_000) : 501 + rng.nextInt(1500);
        window[S] = plan.established ? 30_000 + rng.nextInt(35_000) : 235 + rng.nextInt(800);
        phase = plan.established ? Phase.JOIN : Phase.SYN;
    }

    @Override
    public long step(long now, Sim sim) throws IOException {
        switch (phase) {
            case SYN -> {
                syn(sim, C, now);
                phase = Phase.SYN_ACK;
                return now + lag(S);
            }
            case SYN_ACK -> {
                syn(sim, S, now);
                phase = Phase.HANDSHAKE_ACK;
                return now + lag(C);
            }
            case HANDSHAKE_ACK -> {
                segment(sim, C, Frame.ACK, seq[S], null, 0, 0, now);
                return nextExchange(now);
            }
            case JOIN -> {
                lastTs[C] = tsval(C, now);
                lastTs[S] = tsval(S, now);
                return nextExchange(now);
            }
            case DATA -> {
                return data(now, sim);
            }
            case IDLE -> {
                return nextExchange(now);
            }
            default -> {
                return close(now, sim);
            }
        }
    }

    private long nextExchange(long now) {
        exchange = p.script.exchange(exchangeIndex++);
        if (exchange == null) {
            phase = Phase.CLOSE_1;
            return now + (p.tapAtServer && p.close == Close.SERVER_FIN ? SERVER_STACK_NANOS + p.serverDelayNanos : clientDelay);
        }
        if (exchange.request == null && exchange.response == null) {
            phase = Phase.IDLE;
            return now + exchange.thinkNanos;
        }
        phase = Phase.DATA;
        if (exchange.request == null) {
            begin(S, exchange.response, now + exchange.thinkNanos);
        } else {
            // Seen from the server, a client answering the server's last packet takes a round trip to do so.
            long react = p.tapAtServer && lastSide == S ? p.rttNanos : 0;
            begin(C, exchange.request, now + react + exchange.thinkNanos);
        }
        return nextDue();
    }

    /** Time from a packet passing the tap until {@code side} reacts to it. */
    private long lag(int side) {
        if (side == S) {
            return p.tapAtServer ? SERVER_STACK_NANOS : p.rttNanos;
        }
        return p.tapAtServer ? p.rttNanos + clientDelay : clientDelay;
    }

    private void begin(int side, Payload m, long at) {
        sender = side;
        message = m;
        sent = 0;
        segmentsSinceAck = 0;
        nextData = at;
    }

    private long nextDue() {
        return ackCount > 0 ? Math.min(nextData, ackTime[ackHead]) : nextData;
    }

    private long data(long now, Sim sim) throws IOException {
        if (ackCount > 0 && ackTime[ackHead] <= nextData) {
            segment(sim, ackSide[ackHead], Frame.ACK, ackValue[ackHead], null, 0, 0, now);
            ackHead = (ackHead + 1) % PENDING;
            ackCount--;
            return message == null && ackCount == 0 ? nextExchange(now) : nextDue();
        }
        int n = Math.min(mss, message.length() - sent);
        boolean last = sent + n == message.length();
        segment(sim, sender, Frame.ACK | (last ? Frame.PSH : 0), seq[1 - sender], message, sent, n, now);
        sent += n;
        seq[sender] += n;
        segmentsSinceAck++;
        int receiver = 1 - sender;
        long receiverDelay = lag(receiver);
        if (!last) {
            if (segmentsSinceAck >= 2) {
                expectAck(receiver, now + receiverDelay, seq[sender]);
            }
            nextData = now + (sender == C ? p.clientGapNanos : p.serverGapNanos);
            return nextDue();
        }
        if (segmentsSinceAck >= 2) {
            expectAck(receiver, now + receiverDelay, seq[sender]);
        }
        Payload reply = sender == C ? exchange.response : null;
        if (reply != null && reply.length() > 0) {
            // The response's first segment acknowledges whatever the pair rule left over.
            begin(S, reply, now + lag(S) + p.serverDelayNanos);
            return nextDue();
        }
        if (segmentsSinceAck == 1) {
            expectAck(receiver, now + receiverDelay, seq[sender]);
        }
        message = null;
        nextData = Long.MAX_VALUE;
        return nextDue();
    }

    private void expectAck(int side, long at, long value) {
        segmentsSinceAck = 0;
        if (ackCount == PENDING) {
            // Out of slots: a later cumulative ACK covers the earlier one.
            ackValue[(ackHead + PENDING - 1) % PENDING] = value;
            return;
        }
        int i = (ackHead + ackCount) % PENDING;
        if (ackCount > 0) {
            at = Math.max(at, ackTime[(i + PENDING - 1) % PENDING]);
        }
        ackTime[i] = at;
        ackSide[i] = side;
        ackValue[i] = value;
        ackCount++;
    }

    private long close(long now, Sim sim) throws IOException {
        int closer = p.close == Close.SERVER_FIN ? S : C;
        int other = 1 - closer;
        switch (phase) {
            case CLOSE_1 -> {
                if (p.close == Close.CLIENT_RST) {
                    segment(sim, C, Frame.RST | Frame.ACK, seq[S], null, 0, 0, now);
                    return DONE;
                }
                segment(sim, closer, Frame.FIN | Frame.ACK, seq[other], null, 0, 0, now);
                seq[closer]++;
                phase = Phase.CLOSE_2;
                return now + lag(other);
            }
            case CLOSE_2 -> {
                segment(sim, other, Frame.FIN | Frame.ACK, seq[closer], null, 0, 0, now);
                seq[other]++;
                phase = Phase.CLOSE_3;
                return now + lag(closer);
            }
            default -> {
                segment(sim, closer, Frame.ACK, seq[other], null, 0, 0, now);
                return DONE;
            }
        }
    }

    private long tsval(int side, long now) {
        return (tsBase[side] + now / 1_000_000) & 0xffff_ffffL;
    }

    private Frame header(Sim sim, int side, int flags, long ack, int win) {
        lastSide = side;
        Endpoint src = side == C ? p.client : p.server;
        Endpoint dst = side == C ? p.server : p.client;
        // serverTtl is that of the far end as the tap sees it: the server's, or the client's when the tap is at the server.
        int ttl = (side == C) == p.tapAtServer ? p.serverTtl : 64;
        int srcPort = side == C ? p.clientPort : p.serverPort;
        int dstPort = side == C ? p.serverPort : p.clientPort;
        ipId[side] = (ipId[side] + 1) & 0xffff;
        return src.ipv4To(sim.frame(), dst, Frame.PROTO_TCP, ttl, ipId[side], true)
                .tcp(srcPort, dstPort, seq[side] & 0xffff_ffffL, ack & 0xffff_ffffL, flags, win);
    }

    /** SYN or SYN-ACK with Linux's option order; consumes one sequence number. */
    private void syn(Sim sim, int side, long now) throws IOException {
        boolean client = side == C;
        Frame f = header(sim, side, client ? Frame.SYN : Frame.SYN | Frame.ACK, client ? 0 : seq[C], client ? 64240 : 65160);
        f.mss(1460).sackPermitted();
        if (p.timestamps) {
            lastTs[side] = tsval(side, now);
            f.timestamps(lastTs[side], client ? 0 : lastTs[C]);
        } else {
            f.nop().nop();
        }
        f.nop().windowScale(7);
        sim.send();
        seq[side]++;
    }

    private void segment(Sim sim, int side, int flags, long ack, Payload payload, int from, int n, long now)
            throws IOException {
        int win = (flags & Frame.RST) != 0 ? 0 : window[side];
        Frame f = header(sim, side, flags, (flags & Frame.ACK) != 0 ? ack : 0, win);
        if (p.timestamps && (flags & Frame.RST) == 0) {
            lastTs[side] = tsval(side, now);
            f.nop().nop().timestamps(lastTs[side], lastTs[1 - side]);
        }
        if (n > 0) {
            payload.write(f, from, n);
        }
        sim.send();
    }
}
