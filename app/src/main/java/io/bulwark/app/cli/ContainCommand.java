package io.bulwark.app.cli;

import io.bulwark.analyze.AnalyzerConfig;
import io.bulwark.app.contain.ContainInput;
import io.bulwark.app.contain.ContainmentPlan;
import io.bulwark.app.contain.ExaBgpConfig;
import io.bulwark.app.contain.NftRuleset;
import io.bulwark.app.mud.MudSetup;
import io.bulwark.detect.policy.PolicyConfig;
import io.bulwark.flow.IpAddr;
import io.bulwark.mud.MudProfile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * {@code bulwark contain DIR}: containment rules from an analyze output directory and the MUD
 * profiles: DIR/../ or {@code --out} gets {@code bulwark.nft} (checked with {@code nft -c} when
 * nft is installed) and {@code exabgp.conf}. Nothing is applied unless {@code --apply}; then
 * only the nftables ruleset, with {@code nft -f}.
 */
@Command(name = "contain", mixinStandardHelpOptions = true,
        description = "Containment rules from incidents and MUD profiles: an nftables walled garden, "
                + "ExaBGP FlowSpec and RTBH announcements, per-device MUD ACLs. Applies nothing without --apply.")
final class ContainCommand implements Callable<Integer> {
    @Parameters(paramLabel = "DIR", description = "output directory of bulwark analyze (incidents.ndjson, devices.ndjson)")
    Path in;

    @Option(names = "--out", paramLabel = "DIR", description = "where to write bulwark.nft and exabgp.conf (default: DIR)")
    Path out;

    @Option(names = "--config", paramLabel = "FILE", description = "the analyze config: local_nets and the mud keys")
    Path config;

    @Option(names = "--mud-device", paramLabel = "ADDR=FILE", description = "assign a MUD file to a device; repeatable")
    List<String> mudDevices = new ArrayList<>();

    @Option(names = "--portal", paramLabel = "ADDR", description = "remediation portal quarantined devices may reach "
            + "(HTTP and HTTPS; their other HTTP is redirected to the first); repeatable")
    List<String> portal = new ArrayList<>();

    @Option(names = "--dns", paramLabel = "ADDR", description = "resolver quarantined devices may use; repeatable "
            + "(default: DNS to any address)")
    List<String> dns = new ArrayList<>();

    @Option(names = "--limit-pps", defaultValue = "50", description = "packets/s a limited device may send (default: ${DEFAULT-VALUE})")
    int limitPps;

    @Option(names = "--ongoing-s", defaultValue = "300", description = "a flood is ongoing when it was seen this close "
            + "to the newest incident, in traffic time (default: ${DEFAULT-VALUE})")
    long ongoingSeconds;

    @Option(names = "--bgp-neighbor", defaultValue = "192.0.2.1", description = "router ExaBGP announces to")
    String neighbor;

    @Option(names = "--bgp-local", defaultValue = "192.0.2.2", description = "ExaBGP's own address and router-id")
    String local;

    @Option(names = "--local-as", defaultValue = "64512")
    long localAs;

    @Option(names = "--peer-as", defaultValue = "64512")
    long peerAs;

    @Option(names = "--blackhole-next-hop", defaultValue = "192.0.2.1", description = "next hop of RTBH routes")
    String nextHop;

    @Option(names = "--apply", description = "load the nftables ruleset into the kernel (nft -f); needs root")
    boolean apply;

    @Override
    public Integer call() throws Exception {
        AnalyzerConfig cfg = config == null ? AnalyzerConfig.defaults() : ConfigFile.load(config);
        PolicyConfig policy = mudDevices.isEmpty() ? cfg.policy() : MudSetup.merge(cfg.policy(), List.of(), mudDevices);
        ContainInput input = ContainInput.read(in);
        Map<String, MudProfile> mudByIp = mudByIp(policy, input);
        ContainmentPlan plan = ContainmentPlan.of(input, mudByIp, ongoingSeconds);
        for (String a : concat(portal, dns)) {
            if (IpAddr.parse(a) == null) {
                throw new IOException("not an IP address: " + a);
            }
        }
        Path dir = out == null ? in : out;
        Files.createDirectories(dir);
        String nft = NftRuleset.render(plan, new NftRuleset.Options(portal, dns, cfg.localNets().prefixes(),
                policy.controllers(), policy.myControllers(), limitPps), in.toString());
        Path nftFile = dir.resolve("bulwark.nft");
        Files.writeString(nftFile, nft, StandardCharsets.UTF_8);
        Path bgpFile = dir.resolve("exabgp.conf");
        Files.writeString(bgpFile, ExaBgpConfig.render(plan, new ExaBgpConfig.Options(neighbor, local, localAs, peerAs, nextHop),
                in.toString()), StandardCharsets.UTF_8);
        System.err.printf(Locale.ROOT, "contain: %d quarantined, %d limited, %d MUD-enforced devices; %d FlowSpec and %d RTBH routes%n",
                plan.quarantine().size(), plan.limit().size(), plan.mudAcls().size(), plan.flowRoutes().size(),
                plan.blackholes().size());
        if (input.skipped() > 0) {
            System.err.printf(Locale.ROOT, "contain: %d lines of incidents.ndjson were not incident records and were skipped%n",
                    input.skipped());
        }
        String checked = nft(List.of("-c", "-f", nftFile.toString()));
        System.err.println("output: " + nftFile + (checked == null ? " (nft -c: accepted)" : " (" + checked + ")") + ", " + bgpFile);
        if (apply) {
            if (checked != null) {
                System.err.println("bulwark contain: not applied: " + checked);
                return 1;
            }
            String applied = nft(List.of("-f", nftFile.toString()));
            if (applied != null) {
                System.err.println("bulwark contain: nft -f " + nftFile + " failed: " + applied);
                return 1;
            }
            System.err.println("applied: table inet bulwark");
        }
        return 0;
    }

    /** Profiles of devices in the input (by address, or by MAC through devices.ndjson); assignments win. */
    private static Map<String, MudProfile> mudByIp(PolicyConfig policy, ContainInput input) {
        Map<String, MudProfile> m = new TreeMap<>();
        policy.byIp().forEach((ip, p) -> m.put(ip.toString(), p));
        input.macByIp().forEach((ip, mac) -> {
            String hex = mac.replace(":", "");
            if (hex.length() == 12 && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                MudProfile p = policy.byMac().get(Long.parseLong(hex, 16));
                if (p != null) {
                    m.putIfAbsent(ip, p);
                }
            }
        });
        return m;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }

    /** Runs nft; null when it succeeded, else its first error line (or why it could not run). */
    static String nft(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add("nft");
        cmd.addAll(args);
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "nft timed out";
            }
            return p.exitValue() == 0 ? null : "nft " + String.join(" ", args) + ": " + text.strip().lines().findFirst().orElse("exit " + p.exitValue());
        } catch (IOException e) {
            return "nft not found (Debian package nftables): not checked";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
