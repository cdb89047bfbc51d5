package io.bulwark.app.share;

import java.util.Locale;

/**
 * Traffic Light Protocol 2.0 levels, least to most restricted (FIRST TLP 2.0), with the fixed
 * ids of their STIX 2.1 marking definitions (OASIS TLP 2.0 extension definition
 * {@code extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d}).
 */
public enum Tlp {
    CLEAR("clear", "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"),
    GREEN("green", "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"),
    AMBER("amber", "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"),
    AMBER_STRICT("amber+strict", "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"),
    RED("red", "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");

    private final String label;
    private final String stixId;

    Tlp(String label, String stixId) {
        this.label = label;
        this.stixId = stixId;
    }

    /** "clear", "green", "amber", "amber+strict" or "red": the TLP 2.0 and MISP taxonomy spelling. */
    public String label() {
        return label;
    }

    /** "TLP:AMBER+STRICT": the level as a marking's name and as people write it. */
    public String title() {
        return "TLP:" + label.toUpperCase(Locale.ROOT);
    }

    /** The OASIS marking-definition id. */
    public String stixId() {
        return stixId;
    }

    /** True when a recipient cleared up to {@code max} may receive data marked with this level. */
    public boolean allowedUpTo(Tlp max) {
        return ordinal() <= max.ordinal();
    }

    /**
     * Parses "amber", "TLP:AMBER", "amber+strict", "amber_strict" (any case); "white" is TLP 1.0's
     * name for clear. Throws IllegalArgumentException for anything else.
     */
    public static Tlp parse(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("tlp:")) {
            t = t.substring(4);
        }
        t = t.replace('_', '+').replace('-', '+');
        if (t.equals("white")) {
            return CLEAR;
        }
        for (Tlp l : values()) {
            if (l.label.equals(t)) {
                return l;
            }
        }
        throw new IllegalArgumentException("not a TLP 2.0 level: " + s + " (clear, green, amber, amber+strict, red)");
    }
}
