package io.bulwark.app.output;

import io.bulwark.inventory.DeviceProfile;
import io.bulwark.inventory.Observation;
import io.bulwark.posture.PostureCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the inventory and posture fields of a device record ({@link RecordWriter#inventory})
 * back into their records: for the store's inventory column and for devices.ndjson read by
 * {@code bulwark posture}. Missing or mistyped fields give empty values, never an exception.
 */
public final class InventoryJson {
    private InventoryJson() {
    }

    public static DeviceProfile profile(Map<String, Object> m) {
        if (m == null || m.isEmpty()) {
            return DeviceProfile.EMPTY;
        }
        List<DeviceProfile.ClassVote> votes = new ArrayList<>();
        String cls = text(m.get("class"), "unknown");
        for (Map<?, ?> v : maps(m.get("class_evidence"))) {
            votes.add(new DeviceProfile.ClassVote(cls, text(v.get("source"), ""), text(v.get("value"), ""),
                    text(v.get("rule"), ""), v.get("weight") instanceof Number n ? n.intValue() : 1));
        }
        List<Observation> obs = new ArrayList<>();
        for (Map<?, ?> o : maps(m.get("observations"))) {
            obs.add(new Observation(text(o.get("source"), ""), text(o.get("value"), "")));
        }
        return new DeviceProfile(text(m.get("vendor"), null), cls, List.copyOf(votes), text(m.get("mud_url"), null),
                List.copyOf(obs));
    }

    public static List<PostureCheck> posture(Map<String, Object> m) {
        List<PostureCheck> out = new ArrayList<>();
        if (m == null) {
            return out;
        }
        for (Map<?, ?> c : maps(m.get("posture"))) {
            PostureCheck.Status st;
            try {
                st = PostureCheck.Status.valueOf(text(c.get("status"), "unknown"));
            } catch (IllegalArgumentException e) {
                st = PostureCheck.Status.unknown;
            }
            out.add(new PostureCheck(text(c.get("id"), ""), text(c.get("title"), ""), strings(c.get("measures")), st,
                    text(c.get("basis"), "none"), strings(c.get("evidence"))));
        }
        return out;
    }

    private static String text(Object o, String dflt) {
        return o instanceof String s ? s : dflt;
    }

    private static List<Map<?, ?>> maps(Object o) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof Map<?, ?> mm) {
                    out.add(mm);
                }
            }
        }
        return out;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        if (o instanceof List<?> l) {
            for (Object x : l) {
                if (x instanceof String s) {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
