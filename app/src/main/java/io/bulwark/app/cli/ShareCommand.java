package io.bulwark.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.app.output.Json;
import io.bulwark.app.share.ShareOptions;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.misp.MispExporter;
import io.bulwark.app.share.stix.StixExporter;
import io.bulwark.app.share.taxii.TaxiiClient;
import io.bulwark.app.store.Store;
import io.bulwark.flow.IpAddr;
import io.bulwark.incident.Incident;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;

/**
 * {@code bulwark share export}: incidents from the store as a STIX 2.1 bundle or MISP events
 * (docs/share.md); {@code bulwark share pull}: a partner's indicators over TAXII 2.1;
 * {@code bulwark share reidentify}: the key holder's way back from a pseudonym.
 */
@Command(name = "share", mixinStandardHelpOptions = true,
        description = "Shares incidents with partners as STIX 2.1 or MISP, within a TLP level.",
        subcommands = {ShareCommand.Export.class, ShareCommand.Pull.class, ShareCommand.Reidentify.class})
final class ShareCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    enum Format { stix, misp }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes the store's incidents as one STIX 2.1 bundle or a JSON array of MISP events. "
                    + "Incidents marked above --tlp are left out.")
    static final class Export implements Callable<Integer> {
        @Option(names = "--format", required = true, paramLabel = "stix|misp")
        Format format;

        @Option(names = "--tlp", required = true, paramLabel = "LEVEL", converter = TlpConverter.class,
                description = "the most restricted level the recipient may receive: clear, green, amber, amber+strict, red")
        Tlp partnerMax;

        @Option(names = "--partner", paramLabel = "NAME", description = "the recipient, named in the summary")
        String partner;

        @Option(names = "--since", paramLabel = "RFC3339", description = "only incidents detected at or after this time")
        OffsetDateTime since;

        @Option(names = "--max", paramLabel = "N", defaultValue = "10000",
                description = "at most this many incidents, the earliest first (default: ${DEFAULT-VALUE})")
        int max;

        @picocli.CommandLine.Mixin
        StoreLocation where = new StoreLocation();

        @picocli.CommandLine.Mixin
        SharingPolicy policy = new SharingPolicy();

        @Option(names = "--out", paramLabel = "FILE", description = "write here instead of standard output")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (max < 1) {
                throw new IllegalArgumentException("--max must be at least 1");
            }
            UnaryOperator<IpAddr> pseudonymise = policy.pseudonymiser(); // a bad key fails before the store opens
            List<Incident> incidents = new ArrayList<>();
            try (Store store = where.open()) {
                store.incidentsUpTo(new Store.IncidentQuery(null, null, null, since == null ? null : since.toInstant(),
                        null, "detected_at", 0, 0), max).forEach(si -> incidents.add(si.incident()));
            }
            ShareOptions options = ShareOptions.defaults(partnerMax).withMarking(policy.marking)
                    .withOperator(policy.operator).withLocal(policy.localNets())
                    .withPrivateInPatterns(policy.privateInPatterns);
            if (pseudonymise != null) {
                options = options.withPseudonymise(pseudonymise);
            }
            JsonNode doc;
            int exported;
            int withheld;
            if (format == Format.stix) {
                StixExporter.Export e = new StixExporter(options).export(incidents);
                doc = e.bundle();
                exported = e.exported();
                withheld = e.withheld();
            } else {
                MispExporter.Export e = new MispExporter(options).export(incidents);
                doc = e.events();
                exported = e.exported();
                withheld = e.withheld();
            }
            if (out == null) {
                OutputStream o = System.out;
                Json.MAPPER.writeValue(o, doc);
                System.out.println();
                System.out.flush();
            } else {
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                Json.MAPPER.writeValue(out.toFile(), doc);
            }
            System.err.printf("bulwark share: %d incident(s) exported as %s%s at up to TLP:%s, %d withheld above it%n",
                    exported, format, partner == null ? "" : " for " + partner,
                    partnerMax.label().toUpperCase(java.util.Locale.ROOT), withheld);
            return 0;
        }
    }

    @Command(name = "pull", mixinStandardHelpOptions = true,
            description = "Pulls the indicators of a TAXII 2.1 collection (every page) and writes them, untouched, "
                    + "as one STIX 2.1 bundle. Remembers the last date added in a state file and resumes after it.")
    static final class Pull implements Callable<Integer> {
        @Option(names = "--from", required = true, paramLabel = "URL",
                description = "the API root (https://host/taxii2/api/) or discovery URL (https://host/taxii2/)")
        java.net.URI from;

        @Option(names = "--collection", required = true, paramLabel = "ID", description = "collection id or alias")
        String collection;

        @Option(names = "--user", required = true, paramLabel = "NAME")
        String user;

        @Option(names = "--password-file", required = true, paramLabel = "FILE",
                description = "holds the password (first line), so it stays out of the process list")
        Path passwordFile;

        @Option(names = "--added-after", paramLabel = "RFC3339",
                description = "only objects added after this time (default: from the state file, else all)")
        String addedAfter;

        @Option(names = "--state", paramLabel = "FILE",
                description = "where the last date added is kept (default: the --out file plus .taxii-state)")
        Path state;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "objects per page (default: ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--out", paramLabel = "FILE", description = "write the bundle here instead of standard output")
        Path out;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                throw new IllegalArgumentException("--limit must be at least 1");
            }
            String password = new String(io.bulwark.app.TextFiles.readBounded(passwordFile, 4096), StandardCharsets.UTF_8)
                    .lines().findFirst().orElse("").strip();
            Path st = state != null ? state : out == null ? null : Path.of(out + ".taxii-state");
            String after = addedAfter;
            if (after == null && st != null && Files.exists(st)) {
                after = new String(io.bulwark.app.TextFiles.readBounded(st, 4096), StandardCharsets.UTF_8).strip();
            }
            TaxiiClient.Result r = new TaxiiClient(from, user, password, java.time.Duration.ofSeconds(30))
                    .pull(collection, after == null || after.isEmpty() ? null : after, limit);
            if (out == null) {
                Json.MAPPER.writeValue(System.out, r.bundle());
                System.out.println();
                System.out.flush();
            } else {
                if (out.toAbsolutePath().getParent() != null) {
                    Files.createDirectories(out.toAbsolutePath().getParent());
                }
                Json.MAPPER.writeValue(out.toFile(), r.bundle());
            }
            if (st != null && r.lastAdded() != null) {
                Files.writeString(st, r.lastAdded() + "\n");
            }
            System.err.printf("bulwark share pull: %d indicator(s) in %d page(s)%s%n", r.indicators().size(), r.pages(),
                    r.lastAdded() == null ? "" : ", added up to " + r.lastAdded());
            return 0;
        }
    }

    @Command(name = "reidentify", mixinStandardHelpOptions = true,
            description = "For the holder of the Crypto-PAn key: maps pseudonyms (x_bulwark_pseudonym values, MISP "
                    + "text attributes) back to the real addresses, one 'pseudonym address' line each.")
    static final class Reidentify implements Callable<Integer> {
        @Option(names = "--pseudonymise-key", required = true, paramLabel = "FILE",
                description = "the key the export was made with (32 bytes raw, or 64 hex digits)")
        Path key;

        @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "PSEUDONYM")
        List<String> pseudonyms;

        @Override
        public Integer call() throws Exception {
            io.bulwark.anonymise.CryptoPan pan = new io.bulwark.anonymise.CryptoPan(ShareKeys.read(key));
            int bad = 0;
            for (String p : pseudonyms) {
                IpAddr a = IpAddr.parse(p.strip());
                if (a == null) {
                    System.err.println("bulwark share reidentify: not an address: " + p);
                    bad++;
                } else {
                    System.out.println(a + " " + pan.deanonymise(a));
                }
            }
            System.out.flush();
            return bad == 0 ? 0 : 1;
        }
    }

    static final class TlpConverter implements picocli.CommandLine.ITypeConverter<Tlp> {
        @Override
        public Tlp convert(String value) {
            return Tlp.parse(value);
        }
    }
}
