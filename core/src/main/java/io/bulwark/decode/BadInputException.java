package io.bulwark.decode;

/**
 * A whole input cannot be read (missing, a directory, not a known format, header damaged).
 * Its message is the one-line error the CLI prints: file, offset and reason. This is not
 * thrown for damage inside a readable input: that becomes a counted {@link Anomaly}.
 */
public final class BadInputException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final long offset;
    private final String reason;

    public BadInputException(String file, long offset, String reason) {
        super(file + (offset >= 0 ? ": offset " + offset : "") + ": " + reason);
        this.file = file;
        this.offset = offset;
        this.reason = reason;
    }

    /** The one-line error for a file that could not be opened or read at all. */
    public static BadInputException unreadable(String file, java.io.IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return new BadInputException(file, -1, "no such file");
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return new BadInputException(file, -1, "permission denied");
        }
        return new BadInputException(file, -1, "cannot read: " + e.getMessage());
    }

    public String file() {
        return file;
    }

    public long offset() {
        return offset;
    }

    public String reason() {
        return reason;
    }
}
