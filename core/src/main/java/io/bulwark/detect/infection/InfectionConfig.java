package io.bulwark.detect.infection;

import java.util.Set;

/**
 * Thresholds of the infection (loader-stage) detector (docs/detectors.md#infection).
 *
 * @param minBinaryBytes     smallest download counted as a binary, IP bytes from the server (32 KB)
 * @param maxBinaryBytes     largest (2 MB: bot binaries are tens to hundreds of KB; firmware is larger)
 * @param minDownloads       similar-sized cleartext binary downloads within {@code windowNanos} that
 *                           make an infection in flow mode (3: loaders fetch several architectures)
 * @param windowNanos        (5 min)
 * @param downloadPorts      cleartext transfer ports: HTTP variants, FTP, TFTP
 * @param telnetPorts        where loader commands arrive
 */
public record InfectionConfig(long minBinaryBytes, long maxBinaryBytes, int minDownloads, long windowNanos,
                              Set<Integer> downloadPorts, Set<Integer> telnetPorts) {
    public static InfectionConfig defaults() {
        return new InfectionConfig(32 * 1024, 2 * 1024 * 1024, 3, 300_000_000_000L,
                Set.of(80, 81, 8080, 8000, 8888, 20, 21, 69), Set.of(23, 2323));
    }
}
