package io.bulwark.app.collect;

import io.bulwark.flow.IpAddr;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Clock;
import java.time.Instant;

/**
 * Receives datagrams on one UDP socket and hands them to the {@link Collector}'s queue. It
 * never waits for the detectors: when the queue is full the datagram is dropped and counted
 * (the collector falls behind by a counted amount, never without bound). Runs on its own
 * thread until {@link #close()}.
 */
public final class UdpListener implements Runnable, AutoCloseable {
    /** Largest UDP payload: IPv4's 65,507 bytes, rounded up. */
    private static final int MAX_DATAGRAM = 65_536;

    private final String name;
    private final DatagramChannel channel;
    private final Collector collector;
    private final Clock clock;
    private final InetSocketAddress local;
    private final int granted;

    public UdpListener(String name, InetSocketAddress bind, int receiveBuffer, Collector collector, Clock clock) throws IOException {
        this.name = name;
        this.collector = collector;
        this.clock = clock;
        this.channel = DatagramChannel.open();
        // Exporters send in bursts (a router flushing its cache): a large kernel buffer
        // absorbs them while the detector thread catches up.
        channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
        channel.bind(bind);
        this.local = (InetSocketAddress) channel.getLocalAddress();
        this.granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
    }

    /** The receive buffer the kernel granted (Linux caps requests at net.core.rmem_max, and reports double). */
    public int grantedReceiveBuffer() {
        return granted;
    }

    public String name() {
        return name;
    }

    public InetSocketAddress local() {
        return local;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(MAX_DATAGRAM);
        try {
            while (true) {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                if (from == null) {
                    continue;
                }
                buf.flip();
                Instant now = clock.instant();
                byte[] data = new byte[buf.remaining()];
                buf.get(data);
                IpAddr ip = IpAddr.fromBytes(from.getAddress().getAddress());
                collector.offer(new Datagram(data, ip.hi(), ip.lo(), from.getPort(),
                        now.getEpochSecond() * 1_000_000_000L + now.getNano()));
            }
        } catch (ClosedChannelException e) {
            // close() was called: shutting down
        } catch (IOException e) {
            collector.listenerFailed(name, e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
