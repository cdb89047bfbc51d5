package io.bulwark.app;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files of the repository found from wherever a test runs (the module or the root). */
public final class TestPaths {
    private TestPaths() {
    }

    /** {@code rel} under the nearest directory upwards that has it. */
    public static Path locate(String rel) {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve(rel))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(rel + " not found");
        }
        return p.resolve(rel);
    }
}
