package io.bulwark.app.store;

/**
 * The store could not do what was asked: the database is unreachable, a migration failed, or a
 * statement failed. The message is one line, fit for the command line; the cause has the detail.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
