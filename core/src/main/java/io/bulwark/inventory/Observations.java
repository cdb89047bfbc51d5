package io.bulwark.inventory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The observations kept about one device: distinct, in first-seen order, at most
 * {@link #MAX_PER_SOURCE} per source and {@link #MAX_PER_DEVICE} in all (about 10 KB at most).
 * What does not fit is dropped silently: the first values of each kind are the telling ones.
 */
final class Observations {
    static final int MAX_PER_DEVICE = 64;
    static final int MAX_PER_SOURCE = 8;
    private final LinkedHashSet<Observation> all = new LinkedHashSet<>();
    private final Map<String, Integer> perSource = new HashMap<>();
    /** Kinds of payload parse, each with its own budget. */
    static final int HTTP = 0, TLS = 1, BANNER = 2, MDNS = 3, SSDP = 4, DHCP = 5, HTTP_SERVER = 6;
    /**
     * Parses left per kind: a device says the same things again and again (every flow's
     * request, every announcement), so after this many the rest are skipped, which bounds the
     * inventory's work per device whatever the traffic.
     */
    static final int PARSES_PER_KIND = 32;
    private final byte[] parsed = new byte[7];

    /** True (and counted) while the kind's budget lasts. */
    boolean spend(int kind) {
        if (parsed[kind] >= PARSES_PER_KIND) {
            return false;
        }
        parsed[kind]++;
        return true;
    }

    /** Remote services the device contacted, (protocol << 16 | port), 0 = free; from flows. */
    private final int[] contacted = new int[MAX_PER_SOURCE];

    /** Records a remote service the device opened a flow to; the first {@link #MAX_PER_SOURCE} distinct are kept. */
    void contacted(int protocol, int port) {
        int key = (protocol << 16) | port;
        for (int i = 0; i < contacted.length; i++) {
            if (contacted[i] == key) {
                return;
            }
            if (contacted[i] == 0) {
                contacted[i] = key;
                return;
            }
        }
    }

    /** The value of the first observation from {@code source}, or null; no copy. */
    String first(String source) {
        for (Observation o : all) {
            if (o.source().equals(source)) {
                return o.value();
            }
        }
        return null;
    }

    /** Observations all devices of one tap may still keep (shared), or null for no shared bound. */
    private final long[] budget;

    Observations() {
        this(null);
    }

    /** @param budget a one-element array shared by a tap's devices: observations left to keep */
    Observations(long[] budget) {
        this.budget = budget;
    }

    void add(String source, String value) {
        if (value == null || value.isEmpty() || all.size() >= MAX_PER_DEVICE || budget != null && budget[0] <= 0) {
            return;
        }
        Observation o = new Observation(source, Wire.cap(value));
        if (all.contains(o) || perSource.getOrDefault(source, 0) >= MAX_PER_SOURCE) {
            return;
        }
        all.add(o);
        perSource.merge(source, 1, Integer::sum);
        if (budget != null) {
            budget[0]--;
        }
    }

    boolean full() {
        return all.size() >= MAX_PER_DEVICE;
    }

    void addAll(Observations o) {
        if (o != null) {
            o.all.forEach(x -> add(x.source(), x.value()));
            for (int v : o.contacted) {
                if (v != 0) {
                    int proto = v >>> 16;
                    add("peer", (proto == 6 ? "tcp" : proto == 17 ? "udp" : "ip" + proto) + "/" + (v & 0xffff));
                }
            }
        }
    }

    List<Observation> list() {
        return new ArrayList<>(all);
    }
}
