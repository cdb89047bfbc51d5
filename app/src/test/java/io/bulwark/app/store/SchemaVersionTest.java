package io.bulwark.app.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast path that skips Flyway when the store is already at the newest migration. */
class SchemaVersionTest {
    @TempDir
    Path dir;

    @Test
    void schemaVersionIsTheNewestMigrationFile() throws Exception {
        Path migrations = Paths.get(resource("db/migration"));
        int newest = 0;
        Pattern name = Pattern.compile("V(\\d+)__.*\\.sql");
        try (Stream<Path> files = Files.list(migrations)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Matcher m = name.matcher(f.getFileName().toString());
                if (m.matches()) {
                    newest = Math.max(newest, Integer.parseInt(m.group(1)));
                }
            }
        }
        assertThat(newest).isPositive();
        assertThat(JdbcStore.SCHEMA_VERSION)
                .as("JdbcStore.SCHEMA_VERSION must name the newest db/migration file, or new migrations are skipped")
                .isEqualTo(newest);
    }

    @Test
    void emptyDatabaseIsNotCurrentAndMigratedOneIs() throws Exception {
        String url = JdbcStore.h2Url(dir);
        try (HikariDataSource ds = pool(url)) {
            assertThat(JdbcStore.schemaCurrent(ds)).isFalse();
        }
        JdbcStore.open(url, null, null).close();
        try (HikariDataSource ds = pool(url)) {
            assertThat(JdbcStore.schemaCurrent(ds)).isTrue();
        }
        // Opening again takes the fast path and still gives a working store.
        try (Store s = JdbcStore.open(url, null, null)) {
            assertThat(s.write(java.util.List.of(), java.util.List.of())).isZero();
        }
    }

    @Test
    void olderVersionOrAFailedMigrationRunsFlyway() throws Exception {
        String url = JdbcStore.h2Url(dir);
        JdbcStore.open(url, null, null).close();
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("UPDATE \"flyway_schema_history\" SET \"success\" = FALSE"
                    + " WHERE \"version\" = '" + JdbcStore.SCHEMA_VERSION + "'");
        }
        try (HikariDataSource ds = pool(url)) {
            assertThat(JdbcStore.schemaCurrent(ds)).isFalse();
        }
        try (Connection c = DriverManager.getConnection(url)) {
            c.createStatement().executeUpdate("DELETE FROM \"flyway_schema_history\""
                    + " WHERE \"version\" = '" + JdbcStore.SCHEMA_VERSION + "'");
        }
        try (HikariDataSource ds = pool(url)) {
            assertThat(JdbcStore.schemaCurrent(ds)).isFalse();
        }
    }

    private static HikariDataSource pool(String url) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(url);
        hc.setAutoCommit(false);
        hc.setMaximumPoolSize(1);
        return new HikariDataSource(hc);
    }

    private static java.net.URI resource(String name) throws URISyntaxException {
        return SchemaVersionTest.class.getClassLoader().getResource(name).toURI();
    }
}
