package io.bulwark.decode.sflow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;
import io.bulwark.decode.export.ExportedFlow;
import io.bulwark.decode.export.ExporterStats;
import io.bulwark.flow.IpAddr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * Per-agent state of an {@link SflowDecoder}: stats and the datagram sequence per agent
 * (address + sub-agent id), and the flow-sample sequence per data source. Both tables are
 * open-addressed primitive arrays of fixed capacity (at most half full), so a flood of forged
 * agents or source ids costs a counter, not memory, and a lookup allocates nothing. Entries are
 * never evicted: an evicted agent would come back as "new" and hide its gaps.
 *
 * <p>Sequence numbers are unsigned 32-bit counters compared mod 2^32 (sFlow v5, section
 * "sample_datagram_v5"). Not thread-safe.
 */
final class AgentTable {
    /**
     * How far back the uptime of a datagram with an old sequence number must be for it to mean
     * an agent restart (the agent counts from 1 again, uptime from 0) rather than a datagram
     * the network delivered late, whose uptime is only a little behind. An agent that restarts
     * within this time of its previous start is taken for late datagrams instead: its numbers
     * are ignored until they pass the old ones, which hides gaps but never invents one.
     */
    static final long RESTART_UPTIME_BACK_MS = 10_000;
    private static final long HALF = 1L << 31;
    private static final long MASK32 = 0xffff_ffffL;

    private final AnomalyCounters anomalies;
    private final int maxAgents;
    private final int maxSources;

    // agent key -> slot; slot arrays are indexed by slot, maxAgents is the shared overflow slot
    private final long[] keyHi;
    private final long[] keyLo;
    private final int[] keySub;
    private final int[] keySlot;
    private final long[] lastSeq;
    private final long[] lastUptime;
    /** Bumped on an agent restart, so that its sources' sequences start afresh. */
    private final int[] epoch;
    private final ExporterStats[] stats;
    private final List<ExporterStats> statsList = new ArrayList<>();
    private int agents;

    // (agent slot, source id) -> last flow-sample sequence
    private final long[] srcKey;
    private final long[] srcSeq;
    private final int[] srcEpoch;
    private int sources;

    AgentTable(SflowLimits limits, AnomalyCounters anomalies) {
        this.anomalies = anomalies;
        this.maxAgents = limits.maxAgents();
        this.maxSources = limits.maxSources();
        int cap = capacity(maxAgents);
        keyHi = new long[cap];
        keyLo = new long[cap];
        keySub = new int[cap];
        keySlot = new int[cap];
        Arrays.fill(keySlot, -1);
        lastSeq = new long[maxAgents + 1];
        Arrays.fill(lastSeq, -1);
        lastUptime = new long[maxAgents + 1];
        epoch = new int[maxAgents + 1];
        stats = new ExporterStats[maxAgents + 1];
        int scap = capacity(maxSources);
        srcKey = new long[scap];
        Arrays.fill(srcKey, -1);
        srcSeq = new long[scap];
        srcEpoch = new int[scap];
    }

    /**
     * The slot of an agent, created on first sight; the overflow slot (counted as
     * {@link Anomaly#export_exporters_full}) once {@link SflowLimits#maxAgents()} are known.
     */
    int slot(long hi, long lo, int subAgent) {
        int mask = keySlot.length - 1;
        int i = (int) mix(hi * 31 + lo, subAgent) & mask;
        while (keySlot[i] >= 0) {
            if (keyHi[i] == hi && keyLo[i] == lo && keySub[i] == subAgent) {
                return keySlot[i];
            }
            i = (i + 1) & mask;
        }
        if (agents == maxAgents) {
            anomalies.count(Anomaly.export_exporters_full, -1);
            if (stats[maxAgents] == null) {
                stats[maxAgents] = newStats("overflow");
            }
            return maxAgents;
        }
        int slot = agents++;
        keyHi[i] = hi;
        keyLo[i] = lo;
        keySub[i] = subAgent;
        keySlot[i] = slot;
        stats[slot] = newStats(new IpAddr(hi, lo) + "/" + Integer.toUnsignedString(subAgent));
        return slot;
    }

    private ExporterStats newStats(String name) {
        ExporterStats s = new ExporterStats(name, ExportedFlow.Source.sflow5);
        statsList.add(s);
        return s;
    }

    ExporterStats stats(int slot) {
        return stats[slot];
    }

    Collection<ExporterStats> all() {
        return Collections.unmodifiableList(statsList);
    }

    int agents() {
        return agents;
    }

    int sources() {
        return sources;
    }

    /**
     * Checks a datagram's sequence number (unsigned) against the agent's last one.
     *
     * @return datagrams lost since the last one seen (0 for the first, a restart, a wrap from
     *         2^32-1 to 0, and a late or duplicated datagram, which does not move the mark)
     */
    long datagram(int slot, long seq, long uptimeMs) {
        if (slot == maxAgents) {
            return 0; // agents sharing the overflow entry interleave their numbers
        }
        long last = lastSeq[slot];
        long lost = 0;
        if (last >= 0) {
            long ahead = (seq - last - 1) & MASK32;
            if (ahead >= HALF) {
                if (uptimeMs < lastUptime[slot] - RESTART_UPTIME_BACK_MS) {
                    epoch[slot]++;
                } else {
                    return 0;
                }
            } else {
                lost = ahead;
            }
        }
        lastSeq[slot] = seq;
        lastUptime[slot] = uptimeMs;
        return lost;
    }

    /**
     * Checks a flow sample's sequence number against the last one from the same data source.
     * Sources beyond {@link SflowLimits#maxSources()} are not checked (counted as
     * {@link Anomaly#export_exporters_full}: a source is the sub-exporter sFlow sequences by).
     *
     * @param source the source id, (type << 32 | index) so that expanded ids keep their index
     * @return samples lost since the last one seen from the source
     */
    long sample(int slot, long source, long seq) {
        if (slot == maxAgents) {
            return 0;
        }
        long key = ((long) slot << 40) ^ source;
        int mask = srcKey.length - 1;
        int i = (int) mix(key, 0) & mask;
        while (srcKey[i] != -1) {
            if (srcKey[i] == key) {
                break;
            }
            i = (i + 1) & mask;
        }
        if (srcKey[i] == -1) {
            if (sources == maxSources) {
                anomalies.count(Anomaly.export_exporters_full, -1);
                return 0;
            }
            sources++;
            srcKey[i] = key;
            srcSeq[i] = seq;
            srcEpoch[i] = epoch[slot];
            return 0;
        }
        long lost = 0;
        if (srcEpoch[i] == epoch[slot]) {
            long ahead = (seq - srcSeq[i] - 1) & MASK32;
            if (ahead >= HALF) {
                return 0; // late or duplicated: the gap, if any, was counted when it opened
            }
            lost = ahead;
        }
        srcSeq[i] = seq;
        srcEpoch[i] = epoch[slot];
        return lost;
    }

    /** The smallest power of two at least twice {@code n}: probes stay short at half load. */
    private static int capacity(int n) {
        return Integer.highestOneBit(2 * n - 1) << 1;
    }

    /** Murmur3's 64-bit finaliser: agent addresses are often sequential. */
    private static long mix(long a, long b) {
        long h = a ^ (b * 0x9e37_79b9_7f4a_7c15L);
        h ^= h >>> 33;
        h *= 0xff51_afd7_ed55_8ccdL;
        h ^= h >>> 33;
        h *= 0xc4ce_b9fe_1a85_ec53L;
        h ^= h >>> 33;
        return h;
    }
}
