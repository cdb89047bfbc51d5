package io.bulwark.decode.capture;

/**
 * One pcapng Interface Statistics Block: the capture engine's counters for one interface at
 * {@code tsNanos}. Counters the block does not carry are -1. Per the pcapng draft,
 * {@code dropped} (isb_ifdrop) counts packets lost by the interface and the capture system,
 * {@code osDropped} (isb_osdrop) those lost by the operating system; dumpcap puts its own and
 * the kernel's drops together in isb_ifdrop. Counters are totals since the capture started.
 */
public record InterfaceStatistics(int interfaceId, String interfaceName, long tsNanos, long received,
                                  long dropped, long osDropped, long filterAccepted, long delivered) {
    /** Receives each ISB as it is read, on the reading thread. */
    public interface Listener {
        void statistics(InterfaceStatistics s);
    }
}
