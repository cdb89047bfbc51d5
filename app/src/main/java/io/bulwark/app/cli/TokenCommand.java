package io.bulwark.app.cli;

import io.bulwark.app.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code bulwark token create|revoke}: API tokens for {@code bulwark serve}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "API tokens for bulwark serve.",
        subcommands = {TokenCommand.Create.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a token and prints its secret on stdout, once: only its hash is stored.")
    static final class Create implements Callable<Integer> {
        @Option(names = "--role", required = true, description = "one of: ${COMPLETION-CANDIDATES}")
        Store.Role role;

        @Option(names = "--name", description = "who or what uses it, recorded in incident history (default: the role)")
        String name;

        @picocli.CommandLine.Mixin
        StoreLocation where = new StoreLocation();

        @Override
        public Integer call() {
            try (Store s = where.open()) {
                // Wall clock: a token's creation time is an administrative fact, not traffic time.
                Store.NewToken t = s.createToken(role, name == null ? role.name() : name, Instant.now());
                System.err.println("token " + t.id() + " (" + t.role() + ", " + t.name() + "): the secret below is shown only now");
                System.out.println(t.secret());
            }
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revokes a token by its id.")
    static final class Revoke implements Callable<Integer> {
        @Parameters(paramLabel = "ID")
        String id;

        @picocli.CommandLine.Mixin
        StoreLocation where = new StoreLocation();

        @Override
        public Integer call() {
            try (Store s = where.open()) {
                if (!s.revokeToken(id)) {
                    System.err.println("bulwark: no token " + id);
                    return 1;
                }
            }
            return 0;
        }
    }
}
