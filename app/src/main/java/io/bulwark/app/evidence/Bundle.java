package io.bulwark.app.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.app.Sha256;
import io.bulwark.app.Version;
import io.bulwark.app.output.Json;
import io.bulwark.evidence.EvidenceLog;
import io.bulwark.evidence.Merkle;
import io.bulwark.evidence.SignedTreeHead;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evidence bundles: {@code bulwark evidence export} and {@code verify}. A bundle is a zip of
 *
 * <pre>
 *  excerpt.pcapng   the packets that prove the incident (when it was found in packets)
 *  incident.json    the incident record
 *  analysis.json    what was analysed: input hashes, tool, configuration hash, sensor
 *  proof.json       a signed tree head of the evidence log, and for each file above its log
 *                   entry and inclusion proof (RFC 9162 section 2.1.3)
 *  log-key.pub      the log's Ed25519 public key (X.509 SubjectPublicKeyInfo, DER)
 *  custody.json     who exported it, when, from which sensor and evidence directory
 *  timestamp.tsr    optional RFC 3161 token over the tree head, from a Time-Stamp Authority
 *  manifest.json    every file above with its SHA-256 and size
 *  manifest.sig     Ed25519 signature of manifest.json by the log key
 * </pre>
 * Verification needs nothing but the zip.
 */
public final class Bundle {
    private Bundle() {
    }

    /** The evidence directory holds no record of the incident asked for. */
    public static final class NoSuchIncident extends IOException {
        private static final long serialVersionUID = 1L;

        NoSuchIncident(String message) {
            super(message);
        }
    }

    /** The bundle file exists already and the caller did not ask to replace it. */
    public static final class Exists extends IOException {
        private static final long serialVersionUID = 1L;

        Exists(String message) {
            super(message);
        }
    }

    /**
     * One check of a verification and its outcome. Both texts may quote a received bundle and are
     * printed to a terminal: control characters become '?', and each is cut to a line's worth.
     */
    public record Check(String what, boolean ok, String detail) {
        public Check {
            what = printable(what, 200);
            detail = printable(detail, 1000);
        }

