package io.bulwark.app.cli;

import io.bulwark.app.api.Api;
import io.bulwark.app.api.ApiConfig;
import io.bulwark.app.share.Tlp;
import io.bulwark.app.share.taxii.Partners;
import io.bulwark.app.share.taxii.TaxiiServer;
import io.bulwark.app.store.Store;
import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bulwark serve}: the REST API and dashboard over the store, until SIGTERM or SIGINT,
 * which stop the HTTP server (in-flight requests finish) and then close the store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the REST API (/api, /metrics), the dashboard (/) and, with --partners, TAXII 2.1 (/taxii2/) over the store.")
final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    StoreLocation where = new StoreLocation();

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 only behind TLS)")
    String host;

    @Option(names = "--partners", paramLabel = "FILE",
            description = "serve TAXII 2.1 under /taxii2/ to the partners in this JSON file (docs/share.md)")
    Path partners;

    @Option(names = "--evidence", paramLabel = "DIR",
            description = "the evidence directory of analyze --evidence: analysts download an incident's bundle "
                    + "(GET /api/incidents/{id}/evidence, and a button in the dashboard)")
    Path evidence;

    @picocli.CommandLine.Mixin
    SharingPolicy policy = new SharingPolicy();

    @Option(names = "--unmarked-tlp", paramLabel = "LEVEL", defaultValue = "amber", converter = ShareCommand.TlpConverter.class,
            description = "the TLP marking recorded on objects partners post to partner-intel without one, which "
                    + "decides who may read them (default: ${DEFAULT-VALUE}; clear is refused)")
    Tlp unmarked;

    @Override
    public Integer call() throws Exception {
        ApiConfig cfg = ApiConfig.defaults(Clock.systemUTC());
        if (evidence != null) {
            if (!java.nio.file.Files.isDirectory(evidence.resolve("log"))) {
                System.err.println("bulwark serve: " + evidence + ": not an evidence directory (no log/)");
                return 2;
            }
            cfg = cfg.withEvidence(evidence);
        }
        TaxiiServer.Config taxii = null;
        if (partners != null) {
            Tlp all = policy.marking;
            taxii = new TaxiiServer.Config(Partners.load(partners), i -> all, policy.pseudonymiser(), policy.operator,
                    Clock.systemUTC(), TaxiiServer.DEFAULT_MAX_CONTENT, policy.localNets(), unmarked,
                    policy.privateInPatterns);
        }
        Store s = where.open();
        Javalin app;
        try {
            cfg = cfg.withMetrics(s::ingestTotals);
            if (taxii != null) {
                cfg = cfg.withTaxii(new TaxiiServer(s, taxii));
            }
            app = Api.create(s, cfg);
            app.start(host, port);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                app.stop();
                s.close();
            } finally {
                stopped.countDown();
            }
        }, "bulwark-serve-stop"));
        System.err.println("bulwark serve: listening on http://" + host + ":" + app.port() + "/"
                + (taxii == null ? "" : " (TAXII 2.1 at /taxii2/ for " + taxii.partners().size() + " partner(s))"));
        stopped.await();
        return 0;
    }
}
