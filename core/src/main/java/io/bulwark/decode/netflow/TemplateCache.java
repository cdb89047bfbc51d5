package io.bulwark.decode.netflow;

/**
 * Templates by (exporter, domain, template id): a pool of at most {@code max} templates and an
 * open-addressing index over it with backward-shift deletion (no tombstones, so withdrawals
 * and expiries never degrade lookups). Lookups allocate nothing.
 */
final class TemplateCache {
    private final Template[] pool;
    private final int[] index;
    private final int mask;
    private final int[] free;
    private int freeCount;
    private int size;

    TemplateCache(int max) {
        pool = new Template[max];
        int cap = Integer.highestOneBit(Math.max(2, max) * 2 - 1) << 1;
        index = new int[cap];
        mask = cap - 1;
        free = new int[max];
        for (int i = 0; i < max; i++) {
            free[i] = max - 1 - i;
        }
        freeCount = max;
    }

    private static int hash(Exporter owner, long domain, int id) {
        long h = System.identityHashCode(owner) * 0x9E37_79B9_7F4A_7C15L + domain;
        h = (h * 0x9E37_79B9_7F4A_7C15L + id) * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h ^ (h >>> 32));
    }

    Template get(Exporter owner, long domain, int id) {
        int i = hash(owner, domain, id) & mask;
        while (index[i] != 0) {
            Template t = pool[index[i] - 1];
            if (t.owner == owner && t.domain == domain && t.id == id) {
                return t;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    boolean full() {
        return freeCount == 0;
    }

    int size() {
        return size;
    }

    /** Adds a template whose key is not present; the caller checked {@link #full()}. */
    void add(Template t) {
        int slot = free[--freeCount];
        pool[slot] = t;
        t.slot = slot;
        int i = hash(t.owner, t.domain, t.id) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = slot + 1;
        size++;
        t.owner.templates++;
    }

    void remove(Template t) {
        int i = hash(t.owner, t.domain, t.id) & mask;
        while (index[i] != t.slot + 1) {
            i = (i + 1) & mask;
        }
        // Backward-shift deletion (Knuth 6.4, algorithm R): move later entries of the probe
        // run into the hole so that every entry stays reachable from its home slot.
        int hole = i;
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            if (index[j] == 0) {
                break;
            }
            Template m = pool[index[j] - 1];
            int home = hash(m.owner, m.domain, m.id) & mask;
            boolean movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
            if (movable) {
                index[hole] = index[j];
                hole = j;
            }
        }
        index[hole] = 0;
        pool[t.slot] = null;
        free[freeCount++] = t.slot;
        t.slot = -1;
        size--;
        t.owner.templates--;
    }

    /** Removes an exporter domain's templates (RFC 7011 section 8.1 withdraw-all); returns how many. */
    int removeAll(Exporter owner, long domain, boolean options) {
        int n = 0;
        for (Template t : pool) {
            if (t != null && t.owner == owner && t.domain == domain && t.options == options) {
                remove(t);
                n++;
            }
        }
        return n;
    }

    /** Frees templates not refreshed within {@code expirySeconds} of their exporter's latest export time. */
    int expire(long expirySeconds) {
        int n = 0;
        for (Template t : pool) {
            if (t != null && t.owner.lastExportSeconds - t.lastSeenSeconds > expirySeconds) {
                remove(t);
                n++;
            }
        }
        return n;
    }
}
