package io.bulwark.app.cli;

import io.bulwark.app.api.Api;
import io.bulwark.app.api.ApiConfig;
import io.bulwark.app.store.Store;
import io.javalin.Javalin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bulwark serve}: the REST API and dashboard over the store, until SIGTERM or SIGINT,
 * which stop the HTTP server (in-flight requests finish) and then close the store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serves the REST API (/api, /metrics) and the dashboard (/) over the store.")
final class ServeCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    StoreLocation where = new StoreLocation();

    @Option(names = "--port", defaultValue = "8080", description = "TCP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on (default: ${DEFAULT-VALUE}; use 0.0.0.0 only behind TLS)")
    String host;

    @Override
    public Integer call() throws Exception {
        Store s = where.open();
        Javalin app;
        try {
            app = Api.create(s, ApiConfig.defaults(Clock.systemUTC()).withMetrics(s::ingestTotals));
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
        System.err.println("bulwark serve: listening on http://" + host + ":" + app.port() + "/");
        stopped.await();
        return 0;
    }
}
