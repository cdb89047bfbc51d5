package io.bulwark.app.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code bulwark simulate}: wired once the simulator lands. */
@Command(name = "simulate", description = "Writes realistic, seeded traffic for demos and tests.")
final class SimulateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return 0;
    }
}
