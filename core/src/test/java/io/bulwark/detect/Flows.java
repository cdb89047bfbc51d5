package io.bulwark.detect;

import io.bulwark.flow.FlowRecord;
import io.bulwark.flow.IpAddr;

import java.util.ArrayList;
import java.util.List;

/** Test fixtures: flow records as a conn.log would give them, and a device identity. */
public final class Flows {
    public static final long S = 1_000_000_000L;
    public static final long T0 = 1_700_000_000L * S;
    private static int uid;

    private Flows() {
    }

    public static FlowRecord tcp(String src, int sport, String dst, int dport, long start, long durationNanos,
                                 long pktsOut, long bytesOut, long pktsIn, long bytesIn, int flagsOut, int flagsIn, String state) {
        return new FlowRecord("Ct" + (uid++), IpAddr.parse(src), sport, IpAddr.parse(dst), dport, 6, start, start + durationNanos,
                pktsOut, bytesOut, pktsIn, bytesIn, flagsOut, flagsIn, state, 1, "test", false, -1, FlowRecord.EndReason.exported);
    }

    public static FlowRecord udp(String src, int sport, String dst, int dport, long start, long durationNanos,
                                 long pktsOut, long bytesOut, long pktsIn, long bytesIn) {
        return new FlowRecord("Cu" + (uid++), IpAddr.parse(src), sport, IpAddr.parse(dst), dport, 17, start, start + durationNanos,
                pktsOut, bytesOut, pktsIn, bytesIn, 0, 0, pktsIn > 0 ? "SF" : "S0", 1, "test", false, -1, FlowRecord.EndReason.exported);
    }

    /** A record of another IP protocol (GRE 47, ICMP 1, ...). */
    public static FlowRecord flow(String src, int sport, String dst, int dport, int protocol, long start, long durationNanos,
                                  long pktsOut, long bytesOut, long pktsIn, long bytesIn) {
        return new FlowRecord("Co" + (uid++), IpAddr.parse(src), sport, IpAddr.parse(dst), dport, protocol, start,
                start + durationNanos, pktsOut, bytesOut, pktsIn, bytesIn, 0, 0, "OTH", 1, "test", false, -1,
                FlowRecord.EndReason.exported);
    }

    /** An unanswered connection attempt (Zeek S0). */
    public static FlowRecord attempt(String src, String dst, int dport, long start) {
        return tcp(src, 40000 + (uid % 20000), dst, dport, start, 3 * S, 3, 180, 0, 0, 0x02, 0, "S0");
    }

    public static Device device(String ip) {
        IpAddr a = IpAddr.parse(ip);
        return new Device() {
            @Override
            public IpAddr ip() {
                return a;
            }

            @Override
            public long mac() {
                return -1;
            }
        };
    }

    /** A sink that keeps findings. */
    public static final class Found implements FindingSink {
        public final List<Finding> all = new ArrayList<>();

        @Override
        public void emit(Finding f) {
            all.add(f);
        }
    }
}
