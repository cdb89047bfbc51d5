package io.bulwark.flink;

/**
 * One transport record routed to one local device: the stream type between routing and
 * detection. A POJO by Flink's rules (a record of basic types and a byte array), so Flink
 * serialises it without Kryo.
 *
 * @param device       the device's address (IpAddr text): the key
 * @param streamNanos  the record's event time (the producer's traffic clock)
 * @param order        the record's position for this device: producer seq * 2, plus 1 for the
 *                     receiving side (a packet or flow between two addresses of one device)
 * @param outbound     true when the device sent the packet or originated the flow
 * @param record       the {@link io.bulwark.transport.EventCodec} bytes
 */
public record DeviceEvent(String device, long streamNanos, long order, boolean outbound, byte[] record) {
}
