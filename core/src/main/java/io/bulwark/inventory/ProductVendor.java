package io.bulwark.inventory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The vendor of a device whose MAC belongs to a Wi-Fi chip or module maker (resource
 * {@code device-vendors.tsv}): when the device names its maker (DHCP, mDNS, SSDP, HTTP, or
 * the maker's cloud it registers with), that maker is preferred over the chip maker's OUI.
 * Immutable; thread-safe.
 */
final class ProductVendor {
    private static final List<String> IDENTITY = List.of("dhcp.hostname", "dhcp.vendor_class", "mdns.", "ssdp.",
            "http.user_agent", "http.server", "banner.");
    private static final List<String> CLOUD = List.of("http.host", "tls.sni");

    private record Rule(String vendor, List<String> sources, Pattern pattern) {
        boolean applies(String source) {
            return sources.stream().anyMatch(p -> p.endsWith(".") ? source.startsWith(p) : source.equals(p));
        }
    }

    private static final ProductVendor DEFAULT = load();
    private final List<Pattern> chips;
    private final List<Rule> rules;

    private ProductVendor(List<Pattern> chips, List<Rule> rules) {
        this.chips = chips;
        this.rules = rules;
    }

    static ProductVendor defaults() {
        return DEFAULT;
    }

    private static ProductVendor load() {
        List<Pattern> chips = new ArrayList<>();
        List<Rule> rules = new ArrayList<>();
        try (InputStream in = ProductVendor.class.getResourceAsStream("device-vendors.tsv")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f[0].equals("chip") && f.length == 2) {
                    chips.add(Pattern.compile(f[1]));
                } else if (f[0].equals("vendor") && f.length == 4) {
                    rules.add(new Rule(f[1], f[2].equals("*") ? IDENTITY : f[2].equals("cloud") ? CLOUD : List.of(f[2]),
                            Pattern.compile(f[3])));
                } else {
                    throw new IllegalStateException("device-vendors.tsv: bad line: " + line);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProductVendor(List.copyOf(chips), List.copyOf(rules));
    }

    /** Whether this OUI organisation makes Wi-Fi chips or modules rather than products. */
    boolean isChipMaker(String ouiVendor) {
        return ouiVendor != null && chips.stream().anyMatch(p -> p.matcher(ouiVendor).find());
    }

    /**
     * The vendor to report: the product's maker named in the observations when the OUI is
     * absent or a chip maker's (first matching rule, in file order, over observations in
     * first-seen order); else the OUI organisation.
     */
    String vendor(String ouiVendor, List<Observation> observations) {
        if (ouiVendor != null && !isChipMaker(ouiVendor)) {
            return ouiVendor;
        }
        for (Rule rule : rules) {
            for (Observation o : observations) {
                if (rule.applies(o.source()) && rule.pattern().matcher(o.value()).find()) {
                    return rule.vendor();
                }
            }
        }
        return ouiVendor;
    }
}
