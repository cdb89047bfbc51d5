package io.bulwark.app.cli;

import io.bulwark.anonymise.CryptoPan;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.Tlp;
import io.bulwark.flow.IpAddr;
import io.bulwark.net.LocalNets;

import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.UnaryOperator;

/**
 * How incidents leave this network, shared by {@code share export} and {@code serve}'s TAXII
 * collection (a picocli mixin): their TLP marking, the operator's name, and pseudonymisation
 * of the operator's own addresses.
 */
final class SharingPolicy {
    @Option(names = "--marking", paramLabel = "LEVEL", defaultValue = "amber", converter = ShareCommand.TlpConverter.class,
            description = "the TLP level incidents are marked with (default: ${DEFAULT-VALUE})")
    Tlp marking;

    @Option(names = "--operator", paramLabel = "NAME", defaultValue = ShareOptions.DEFAULT_OPERATOR,
            description = "the sharing organisation, as the STIX identity and MISP Orgc (default: ${DEFAULT-VALUE})")
    String operator;

    @Option(names = "--pseudonymise-key", paramLabel = "FILE", description = "pseudonymise internal addresses with "
            + "Crypto-PAn (prefix-preserving) under the 32-byte key in FILE (raw, or 64 hex digits); only the key "
            + "holder can re-identify")
    Path pseudonymiseKey;

    @Option(names = "--config", paramLabel = "FILE",
            description = "the analysis config whose local_nets are pseudonymised (default: the embedded ranges)")
    Path config;

    @Option(names = "--private-in-patterns", description = "let private addresses (RFC 1918, RFC 6598, link-local, "
            + "loopback, ULA) be indicator patterns; by default they are shared only as observed data, since they "
            + "match a partner's own hosts")
    boolean privateInPatterns;

    /** Crypto-PAn under the key file, or null without one. */
    UnaryOperator<IpAddr> pseudonymiser() throws IOException {
        return pseudonymiseKey == null ? null : new CryptoPan(ShareKeys.read(pseudonymiseKey))::anonymise;
    }

    LocalNets localNets() throws IOException {
        return config == null ? LocalNets.defaults() : ConfigFile.load(config).localNets();
    }
}
