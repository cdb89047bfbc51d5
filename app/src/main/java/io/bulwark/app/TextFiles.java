package io.bulwark.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
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

    /**
     * The bytes of a user-given file of at most {@code max} bytes; a longer one (or a device
     * such as /dev/zero, which never ends) is refused with one line, never read to the end of
     * the heap. Reads at most {@code max + 1} bytes.
     */
    public static byte[] readBounded(Path p, long max) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (b.length > max) {
                throw new IOException("larger than " + human(max) + " (not the kind of file expected here)");
            }
            return b;
        }
    }

    private static String human(long bytes) {
        return bytes >= 1 << 20 ? (bytes >> 20) + " MiB" : bytes >= 1 << 10 ? (bytes >> 10) + " KiB" : bytes + " bytes";
    }
}
