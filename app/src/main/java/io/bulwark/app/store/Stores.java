package io.bulwark.app.store;

import java.nio.file.Path;

/**
 * Opens the configured {@link Store}: the one place {@code bulwark serve} and {@code bulwark token}
 * get a store from, so the commands never name an implementation.
 */
public final class Stores {
    private Stores() {
    }

    /**
     * @param url     a JDBC URL ({@code jdbc:h2:...}, {@code jdbc:postgresql://...}), or null for the
     *                embedded H2 database under {@code dataDir}
     * @param dataDir directory of the embedded database when {@code url} is null
     */
    public static Store open(String url, Path dataDir) {
        String jdbc = url != null ? url : JdbcStore.h2Url(dataDir);
        return JdbcStore.open(jdbc, System.getenv("BULWARK_STORE_USER"), System.getenv("BULWARK_STORE_PASSWORD"));
    }
}
