package io.bulwark.flow;

/**
 * Flow table limits and timeouts, all in traffic time. The defaults follow Zeek's
 * (tcp_inactivity_timeout 5 min, udp/icmp 1 min, tcp_close_delay 5 s) so that flow counts
 * from a pcap are comparable with Zeek's conn.log; the active timeout splits very long
 * flows the way NetFlow/IPFIX exporters do.
 *
 * @param maxFlows        hard bound on live flows; beyond it the stalest flow is evicted
 *                        (counted as {@code flow_table_full}). About 200 bytes each.
 * @param tcpIdleNanos    an open TCP flow with no packet for this long ends
 * @param udpIdleNanos    UDP
 * @param otherIdleNanos  ICMP, GRE and everything else
 * @param closedNanos     a TCP flow that saw RST or FIN both ways ends this long after its last packet
 * @param activeNanos     a flow longer than this is emitted and restarted
 * @param attemptNanos    a TCP connection attempt (SYN, no answer) ends this long after its first
 *                        SYN; a later SYN on the same ports starts a new flow (Zeek: tcp_attempt_delay)
 * @param exportActiveNanos the active timeout used instead in flows-only mode, as a router's
 *                        exporter would apply it (60 s, the common setting)
 */
public record FlowConfig(int maxFlows, long tcpIdleNanos, long udpIdleNanos, long otherIdleNanos,
                         long closedNanos, long activeNanos, long attemptNanos, long exportActiveNanos) {
    private static final long S = 1_000_000_000L;

    public static FlowConfig defaults() {
        return new FlowConfig(1 << 20, 300 * S, 60 * S, 60 * S, 5 * S, 3600 * S, 5 * S, 60 * S);
    }

    public FlowConfig {
        if (maxFlows < 16) {
            throw new IllegalArgumentException("max_flows must be at least 16: " + maxFlows);
        }
        if (tcpIdleNanos <= 0 || udpIdleNanos <= 0 || otherIdleNanos <= 0 || closedNanos <= 0 || activeNanos <= 0
                || attemptNanos <= 0 || exportActiveNanos <= 0) {
            throw new IllegalArgumentException("flow timeouts must be positive");
        }
    }

    public FlowConfig withActiveNanos(long nanos) {
        return new FlowConfig(maxFlows, tcpIdleNanos, udpIdleNanos, otherIdleNanos, closedNanos, nanos, attemptNanos,
                exportActiveNanos);
    }

    public FlowConfig withMaxFlows(int n) {
        return new FlowConfig(n, tcpIdleNanos, udpIdleNanos, otherIdleNanos, closedNanos, activeNanos, attemptNanos,
                exportActiveNanos);
    }
}
