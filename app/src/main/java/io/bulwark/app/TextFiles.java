package io.bulwark.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the text files users hand the commands (NDJSON, labels, scores). */
public final class TextFiles {
    private TextFiles() {
    }

    /**
     * A UTF-8 reader that turns malformed bytes into U+FFFD instead of failing. Not
     * {@link Files#newBufferedReader}: its decoder throws MalformedInputException ("Input length
     * = 1") on the first bad byte, and these files are read to report what is wrong in them, line
     * by line, not to give up on the whole file.
     */
    public static BufferedReader lenientReader(Path p) throws IOException {
        return new BufferedReader(new InputStreamReader(Files.newInputStream(p), StandardCharsets.UTF_8));
    }
}
