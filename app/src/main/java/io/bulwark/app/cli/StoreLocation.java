package io.bulwark.app.cli;

import io.bulwark.app.store.Store;
import io.bulwark.app.store.Stores;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the store is: the options every command that opens it shares (a picocli mixin). */
final class StoreLocation {
    @Option(names = "--store", paramLabel = "URL", description = "JDBC URL (jdbc:h2:... or jdbc:postgresql://...; user "
            + "and password from BULWARK_STORE_USER and BULWARK_STORE_PASSWORD); default: embedded H2 under --data")
    String url;

    @Option(names = "--data", paramLabel = "DIR", defaultValue = "bulwark-data",
            description = "data directory: the embedded store is DIR/bulwark (default: ${DEFAULT-VALUE})")
    Path data;

    Store open() {
        return Stores.open(url, data);
    }
}
