package io.bulwark.app.cli;

import io.bulwark.app.posture.DeviceRecords;
import io.bulwark.app.posture.PostureReport;
import io.bulwark.app.store.Store;
import io.bulwark.inventory.DeviceSummary;
import io.bulwark.posture.PostureCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code bulwark posture [DIR] --out report.html}: the inventory and ENISA posture report, from
 * an analyze output directory's devices.ndjson, or from the store when no DIR is given.
 */
@Command(name = "posture", mixinStandardHelpOptions = true,
        description = "Device inventory and ENISA-baseline posture report (HTML), from DIR/devices.ndjson or the store.")
final class PostureCommand implements Callable<Integer> {
    /** Devices read at most: the report is for people, and a store page is bounded. */
    static final int MAX_DEVICES = 100_000;

    @Parameters(paramLabel = "DIR", arity = "0..1", description = "output directory of bulwark analyze (default: the store)")
    Path in;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "posture.html", description = "report file (default: ${DEFAULT-VALUE})")
    Path out;

    @Mixin
    StoreLocation where;

    @Override
    public Integer call() throws Exception {
        List<DeviceSummary> devices;
        String source;
        if (in != null) {
            devices = DeviceRecords.read(in.resolve("devices.ndjson"), MAX_DEVICES);
            source = in.resolve("devices.ndjson").toString();
        } else {
            try (Store s = where.open()) {
                devices = s.devicesUpTo(new Store.DeviceQuery(null, null, Store.MAX_PAGE, 0), MAX_DEVICES);
            }
            source = "the store";
        }
        Files.writeString(out, PostureReport.html(devices, source), StandardCharsets.UTF_8);
        long failing = devices.stream().filter(d -> d.posture().stream().anyMatch(c -> c.status() == PostureCheck.Status.failed)).count();
        System.err.printf(Locale.ROOT, "posture: %d devices, %d failing at least one ENISA check; report: %s%n",
                devices.size(), failing, out);
        return 0;
    }
}
