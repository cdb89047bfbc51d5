package io.bulwark.detect.infection;

import io.bulwark.detect.EvidenceRef;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Per-device loader-stage state: a few download times, marker flags and evidence; under 1 KB. */
final class InfectionState implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int MAX_EVIDENCE = 8;

    final long[] downloadTimes = new long[4];
    final long[] downloadSizes = new long[4];
    final long[] downloadPeers = new long[4];
    int downloads;
    int markers;
    long firstMarker = Long.MAX_VALUE;
    long firstDownload = Long.MAX_VALUE;
    String peer;
    /** The server a loader's download command named (wget/curl URL host, tftp address), or null. */
    String downloadServer;
    String method;
    long bytes;
    boolean reported;
    long detectedAt;
    long last;
    final List<EvidenceRef> evidence = new ArrayList<>();
    /** Distinct HTTPS servers seen, up to their length: a general-purpose client browses many. */
    final long[] tlsPeers = new long[8];
    int tlsPeerCount;

    void tlsPeer(long key) {
        for (int i = 0; i < tlsPeerCount; i++) {
            if (tlsPeers[i] == key) {
                return;
            }
        }
        if (tlsPeerCount < tlsPeers.length) {
            tlsPeers[tlsPeerCount++] = key;
        }
    }

    boolean browser() {
        return tlsPeerCount >= tlsPeers.length;
    }

    void evidence(EvidenceRef r) {
        if (evidence.size() < MAX_EVIDENCE && !evidence.contains(r)) {
            evidence.add(r);
        }
    }
}
