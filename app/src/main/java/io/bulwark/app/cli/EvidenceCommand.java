package io.bulwark.app.cli;

import io.bulwark.app.evidence.Bundle;
import io.bulwark.app.evidence.KeyPin;
import io.bulwark.evidence.EvidenceLog;
import io.bulwark.evidence.Merkle;
import io.bulwark.evidence.SignedTreeHead;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bulwark evidence export/verify/log}: tamper-evident evidence bundles (docs/evidence.md). */
@Command(name = "evidence", mixinStandardHelpOptions = true,
        description = "Exports and verifies tamper-evident evidence bundles; checks the evidence log.",
        subcommands = {EvidenceCommand.Export.class, EvidenceCommand.Verify.class, EvidenceCommand.Log.class})
final class EvidenceCommand implements Runnable {
    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Writes a self-contained bundle for one incident: packet excerpt, incident record, "
                    + "inclusion proofs to a signed tree head, public key, chain of custody.")
    static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "INCIDENT", description = "incident id (inc-...)")
        String incident;

        @Option(names = "--evidence", paramLabel = "DIR", required = true,
                description = "the evidence directory given to analyze --evidence")
        Path dir;

        @Option(names = "--out", paramLabel = "FILE.zip", required = true)
        Path out;

        @Option(names = "--examiner", paramLabel = "NAME", description = "who exports (default: the user name)")
        String examiner = System.getProperty("user.name");

        @Option(names = "--tsa", paramLabel = "URL", description = "RFC 3161 Time-Stamp Authority for the tree head")
        URI tsa;

        @Option(names = "--force", description = "replace FILE.zip if it exists (otherwise an existing file is refused)")
        boolean force;

        @Override
        public Integer call() throws Exception {
            if (!Files.isDirectory(dir.resolve("log"))) {
                System.err.println("bulwark evidence: " + dir + ": not an evidence directory (no log/)");
                return 2;
            }
            try {
                Bundle.export(dir, incident, out, examiner, tsa, Clock.systemUTC(), force);
            } catch (Bundle.Exists e) {
                System.err.println("bulwark evidence: " + e.getMessage());
                return 2;
            }
            System.out.println("bulwark evidence: wrote " + out + " for " + incident);
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Checks a bundle offline: that it is a zip in the one form export writes (read through its "
                    + "central directory, nothing else in the file), every hash, the inclusion proofs, the tree-head and "
                    + "manifest signatures, the signing key if pinned, and the timestamp if present. Exits 1 on any failure.")
    static final class Verify implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE.zip")
        Path zip;

        @Option(names = "--key", paramLabel = "FINGERPRINT|FILE",
                description = "the log key the bundle must be signed with: its SHA-256 (64 hex digits, as "
                        + "sha256sum log-key.pub prints it) or the key file (log-key.pub, DER or PEM)")
        String key;

        @Option(names = "--extract", paramLabel = "DIR",
                description = "when verified, writes the bundle's files into DIR (new or empty): exactly the bytes checked")
        Path extract;

        @Override
        public Integer call() {
            KeyPin pin = null;
            try {
                if (key != null) {
                    pin = KeyPin.parse(key);
                }
                if (extract != null) {
                    Bundle.requireEmptyDirectory(extract);
                }
            } catch (IllegalArgumentException | IOException e) {
                System.err.println("bulwark evidence: " + (e instanceof IllegalArgumentException ? "--key " : "")
                        + Main.oneLine(e));
                return 2;
            }
            Bundle.Verdict v = Bundle.verify(zip, pin);
            PrintStream o = System.out;
            for (Bundle.Check c : v.checks()) {
                o.println((c.ok() ? "  ok    " : "  FAIL  ") + c.what() + ": " + c.detail());
            }
            o.println(v.line(zip));
            if (extract != null) {
                if (!v.ok()) {
                    o.println("nothing extracted to " + extract + ": the bundle is not verified");
                    return 1;
                }
                try {
                    List<Path> written = Bundle.extract(v, extract);
                    o.println("extracted " + written.size() + " files to " + extract + ", exactly the bytes verified");
                } catch (IOException e) {
                    System.err.println("bulwark evidence: --extract " + Main.oneLine(e));
                    return 2;
                }
            }
            return v.ok() ? 0 : 1;
        }
    }

    @Command(name = "log", mixinStandardHelpOptions = true,
            description = "Lists the signed tree heads of an evidence log and proves each one extends the one before "
                    + "(consistency proofs): the log was only ever appended to.")
    static final class Log implements Callable<Integer> {
        @Option(names = "--evidence", paramLabel = "DIR", required = true)
        Path dir;

        @Override
        public Integer call() throws Exception {
            boolean ok = true;
            try (EvidenceLog log = EvidenceLog.open(dir.resolve("log"), Clock.systemUTC())) {
                List<SignedTreeHead> heads = log.treeHeads();
                System.out.printf("evidence log %s: %d entries, %d signed tree heads%n", dir, log.size(), heads.size());
                SignedTreeHead prev = null;
                for (SignedTreeHead h : heads) {
                    boolean signed = h.verify(log.publicKey());
                    String extends_ = "";
                    if (prev != null && prev.treeSize() > 0 && prev.treeSize() <= h.treeSize()) {
                        boolean c = Merkle.verifyConsistency(prev.treeSize(), h.treeSize(), prev.rootHash(), h.rootHash(),
                                log.consistencyProof(prev.treeSize(), h.treeSize()));
                        extends_ = c ? ", extends the previous head" : ", DOES NOT extend the previous head";
                        ok &= c;
                    } else if (prev != null && prev.treeSize() > h.treeSize()) {
                        extends_ = ", SMALLER than the previous head";
                        ok = false;
                    }
                    ok &= signed;
                    System.out.printf("  size %d  root %s  %s  %s%s%n", h.treeSize(), HexFormat.of().formatHex(h.rootHash()),
                            Instant.ofEpochMilli(h.timestampMillis()), signed ? "signature ok" : "SIGNATURE BAD", extends_);
                    prev = h;
                }
            }
            return ok ? 0 : 1;
        }
    }
}
