package io.bulwark.evidence;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Another process for {@link EvidenceLogTest}: opens the log in {@code args[0]}, says
 * {@code open} on stdout and holds it until stdin closes.
 */
final class LockHolder {
    private LockHolder() {
    }

    public static void main(String[] args) throws Exception {
        try (EvidenceLog log = EvidenceLog.open(Path.of(args[0]), Clock.systemUTC())) {
            System.out.println("open " + log.size());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Hold the lock until the parent closes our stdin.
            }
        }
    }
}
