package io.bulwark.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Best-effort device class from observations, by weighted rules (resource
 * {@code device-classes.tsv}): every rule that an observation matches votes for its class with
 * its weight, once per rule; the class with the highest total wins (ties: alphabetical, for
 * determinism) and its votes are the evidence. Identity strings (model names, banners, user
 * agents) count most; services answered (flow mode) and the OUI vendor count less. Immutable;
 * thread-safe.
 */
public final class DeviceClassifier {
    public static final String UNKNOWN = "unknown";
    /** Identity sources a "*" rule looks at: names and strings, not fingerprints or hashes. */
    private static final List<String> IDENTITY = List.of("dhcp.hostname", "dhcp.vendor_class", "mdns.", "ssdp.",
            "http.user_agent", "http.server", "banner.", "oui");

    private record Rule(String deviceClass, int weight, String source, Pattern pattern, String reason) {
        boolean applies(String obsSource) {
            if (source.equals("*")) {
                return IDENTITY.stream().anyMatch(p -> p.endsWith(".") ? obsSource.startsWith(p) : obsSource.equals(p))
                        && !obsSource.equals("oui");
            }
            return source.endsWith(".") ? obsSource.startsWith(source) : obsSource.equals(source);
        }
    }

    private static final DeviceClassifier DEFAULT = load();
    private final List<Rule> rules;

    private DeviceClassifier(List<Rule> rules) {
        this.rules = rules;
    }

    public static DeviceClassifier defaults() {
        return DEFAULT;
    }

    private static DeviceClassifier load() {
        List<Rule> rules = new ArrayList<>();
        try (InputStream in = DeviceClassifier.class.getResourceAsStream("device-classes.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 5) {
                    throw new IllegalStateException("device-classes.tsv: bad rule: " + line);
                }
                rules.add(new Rule(f[0], Integer.parseInt(f[1]), f[2], Pattern.compile(f[3]), f[4]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DeviceClassifier(List.copyOf(rules));
    }

    /** The winning class and its votes, strongest first; {@link #UNKNOWN} with no votes when nothing matched. */
    public Result classify(List<Observation> observations) {
        Map<String, List<DeviceProfile.ClassVote>> votes = new TreeMap<>();
        for (Rule rule : rules) {
            for (Observation o : observations) {
                if (rule.applies(o.source()) && rule.pattern().matcher(o.value()).find()) {
                    votes.computeIfAbsent(rule.deviceClass(), k -> new ArrayList<>()).add(
                            new DeviceProfile.ClassVote(rule.deviceClass(), o.source(), o.value(), rule.reason(), rule.weight()));
                    break; // once per rule
                }
            }
        }
        String best = UNKNOWN;
        int bestScore = 0;
        for (Map.Entry<String, List<DeviceProfile.ClassVote>> e : votes.entrySet()) {
            int score = e.getValue().stream().mapToInt(DeviceProfile.ClassVote::weight).sum();
            if (score > bestScore) {
                best = e.getKey();
                bestScore = score;
            }
        }
        List<DeviceProfile.ClassVote> evidence = new ArrayList<>(votes.getOrDefault(best, List.of()));
        evidence.sort(Comparator.comparingInt(DeviceProfile.ClassVote::weight).reversed());
        return new Result(best, bestScore, List.copyOf(evidence));
    }

    public record Result(String deviceClass, int score, List<DeviceProfile.ClassVote> evidence) {
    }
}
