package io.bulwark.decode.netflow;

import io.bulwark.decode.Anomaly;
import io.bulwark.decode.AnomalyCounters;

import java.nio.ByteBuffer;

/**
 * Data sets that arrived before their template (UDP reorders, and an exporter that was
 * restarted sends data before its periodic template refresh), copied into one preallocated
 * arena with the header context needed to decode them later. Bounded in sets and bytes: when
 * full, the oldest sets are dropped and counted ({@code export_pending_full} and a template
 * miss); so is a set whose template has not come within the expiry.
 */
final class PendingSets {
    final byte[] arena;
    final ByteBuffer buffer;
    private final int maxSets;
    private final long expirySeconds;
    private final AnomalyCounters anomalies;
    private int used;
    private int count;
    final int[] offset;
    final int[] length;
    final int[] templateId;
    final long[] domain;
    final Exporter[] owner;
    final long[] exportSeconds;
    final long[] exportNanos;
    final long[] uptime;

    PendingSets(int maxSets, int maxBytes, long expirySeconds, AnomalyCounters anomalies) {
        this.arena = new byte[maxBytes];
        this.buffer = ByteBuffer.wrap(arena);
        this.maxSets = maxSets;
        this.expirySeconds = expirySeconds;
        this.anomalies = anomalies;
        offset = new int[maxSets];
        length = new int[maxSets];
        templateId = new int[maxSets];
        domain = new long[maxSets];
        owner = new Exporter[maxSets];
        exportSeconds = new long[maxSets];
        exportNanos = new long[maxSets];
        uptime = new long[maxSets];
    }

    int count() {
        return count;
    }

    int bytes() {
        return used;
    }

    /** Keeps a copy of a data set's records (without the set header). */
    void add(ByteBuffer b, int at, int len, Exporter o, long dom, int id, long secs, long nanos, long upt) {
        if (len > arena.length || maxSets == 0) {
            miss(o, at);
            return;
        }
        while (count == maxSets || used + len > arena.length) {
            miss(owner[0], at);
            drop(0);
        }
        int i = count++;
        offset[i] = used;
        length[i] = len;
        b.get(at, arena, used, len);
        used += len;
        owner[i] = o;
        domain[i] = dom;
        templateId[i] = id;
        exportSeconds[i] = secs;
        exportNanos[i] = nanos;
        uptime[i] = upt;
    }

    private void miss(Exporter o, int at) {
        anomalies.count(Anomaly.export_pending_full, at);
        anomalies.count(Anomaly.export_template_missing, at);
        o.stats.templateMisses++;
    }

    /** The index of the first pending set for this template, or -1. */
    int find(Exporter o, long dom, int id) {
        for (int i = 0; i < count; i++) {
            if (owner[i] == o && domain[i] == dom && templateId[i] == id) {
                return i;
            }
        }
        return -1;
    }

    /** Drops an exporter's sets older than the expiry, counting each as a template miss. */
    void expire(Exporter o, long nowSeconds) {
        for (int i = 0; i < count; ) {
            if (owner[i] == o && nowSeconds - exportSeconds[i] > expirySeconds) {
                anomalies.count(Anomaly.export_template_missing, 0);
                o.stats.templateMisses++;
                drop(i);
            } else {
                i++;
            }
        }
    }

    /** Removes set {@code i}, compacting the arena so that free space stays at the end. */
    void drop(int i) {
        int len = length[i];
        int end = offset[i] + len;
        System.arraycopy(arena, end, arena, offset[i], used - end);
        used -= len;
        for (int j = i + 1; j < count; j++) {
            offset[j - 1] = offset[j] - len;
            length[j - 1] = length[j];
            templateId[j - 1] = templateId[j];
            domain[j - 1] = domain[j];
            owner[j - 1] = owner[j];
            exportSeconds[j - 1] = exportSeconds[j];
            exportNanos[j - 1] = exportNanos[j];
            uptime[j - 1] = uptime[j];
        }
        count--;
        owner[count] = null;
    }
}
