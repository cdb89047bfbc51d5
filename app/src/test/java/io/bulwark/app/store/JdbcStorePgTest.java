package io.bulwark.app.store;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The store contract on PostgreSQL, in a schema of its own per test, dropped afterwards.
 * By default the local server .ci/install-tools sets up (role and database "bulwark");
 * BULWARK_TEST_PG, BULWARK_TEST_PG_USER and BULWARK_TEST_PG_PASSWORD point elsewhere. Skipped,
 * saying why, when no PostgreSQL answers.
 */
class JdbcStorePgTest extends StoreContract {
    static final String URL = env("BULWARK_TEST_PG", "jdbc:postgresql://127.0.0.1:5432/bulwark");
    static final String USER = env("BULWARK_TEST_PG_USER", "bulwark");
    static final String PASSWORD = env("BULWARK_TEST_PG_PASSWORD", "bulwark");

    private String schema;

    static String env(String name, String dflt) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? dflt : v;
    }

    /** Why PostgreSQL cannot be used, or null when it can. */
    private static String unavailable;

    @BeforeAll
    static void reachable() {
        DriverManager.setLoginTimeout(3);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
            c.isValid(3);
            unavailable = null;
        } catch (SQLException e) {
            unavailable = "PostgreSQL tests skipped: no PostgreSQL at " + URL + " as " + USER + " (" + e.getMessage()
                    + "). Run .ci/install-tools as root, or set BULWARK_TEST_PG, BULWARK_TEST_PG_USER, BULWARK_TEST_PG_PASSWORD.";
            System.err.println(unavailable);
        }
    }

    @Override
    Store openEmpty() throws Exception {
        // Per test rather than aborting the class, so every skipped test is counted with the reason.
        Assumptions.assumeTrue(unavailable == null, unavailable);
        schema = String.format(Locale.ROOT, "bwk_test_%016x", ThreadLocalRandom.current().nextLong());
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        return JdbcStore.open(url(), USER, PASSWORD);
    }

    private String url() {
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @Override
    Connection raw() throws Exception {
        return DriverManager.getConnection(url(), USER, PASSWORD);
    }

    @Override
    void dropEmpty() throws Exception {
        if (schema != null) {
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD); Statement s = c.createStatement()) {
                s.execute("DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }
}
