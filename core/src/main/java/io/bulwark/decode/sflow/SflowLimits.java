package io.bulwark.decode.sflow;

/**
 * Bounds on the state an {@link SflowDecoder} keeps for input it cannot trust (architecture.md rule 8).
 * Every agent address, sub-agent id and source id in a datagram is chosen by whoever can send
 * UDP to the collector, so each table has a fixed capacity and hitting it is counted, never
 * grown.
 *
 * @param maxAgents             agents (address + sub-agent id) with their own
 *                              {@link io.bulwark.decode.export.ExporterStats} and datagram
 *                              sequence check; later agents share one overflow entry and are not
 *                              sequence-checked
 * @param maxSources            data sources (agent + source id) whose flow-sample sequence is
 *                              checked, over all agents; samples from later sources are decoded
 *                              but not sequence-checked
 * @param maxSamplesPerDatagram samples read from one datagram; real agents fit a few dozen in
 *                              an MTU, so a larger count is counted as invalid and the rest of
 *                              the datagram is ignored
 */
public record SflowLimits(int maxAgents, int maxSources, int maxSamplesPerDatagram) {
    /** Enough for a campus of switches (each port is a source) at a fixed ~1 MB footprint. */
    public static final SflowLimits DEFAULTS = new SflowLimits(1024, 16_384, 512);

    public SflowLimits {
        if (maxAgents < 1 || maxAgents > 1 << 20) {
            throw new IllegalArgumentException("maxAgents " + maxAgents + " not in [1, 2^20]");
        }
        if (maxSources < 1 || maxSources > 1 << 22) {
            throw new IllegalArgumentException("maxSources " + maxSources + " not in [1, 2^22]");
        }
        if (maxSamplesPerDatagram < 1) {
            throw new IllegalArgumentException("maxSamplesPerDatagram " + maxSamplesPerDatagram + " < 1");
        }
    }
}
