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

    void add(String source, String value) {
        if (value == null || value.isEmpty() || all.size() >= MAX_PER_DEVICE) {
            return;
        }
        Observation o = new Observation(source, value);
        if (all.contains(o) || perSource.getOrDefault(source, 0) >= MAX_PER_SOURCE) {
            return;
        }
        all.add(o);
        perSource.merge(source, 1, Integer::sum);
    }

    boolean full() {
        return all.size() >= MAX_PER_DEVICE;
    }

    void addAll(Observations o) {
        if (o != null) {
            o.all.forEach(x -> add(x.source(), x.value()));
        }
    }

    List<Observation> list() {
        return new ArrayList<>(all);
    }
}
