package io.bulwark.detect.policy;

import io.bulwark.mud.MudProfile;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Per-device state of the policy detector. Bounded: {@link #MAX_NAMES} learned DNS answers
 * (oldest dropped) and {@code max_violations} reported violation keys; about 40 KB at most.
 */
final class PolicyState implements Serializable {
    static final int MAX_NAMES = 512;
    MudProfile profile;
    /** The device's DNS answers: IPv4 address to the names it was the answer for. */
    final LinkedHashMap<Integer, String> names = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, String> e) {
            return size() > MAX_NAMES;
        }
    };
    boolean dnsSeen;
    final Set<String> reported = new LinkedHashSet<>();
    long suppressed;
}
