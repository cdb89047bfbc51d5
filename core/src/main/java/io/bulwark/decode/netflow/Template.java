package io.bulwark.decode.netflow;

import java.util.Arrays;

/**
 * One parsed (options) template, compact: per field its IE number, enterprise number, length
 * and role, and, when no field has variable length, the offset and length of every role in the
 * data record, so that reading a record is one array lookup per field Bulwark uses. Built once
 * per template definition; a refresh with the same fields only updates {@link #lastSeenSeconds}.
 * Precomputed offsets measured in ExportDecodeBenchmark (softflowd's template, 2 shared and
 * noisy cores): 15-19 million records/s, against 12 million when every record is walked field
 * by field as variable-length templates must be; the goal is 2 million.
 */
final class Template {
    final Exporter owner;
    final long domain;
    final int id;
    final boolean options;
    final int[] ie;
    final long[] enterprise;
    final int[] length;
    final int[] role;
    /** Fixed record length, or the least length when some field is variable. */
    final int minLength;
    final boolean variable;
    /**
     * Whether records carry an address at all: exporters also send data templates of other
     * things (interface or application tables), which are no flows and are not delivered.
     */
    final boolean flows;
    /** For fixed-length templates: offset and length per role, -1 when absent. */
    final int[] roleOffset = new int[Fields.ROLES];
    final int[] roleLength = new int[Fields.ROLES];
    long lastSeenSeconds;
    /** Slot in the template cache's pool; set by the cache. */
    int slot = -1;

    Template(Exporter owner, long domain, int id, boolean options, int fields, int[] ie, long[] enterprise,
             int[] length, int[] role, long seenSeconds) {
        this.owner = owner;
        this.domain = domain;
        this.id = id;
        this.options = options;
        this.ie = Arrays.copyOf(ie, fields);
        this.enterprise = Arrays.copyOf(enterprise, fields);
        this.length = Arrays.copyOf(length, fields);
        this.role = Arrays.copyOf(role, fields);
        this.lastSeenSeconds = seenSeconds;
        Arrays.fill(roleOffset, -1);
        int off = 0;
        boolean var = false;
        for (int i = 0; i < fields; i++) {
            if (length[i] == Fields.VARIABLE) {
                var = true;
                off += 1;
                continue;
            }
            int r = role[i];
            if (r != Fields.NONE && roleOffset[r] < 0) {
                roleOffset[r] = off;
                roleLength[r] = length[i];
            }
            off += length[i];
        }
        boolean addresses = false;
        for (int i = 0; i < fields; i++) {
            int r = role[i];
            addresses |= r == Fields.SRC4 || r == Fields.DST4 || r == Fields.SRC6 || r == Fields.DST6;
        }
        this.flows = !options && addresses;
        this.minLength = off;
        this.variable = var;
        if (var) {
            Arrays.fill(roleOffset, -1);
        }
    }

    /** Whether a new definition for the same key has exactly these fields. */
    boolean sameFields(boolean options, int fields, int[] ie, long[] enterprise, int[] length, int[] role) {
        return this.options == options && this.ie.length == fields
                && Arrays.equals(this.ie, 0, fields, ie, 0, fields)
                && Arrays.equals(this.enterprise, 0, fields, enterprise, 0, fields)
                && Arrays.equals(this.length, 0, fields, length, 0, fields)
                && Arrays.equals(this.role, 0, fields, role, 0, fields);
    }
}