        private static String printable(String text, int max) {
            String s = String.valueOf(text);
            StringBuilder b = new StringBuilder(Math.min(s.length(), max));
            for (int i = 0; i < s.length() && b.length() < max; i++) {
                char c = s.charAt(i);
                b.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? '?' : c);
            }
            return s.length() > max ? b.append("...").toString() : b.toString();
        }
    }

    /**
     * The outcome of {@link #verify}.
     *
     * @param keySha256 the fingerprint of the bundle's log key, or null when it has none
     * @param pin       the key the examiner pinned, or null
     * @param files     the entries exactly as read and checked, in archive order (empty when unreadable)
     */
    public record Verdict(List<Check> checks, String keySha256, KeyPin pin, Map<String, byte[]> files) {
        public Verdict {
            checks = List.copyOf(checks);
            files = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(files));
        }

        public boolean ok() {
            return !checks.isEmpty() && checks.stream().allMatch(Check::ok);
        }

        /** The verdict line: whether it verified and, when it did, whether the key was pinned. */
        public String line(Path zip) {
            if (!ok()) {
                List<String> failed = checks.stream().filter(c -> !c.ok()).map(Check::what).toList();
                return "NOT VERIFIED: " + zip + " fails " + (failed.size() == 1 ? "1 check" : failed.size() + " checks")
                        + " marked FAIL above (" + String.join(", ", failed) + ").";
            }
            if (pin != null) {
                return "VERIFIED: " + zip + " is intact, its contents are in the signed evidence log, and it is signed by "
                        + "the pinned log key (SHA-256 " + keySha256 + ").";
            }
            return "VERIFIED, KEY NOT PINNED: " + zip + " is intact and consistent, signed by the log key with SHA-256 "
                    + keySha256 + ". Anyone can make a consistent bundle under a key of their own: compare this "
                    + "fingerprint with the one the operator published, or pass --key.";
        }
    }

    /** Index of the newest log entry of this kind and name, or null. */
    static Long latest(EvidenceLog log, String kind, String name) throws IOException {
        for (long i = log.size() - 1; i >= 0; i--) {
            EvidenceLog.Entry e = log.entry(i);
            if (e.kind().equals(kind) && e.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /**
     * Writes the bundle for {@code incidentId} from the evidence directory {@code dir}. Its zip
     * entries are dated with the export time, the {@code exported_at} of {@code custody.json}.
     *
     * @param tsa     RFC 3161 Time-Stamp Authority to timestamp the tree head, or null
     * @param replace whether an existing {@code zip} may be replaced; if not, it is refused with
     *                {@link Exists} before the log is touched
     */
    public static void export(Path dir, String incidentId, Path zip, String examiner, URI tsa, Clock clock,
                              boolean replace) throws IOException {
        if (!replace && Files.exists(zip, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new Exists(zip + ": exists already; not replaced (--force replaces it)");
        }
        Instant now = clock.instant();
        Map<String, byte[]> files = new LinkedHashMap<>();
        ArrayNode leaves = Json.MAPPER.createArrayNode();
        String configHash = "unknown";
        try (EvidenceLog log = EvidenceLog.open(dir.resolve("log"), clock)) {
            Long incident = latest(log, "incident", incidentId + ".json");
            if (incident == null) {
                throw new NoSuchIncident(dir + ": no incident " + incidentId + " in this evidence directory");
            }
            Long excerpt = latest(log, "excerpt", incidentId + ".pcapng");
            Long analysis = null;
            for (long i = log.size() - 1; i >= 0 && analysis == null; i--) {
                EvidenceLog.Entry e = log.entry(i);
                if (e.kind().equals("analysis")) {
                    JsonNode a = Json.MAPPER.readTree(read(dir.resolve("analyses").resolve(e.name()), e));
                    for (JsonNode id : a.path("incidents")) {
                        if (id.asText().equals(incidentId)) {
                            analysis = i;
                            configHash = a.path("config_sha256").asText();
                        }
                    }
                }
            }
            List<long[]> wanted = new ArrayList<>();
            Map<Long, String> fileOf = new LinkedHashMap<>();
            if (excerpt != null) {
                fileOf.put(excerpt, "excerpt.pcapng");
            }
            fileOf.put(incident, "incident.json");
            if (analysis != null) {
                fileOf.put(analysis, "analysis.json");
            }
            long needSize = fileOf.keySet().stream().mapToLong(Long::longValue).max().orElse(0) + 1;
            SignedTreeHead sth = null;
            List<SignedTreeHead> heads = log.treeHeads();
            if (!heads.isEmpty() && heads.get(heads.size() - 1).treeSize() >= needSize) {
                sth = heads.get(heads.size() - 1);
            }
            if (sth == null) {
                sth = log.signTreeHead();
            }
            for (Map.Entry<Long, String> f : fileOf.entrySet()) {
                EvidenceLog.Entry e = log.entry(f.getKey());
                String folder = switch (e.kind()) {
                    case "excerpt" -> "excerpts";
                    case "incident" -> "incidents";
                    default -> "analyses";
                };
                files.put(f.getValue(), read(dir.resolve(folder).resolve(e.name()), e));
                ObjectNode leaf = leaves.addObject();
                leaf.put("file", f.getValue());
                leaf.put("kind", e.kind());
                leaf.put("name", e.name());
                leaf.put("index", e.index());
                leaf.put("sha256", EvidenceArchive.hex(e.contentSha256()));
                ArrayNode path = leaf.putArray("inclusion_proof");
                for (byte[] h : log.inclusionProof(e.index(), sth.treeSize())) {
                    path.add(EvidenceArchive.hex(h));
                }
            }
            ObjectNode proof = Json.MAPPER.createObjectNode();
            proof.set("tree_head", Json.MAPPER.readTree(sth.toJson()));
            proof.set("leaves", leaves);
            files.put("proof.json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(proof));
            files.put("log-key.pub", log.publicKeyDer());
            if (tsa != null) {
                files.put("timestamp.tsr", Rfc3161.request(tsa, Sha256.of(sth.signedBytes()),
                        Duration.ofSeconds(30)));
            }
            ObjectNode custody = Json.MAPPER.createObjectNode();
            custody.put("incident", incidentId);
            custody.put("exported_by", examiner);
            custody.put("exported_at", now.toString());
            custody.put("sensor", EvidenceArchive.hostName());
            custody.put("evidence_directory", dir.toAbsolutePath().toString());
            custody.put("tool", Version.TOOL);
            custody.put("config_sha256", configHash);
            custody.put("log_public_key_sha256", Sha256.hexOf(log.publicKeyDer()));
            files.put("custody.json", Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(custody));

            ObjectNode manifest = Json.MAPPER.createObjectNode();
            ArrayNode list = manifest.putArray("files");
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ObjectNode m = list.addObject();
                m.put("name", f.getKey());
                m.put("bytes", f.getValue().length);
                m.put("sha256", Sha256.hexOf(f.getValue()));
            }
            byte[] manifestBytes = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest);
            files.put("manifest.json", manifestBytes);
            files.put("manifest.sig", log.sign(manifestBytes));
            // Written next to its destination first: the log records only a bundle that exists.
            Path parent = zip.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path tmp = Files.createTempFile(parent, ".bundle", ".zip");
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp))) {
                    BundleZip.write(out, files, now);
                }
                if (!replace && Files.exists(zip, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new Exists(zip + ": appeared while the bundle was written; not replaced (--force replaces it)");
                }
                // The export itself is an evidence item: the log records that this bundle was made.
                log.append("bundle", incidentId + "@" + now, Sha256.of(manifestBytes));
                log.signTreeHead();
                if (replace) {
                    Files.move(tmp, zip, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.move(tmp, zip);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static byte[] read(Path file, EvidenceLog.Entry e) throws IOException {
        if (!Files.exists(file)) {
            throw new IOException(file + ": missing from the evidence directory (log entry " + e.index() + ")");
        }
        byte[] b = Files.readAllBytes(file);
        if (!java.security.MessageDigest.isEqual(Sha256.of(b), e.contentSha256())) {
            throw new IOException(file + ": changed since it was logged (entry " + e.index() + ")");
        }
        return b;
    }

    /** Checks a bundle offline without a pinned key: {@link #verify(Path, KeyPin)} with no pin. */
    public static Verdict verify(Path zip) {
        return verify(zip, null);
    }

    /**
     * Checks a bundle offline. Never throws: every problem is a failed check naming the file it
     * concerns. The zip is read through its central directory by {@link BundleZip}, which refuses
     * any other form than the one export writes; every later check runs on the bytes the verdict
     * holds, which {@link #extract} writes out.
     *
     * @param pin the log key the bundle must be signed with, or null: the verdict then says the key was not pinned
     */
    public static Verdict verify(Path zip, KeyPin pin) {
        Map<String, byte[]> files;
        try {
            files = BundleZip.read(zip);
        } catch (BundleZip.Malformed e) {
            return unreadable(e.getMessage(), pin);
        } catch (IOException e) {
            return unreadable("cannot read it: " + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e.getMessage()), pin);
        }
        return verify(files, pin);
    }

    /** {@link #verify(Path, KeyPin)} of a bundle already in memory. */
    static Verdict verify(byte[] zip, KeyPin pin) {
        try {
            return verify(BundleZip.read(zip), pin);
        } catch (IOException e) {
            return unreadable(e.getMessage(), pin);
        }
    }

    private static Verdict unreadable(String why, KeyPin pin) {
        return new Verdict(List.of(new Check("bundle readable", false, why)), null, pin, Map.of());
    }

    private static Verdict verify(Map<String, byte[]> files, KeyPin pin) {
        List<Check> checks = new ArrayList<>();
        checks.add(new Check("bundle readable", true, files.size()
                + " files, read through the central directory, and no other bytes in the archive"));
        for (String required : List.of("manifest.json", "manifest.sig", "log-key.pub", "proof.json", "incident.json",
                "custody.json")) {
            if (!files.containsKey(required)) {
                checks.add(new Check(required + " present", false, "missing"));
            }
        }
        if (!checks.stream().allMatch(Check::ok)) {
            return new Verdict(checks, null, pin, files);
        }
        String keySha256 = Sha256.hexOf(files.get("log-key.pub"));
        PublicKey key;
        try {
            key = EvidenceLog.publicKey(files.get("log-key.pub")).orElse(null);
        } catch (RuntimeException e) {
            key = null;
        }
        if (key == null) {
            checks.add(new Check("log public key", false, "log-key.pub is not an Ed25519 public key"));
            return new Verdict(checks, keySha256, pin, files);
        }
        if (pin == null) {
            checks.add(new Check("log public key", true, "Ed25519, SHA-256 " + keySha256
                    + ", NOT PINNED: compare it with the operator's published fingerprint, or pass --key"));
        } else if (pin.matches(files.get("log-key.pub"))) {
            checks.add(new Check("log public key", true, "Ed25519, SHA-256 " + keySha256 + ", the pinned key"));
        } else {
            checks.add(new Check("log public key", false, "Ed25519, SHA-256 " + keySha256 + " is not the pinned key "
                    + pin.hex() + " (--key " + pin.source() + "): the bundle is signed by another key"));
        }
        boolean signed = verifySignature(key, files.get("manifest.json"), files.get("manifest.sig"));
        checks.add(new Check("manifest signature", signed, signed ? "manifest.sig over manifest.json by the log key"
                : "manifest.sig is not the log key's signature of manifest.json"));
        JsonNode manifest = json(files, "manifest.json", checks);
        if (manifest != null) {
            List<String> listed = new ArrayList<>();
            for (JsonNode f : manifest.path("files")) {
                String name = f.path("name").asText();
                listed.add(name);
                byte[] b = files.get(name);
                if (b == null) {
                    checks.add(new Check(name, false, "listed in the manifest but missing from the bundle"));
                } else {
                    String h = Sha256.hexOf(b);
                    boolean ok = h.equals(f.path("sha256").asText()) && b.length == f.path("bytes").asLong(-1);
                    checks.add(new Check(name, ok, ok ? "SHA-256 " + h : "SHA-256 " + h + " differs from the manifest's "
                            + f.path("sha256").asText() + " (" + b.length + " bytes, manifest says " + f.path("bytes").asLong() + ")"));
                }
            }
            for (String name : files.keySet()) {
                if (!listed.contains(name) && !name.equals("manifest.json") && !name.equals("manifest.sig")) {
                    checks.add(new Check(name, false, "in the bundle but not in the manifest"));
                }
            }
        }
        SignedTreeHead sth = null;
        Map<String, String> included = new LinkedHashMap<>();
        JsonNode proof = json(files, "proof.json", checks);
        if (proof != null) {
            try {
                sth = SignedTreeHead.fromJson(proof.path("tree_head").toString())
                        .orElseThrow(() -> new IOException("its tree head is malformed"));
                boolean headSigned = sth.verify(key);
                checks.add(new Check("tree head signature", headSigned, "log size " + sth.treeSize() + ", root "
                        + EvidenceArchive.hex(sth.rootHash()) + ", signed " + Instant.ofEpochMilli(sth.timestampMillis())
                        + (headSigned ? "" : ": the signature in proof.json is not the log key's")));
                for (JsonNode leaf : proof.path("leaves")) {
                    inclusion(leaf, files, sth, checks, included);
                }
            } catch (RuntimeException | IOException e) {
                sth = null;
                checks.add(new Check("proof.json", false, "unreadable: " + firstLine(e.getMessage())));
            }
        }
        JsonNode incident = json(files, "incident.json", checks);
        JsonNode custody = json(files, "custody.json", checks);
        if (incident != null && custody != null) {
            String id = incident.path("id").asText();
            boolean same = id.equals(custody.path("incident").asText());
            byte[] excerpt = files.get("excerpt.pcapng");
            String comment = excerpt == null ? null : sectionComment(excerpt);
            if (excerpt != null) {
                same &= comment != null && comment.contains(id);
            }
            // The incident record (and the excerpt, when there is one) must be the log's entries
            // for this very incident, not merely some entries of the log.
            boolean proven = (id + ".json").equals(included.get("incident.json"))
                    && (excerpt == null || (id + ".pcapng").equals(included.get("excerpt.pcapng")));
            checks.add(new Check("records of this incident in the log", proven, proven
                    ? "incident.json is log entry " + id + ".json" + (excerpt == null ? "" : ", excerpt.pcapng is " + id + ".pcapng")
                    : "proof.json does not prove incident.json" + (excerpt == null ? "" : " and excerpt.pcapng")
                    + " as this incident's log entries"));
            checks.add(new Check("one incident throughout", same, "incident " + id + ", custody.json names "
                    + custody.path("incident").asText()
                    + (excerpt == null ? " (found from flow records: no packet excerpt)" : ", excerpt header: " + comment)));
        }
        if (files.containsKey("timestamp.tsr") && sth != null) {
            Rfc3161.Verdict t = Rfc3161.verify(files.get("timestamp.tsr"), Sha256.of(sth.signedBytes()));
            checks.add(new Check("RFC 3161 timestamp", t.ok(), t.ok()
                    ? "the tree head existed at " + t.genTime() + ", per " + t.tsaSubject() + " (certificate SHA-256 "
                    + t.certificateSha256() + ")" : "timestamp.tsr: " + t.problem()));
        }
        return new Verdict(checks, keySha256, pin, files);
    }

    private static void inclusion(JsonNode leaf, Map<String, byte[]> files, SignedTreeHead sth, List<Check> checks,
                                  Map<String, String> included) {
        String file = leaf.path("file").asText();
        byte[] b = files.get(file);
        if (b == null) {
            checks.add(new Check("inclusion of " + file, false, "proof.json proves a file the bundle does not hold"));
            return;
        }
        byte[] sha = Sha256.of(b);
        List<byte[]> path = new ArrayList<>();
        for (JsonNode h : leaf.path("inclusion_proof")) {
            path.add(HexFormat.of().parseHex(h.asText()));
        }
        byte[] leafHash = Merkle.leafHash(EvidenceLog.leafInput(leaf.path("kind").asText(), leaf.path("name").asText(), sha));
        boolean in = Merkle.verifyInclusion(leafHash, leaf.path("index").asLong(), sth.treeSize(), path, sth.rootHash());
        if (in) {
            included.put(file, leaf.path("name").asText());
        }
        checks.add(new Check("inclusion of " + file, in, in
                ? "entry " + leaf.path("index").asLong() + " of the signed log"
                : "its SHA-256 " + EvidenceArchive.hex(sha) + " is not the one the log holds at entry " + leaf.path("index").asLong()));
    }

    /** A bundle file as a JSON object, or null after a failed check naming that file. */
    private static JsonNode json(Map<String, byte[]> files, String name, List<Check> checks) {
        try {
            JsonNode n = Json.MAPPER.readTree(files.get(name));
            if (n != null && n.isObject()) {
                return n;
            }
            checks.add(new Check(name, false, "not a JSON object"));
        } catch (IOException e) {
            checks.add(new Check(name, false, "not JSON: " + firstLine(e.getMessage())));
        }
        return null;
    }

    private static String firstLine(String s) {
        return String.valueOf(s).lines().findFirst().orElse("");
    }

    /**
     * Writes a verified bundle's files into {@code dir}, a new or empty directory: exactly the
     * bytes {@link #verify} checked, not read again from the zip. Files are created, never replaced.
     *
     * @return the files written, in archive order
     */
    public static List<Path> extract(Verdict v, Path dir) throws IOException {
        if (!v.ok()) {
            throw new IOException("the bundle is not verified: nothing extracted");
        }
        requireEmptyDirectory(dir);
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : v.files().entrySet()) {
            Path p = dir.resolve(f.getKey());
            if (!dir.equals(p.getParent())) {
                throw new IOException(f.getKey() + ": not a plain file name; nothing more extracted");
            }
            Files.write(p, f.getValue(), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            written.add(p);
        }
        return written;
    }

    /** Refuses a path that exists and is not an empty directory, so that extraction mixes nothing in. */
    public static void requireEmptyDirectory(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + ": not a directory; --extract writes into a new or empty directory");
        }
        try (var s = Files.list(dir)) {
            if (s.findAny().isPresent()) {
                throw new IOException(dir + ": not empty; --extract writes into a new or empty directory");
            }
        }
    }

    private static boolean verifySignature(PublicKey key, byte[] data, byte[] sig) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The shb_comment of a pcapng file's first section, or null. */
    static String sectionComment(byte[] pcapng) {
        if (pcapng.length < 28) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(pcapng).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x0A0D0D0A) {
            return null;
        }
        if (b.getInt(8) != 0x1A2B3C4D) {
            b.order(ByteOrder.BIG_ENDIAN);
        }
        long total = b.getInt(4) & 0xffff_ffffL;
        int at = 24;
        while (at + 4 <= Math.min(total - 4, pcapng.length)) {
            int code = b.getShort(at) & 0xffff;
            int len = b.getShort(at + 2) & 0xffff;
            if (code == 0 || at + 4 + len > pcapng.length) {
                return null;
            }
            if (code == 1) {
                return new String(pcapng, at + 4, len, StandardCharsets.UTF_8);
            }
            at += 4 + ((len + 3) & ~3);
        }
        return null;
    }
}
