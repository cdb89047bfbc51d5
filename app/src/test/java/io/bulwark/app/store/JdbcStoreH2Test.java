package io.bulwark.app.store;

import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;

/** The store contract on embedded H2, the default: a fresh database file per test. */
class JdbcStoreH2Test extends StoreContract {
    @TempDir
    Path dir;

    @Override
    Store openEmpty() {
        return JdbcStore.open(JdbcStore.h2Url(dir), null, null);
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection(JdbcStore.h2Url(dir));
    }

    @Override
    void dropEmpty() {
        // @TempDir removes the file.
    }
}
