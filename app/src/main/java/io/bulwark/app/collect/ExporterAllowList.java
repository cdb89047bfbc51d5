package io.bulwark.app.collect;

import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The senders {@code bulwark collect} takes exports from ({@code collect.exporters} and
 * {@code --exporter}: addresses or prefixes), and a count of the datagrams refused from every
 * other sender, per source. Any host that can reach the socket can send NetFlow, IPFIX or sFlow,
 * and UDP sources are easy to forge, so without a list every sender is believed. Used by the
 * listener threads: refused datagrams never take a place in the collector's queue. The per-source
 * table is bounded ({@link #MAX_SOURCES}); refusals from further sources are counted together.
 */
public final class ExporterAllowList {
    /** Senders counted one by one; refusals from others are counted in one sum. */
    public static final int MAX_SOURCES = 1024;

    private final List<String> prefixes;
    private final LocalNets allowed;
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong refusedUntracked = new AtomicLong();
    private final ConcurrentHashMap<IpAddr, LongAdder> bySource = new ConcurrentHashMap<>();

    /**
     * @param prefixes addresses or prefixes ("192.0.2.1", "10.1.0.0/16", "2001:db8::/32"); empty
     *                 allows every sender
     * @throws IllegalArgumentException naming the first one that is not an address or prefix
     */
    public ExporterAllowList(List<String> prefixes) {
        this.prefixes = List.copyOf(prefixes);
        this.allowed = prefixes.isEmpty() ? null : LocalNets.of(prefixes);
    }

    /** True when there is no list: every sender is believed. */
    public boolean isEmpty() {
        return allowed == null;
    }

    public List<String> prefixes() {
        return prefixes;
    }

    /** Whether a datagram from this sender is taken; a refused one is counted. Thread-safe. */
    boolean admit(long hi, long lo) {
        if (allowed == null || allowed.contains(hi, lo)) {
            return true;
        }
        refused.incrementAndGet();
        IpAddr source = new IpAddr(hi, lo);
        LongAdder n = bySource.get(source);
        if (n == null && bySource.size() < MAX_SOURCES) {
            n = bySource.computeIfAbsent(source, k -> new LongAdder());
        }
        if (n == null) {
            refusedUntracked.incrementAndGet();
        } else {
            n.increment();
        }
        return false;
    }

    /** Datagrams refused so far. */
    public long refused() {
        return refused.get();
    }

    /** Distinct senders refused, counted up to {@link #MAX_SOURCES} (then "at least"). */
    public int refusedSources() {
        return bySource.size();
    }

    /** The {@code n} senders refused most, most first (ties by address). */
    public List<Map.Entry<IpAddr, Long>> topRefused(int n) {
        List<Map.Entry<IpAddr, Long>> all = new ArrayList<>();
        bySource.forEach((k, v) -> all.add(Map.entry(k, v.sum())));
        all.sort(Comparator.comparing((Map.Entry<IpAddr, Long> e) -> -e.getValue())
                .thenComparing(Map.Entry::getKey));
        return all.subList(0, Math.min(n, all.size()));
    }
}
