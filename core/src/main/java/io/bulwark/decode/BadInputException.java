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
        super(oneLine(file) + (offset >= 0 ? ": offset " + offset : "") + ": " + oneLine(reason));
        this.file = file;
        this.offset = offset;
        this.reason = oneLine(reason);
    }

    /**
     * Reasons quote input bytes (a header's value, a name); an attacker's newline or escape
     * sequence must not break the one-line error or the terminal. Control characters become
     * \\xNN.
     */
    public static String oneLine(String s) {
        StringBuilder sb = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(s.length() + 8).append(s, 0, i);
                }
                sb.append(String.format("\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? s : sb.toString();
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
