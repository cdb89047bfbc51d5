package io.bulwark.app.collect;

/**
 * One received export datagram, copied out of the socket buffer so that the receiving thread
 * can go straight back to the socket.
 *
 * @param receivedNanos arrival time from the collector's clock, ns since the epoch
 */
record Datagram(byte[] data, long exporterHi, long exporterLo, int exporterPort, long receivedNanos) {
}
