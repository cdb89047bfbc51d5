package io.bulwark.evidence;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * An append-only, tamper-evident log of evidence items (captures, findings, exports), kept as
 * an RFC 9162 Merkle tree and signed with the log's own Ed25519 key, so that a court can be
 * shown an item was logged ({@link #inclusionProof}) and that the log was only ever appended
 * to ({@link #consistencyProof} between two {@link SignedTreeHead}s).
 *
 * <p>Files in the directory, each written append-only and forced to disk before a call returns:
 * <ul>
 *   <li>{@code leaves}: the 32-byte leaf hashes, back to back, in index order;</li>
 *   <li>{@code entries.ndjson}: one line per leaf,
 *       {@code {"index":0,"kind":"pcap","name":"capture-1.pcap","sha256":"<64 hex>"}};</li>
 *   <li>{@code tree-heads.ndjson}: one {@link SignedTreeHead#toJson()} line per signature;</li>
 *   <li>{@code log-key.pk8}, {@code log-key.pub}: the key pair (see {@link #open});</li>
 *   <li>{@code log.lock}: held with a {@link FileLock} while the log is open.</li>
 * </ul>
 * On open every entry is re-hashed against {@code leaves} and every tree head's signature and
 * root are checked; any disagreement is refused with a one-line {@link IOException} naming
 * the file. Nothing is repaired automatically: an interrupted append shows up as a
 * disagreement for a person to look at.
 *
 * <p>Bounds: at most {@link #MAX_ENTRIES} entries and {@link #MAX_TREE_HEADS} tree heads.
 * Memory is 32 bytes (leaf hash) plus 8 (line offset) per entry, and about 200 bytes per
 * tree head; entry lines are read back from disk on demand. Proofs recompute subtree hashes
 * from the in-memory leaf hashes: O(n) SHA-256 per proof and no file reads.
 *
 * <p>Thread-safe (every method is synchronized); a second process, or a second open in this
 * one, is refused by the file lock.
 */
public final class EvidenceLog implements AutoCloseable {
    public static final int MAX_ENTRIES = 1 << 20;
    public static final int MAX_TREE_HEADS = 100_000;
    /** Longest entry name in UTF-8 bytes: file names and ids, not free text. */
    public static final int MAX_NAME_BYTES = 1024;
    /** Entry kinds are short lower_snake words such as {@code pcap} or {@code finding}. */
    public static final Pattern KIND = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    static final String LEAVES = "leaves";
    static final String ENTRIES = "entries.ndjson";
    static final String TREE_HEADS = "tree-heads.ndjson";
    static final String LOCK = "log.lock";

    /** The log is open in another process or elsewhere in this one; trying again later may work. */
    public static final class Busy extends IOException {
        private static final long serialVersionUID = 1L;

        Busy(String message) {
            super(message);
        }
    }
    private static final HexFormat HEX = HexFormat.of();

    /** One logged item; the arrays are copied in and out. */
    public record Entry(long index, String kind, String name, byte[] contentSha256, byte[] leafHash) {
        public Entry {
            contentSha256 = contentSha256.clone();
            leafHash = leafHash.clone();
        }

        @Override
        public byte[] contentSha256() {
            return contentSha256.clone();
        }

        @Override
        public byte[] leafHash() {
            return leafHash.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.index == index && e.kind.equals(kind) && e.name.equals(name)
                    && Arrays.equals(e.contentSha256, contentSha256) && Arrays.equals(e.leafHash, leafHash);
        }

        @Override
        public int hashCode() {
            return Long.hashCode(index) * 31 + Arrays.hashCode(leafHash);
        }

        @Override
        public String toString() {
            return "Entry[" + index + " " + kind + " " + name + " sha256=" + HEX.formatHex(contentSha256) + "]";
        }
    }

    /** Directories of the logs open in this JVM, by real path. */
    private static final Set<Path> OPEN_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path dir;
    private final Path realDir;
    private final Clock clock;
    private final LogKeys keys;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final FileChannel leavesOut;
    private final FileChannel entriesOut;
    private final FileChannel treeHeadsOut;
    private final List<byte[]> leafHashes = new ArrayList<>();
    private final List<byte[]> leafView = Collections.unmodifiableList(leafHashes);
    private long[] lineOffsets = new long[64];
    private long entriesLength;
    private final CompactRange range = new CompactRange();
    private final List<SignedTreeHead> treeHeads = new ArrayList<>();
    /** Set when a write failed half-way: memory and disk may disagree until a reopen checks. */
    private boolean broken;

    private EvidenceLog(Path dir, Path realDir, Clock clock, LogKeys keys, FileChannel lockChannel, FileLock lock)
            throws IOException {
        this.dir = dir;
        this.realDir = realDir;
        this.clock = clock;
        this.keys = keys;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.leavesOut = append(dir.resolve(LEAVES));
        this.entriesOut = append(dir.resolve(ENTRIES));
        this.treeHeadsOut = append(dir.resolve(TREE_HEADS));
    }

    /**
     * Opens the log in {@code dir}, creating the directory, the files and the Ed25519 key pair
     * ({@code log-key.pk8} as PKCS#8, mode 600 on POSIX; {@code log-key.pub} as X.509
     * SubjectPublicKeyInfo DER) on first use.
     *
     * @param clock gives tree-head timestamps; nothing else reads the time
     * @throws IOException with a one-line message naming the file when the log is locked by
     *                     another opener, a file is corrupt or the files disagree
     */
    public static EvidenceLog open(Path dir, Clock clock) throws IOException {
        Objects.requireNonNull(clock, "clock");
        Files.createDirectories(dir);
        Path real = dir.toRealPath();
        // Checked before opening a channel: on POSIX, closing any channel to log.lock drops
        // every lock this JVM holds on it, so a refused second open must never touch the file.
        if (!OPEN_IN_THIS_JVM.add(real)) {
            throw new Busy(dir.resolve(LOCK) + ": the evidence log is already open elsewhere");
        }
        FileChannel lockChannel;
        FileLock lock;
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            } catch (IOException e) {
                lockChannel.close();
                throw new IOException(dir.resolve(LOCK) + ": cannot be locked (" + e.getMessage() + ")");
            }
            if (lock == null) {
                lockChannel.close();
                throw new Busy(dir.resolve(LOCK) + ": the evidence log is already open elsewhere");
            }
        } catch (IOException | RuntimeException e) {
            OPEN_IN_THIS_JVM.remove(real);
            throw e;
        }
        EvidenceLog log = null;
        try {
            boolean fresh = isEmpty(dir.resolve(LEAVES)) && isEmpty(dir.resolve(ENTRIES))
                    && isEmpty(dir.resolve(TREE_HEADS));
            LogKeys keys = LogKeys.loadOrCreate(dir, fresh);
            log = new EvidenceLog(dir, real, clock, keys, lockChannel, lock);
            log.load();
            return log;
        } catch (IOException | RuntimeException e) {
            if (log != null) {
                log.close();
            } else {
                lockChannel.close();
                OPEN_IN_THIS_JVM.remove(real);
            }
            throw e;
        }
    }

    /**
     * The bytes whose {@link Merkle#leafHash} is the entry's leaf, so anyone can recompute it:
     * <pre>
     *  0        1              3            3+k            5+k          5+k+n           37+k+n
     *  +--------+--------------+------------+--------------+------------+---------------+
     *  | format | kind length  | kind       | name length  | name       | content       |
     *  | 0 (v1) | k, uint16 BE | UTF-8      | n, uint16 BE | UTF-8      | SHA-256, 32 B |
     *  +--------+--------------+------------+--------------+------------+---------------+
     * </pre>
     * The length prefixes make the encoding injective: no two (kind, name, hash) triples share it.
     *
     * @throws IllegalArgumentException unless {@code kind} matches {@link #KIND}, {@code name}
     *                                  is 1 to {@link #MAX_NAME_BYTES} UTF-8 bytes of valid
     *                                  Unicode without control characters, and
     *                                  {@code contentSha256} is 32 bytes
     */
    public static byte[] leafInput(String kind, String name, byte[] contentSha256) {
        return EntryCodec.leafInput(kind, name, contentSha256);
    }

    /**
     * Appends an entry and returns its leaf index, after the entry line and the leaf hash are
     * forced to disk.
     *
     * @throws IllegalArgumentException for arguments {@link #leafInput} refuses
     * @throws IOException              when the log is full ({@link #MAX_ENTRIES}), a write
     *                                  fails, or an earlier write failed (reopen to check)
     */
    public synchronized long append(String kind, String name, byte[] contentSha256) throws IOException {
        byte[] leaf = Merkle.leafHash(leafInput(kind, name, contentSha256));
        checkWritable();
        long index = leafHashes.size();
        if (index >= MAX_ENTRIES) {
            throw new IOException(dir.resolve(LEAVES) + ": full at " + MAX_ENTRIES + " entries");
        }
        byte[] line = (EntryCodec.toJson(index, kind, name, contentSha256) + "\n").getBytes(StandardCharsets.UTF_8);
        broken = true;
        // The entry line goes first: a crash in between leaves a line without its leaf, which
        // open reports, never a leaf nobody can explain.
        writeFully(entriesOut, line);
        writeFully(leavesOut, leaf);
        broken = false;
        addLoaded(leaf, entriesLength);
        entriesLength += line.length;
        return index;
    }

    public synchronized long size() {
        return leafHashes.size();
    }

    /**
     * Entry {@code index}, read back from {@code entries.ndjson} and checked against its leaf.
     *
     * @throws IllegalArgumentException unless {@code 0 <= index < size()}
     * @throws IOException              when the line cannot be read or no longer matches its leaf
     */
    public synchronized Entry entry(long index) throws IOException {
        if (index < 0 || index >= leafHashes.size()) {
            throw new IllegalArgumentException("no entry " + index + " in a log of " + leafHashes.size());
        }
        int i = (int) index;
        long start = lineOffsets[i];
        long end = i + 1 < leafHashes.size() ? lineOffsets[i + 1] : entriesLength;
        ByteBuffer buf = ByteBuffer.allocate((int) (end - start - 1));
        try (FileChannel ch = FileChannel.open(dir.resolve(ENTRIES), StandardOpenOption.READ)) {
            while (buf.hasRemaining()) {
                if (ch.read(buf, start + buf.position()) < 0) {
                    break;
                }
            }
        }
        Optional<Entry> e = buf.hasRemaining() ? Optional.empty() : EntryCodec.parse(buf.array(), index);
        if (e.isEmpty() || !Arrays.equals(e.get().leafHash, leafHashes.get(i))) {
            throw new IOException(dir.resolve(ENTRIES) + ": line " + (index + 1) + " changed since the log was opened");
        }
        return e.get();
    }

    /** Signs the current size and root at the clock's time and appends it to the history. */
    public synchronized SignedTreeHead signTreeHead() throws IOException {
        checkWritable();
        if (treeHeads.size() >= MAX_TREE_HEADS) {
            throw new IOException(dir.resolve(TREE_HEADS) + ": full at " + MAX_TREE_HEADS + " tree heads");
        }
        SignedTreeHead sth;
        try {
            sth = SignedTreeHead.sign(keys.privateKey(), range.size(), range.root(), clock.millis());
        } catch (GeneralSecurityException e) {
            throw new IOException("signing the tree head failed: " + e.getMessage());
        }
        broken = true;
        writeFully(treeHeadsOut, (sth.toJson() + "\n").getBytes(StandardCharsets.US_ASCII));
        broken = false;
        treeHeads.add(sth);
        return sth;
    }

    /** Every tree head signed so far, oldest first. */
    public synchronized List<SignedTreeHead> treeHeads() {
        return List.copyOf(treeHeads);
    }

    /** PATH(index, D[treeSize]); see {@link Merkle#inclusionProof}. */
    public synchronized List<byte[]> inclusionProof(long index, long treeSize) {
        return Merkle.inclusionProof(leafView, index, treeSize);
    }

    /** PROOF(m, D[n]); see {@link Merkle#consistencyProof}. */
    public synchronized List<byte[]> consistencyProof(long m, long n) {
        return Merkle.consistencyProof(leafView, m, n);
    }

    /**
     * Signs other evidence documents (a bundle's manifest) with the log's key, so that one
     * public key vouches for the tree heads and for what was exported from them. The bytes
     * signed are the document's exact bytes (Ed25519, RFC 8032).
     */
    public byte[] sign(byte[] document) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("Ed25519");
            s.initSign(keys.privateKey());
            s.update(document);
            return s.sign();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
        }
    }

    public PublicKey publicKey() {
        return keys.publicKey();
    }

    /** The public key as X.509 SubjectPublicKeyInfo DER, the bytes of {@code log-key.pub}. */
    public byte[] publicKeyDer() {
        return keys.publicDer();
    }

    /** An Ed25519 public key from SubjectPublicKeyInfo DER; empty for anything else. */
    public static Optional<PublicKey> publicKey(byte[] spkiDer) {
        return LogKeys.decodePublic(spkiDer);
    }

    @Override
    public synchronized void close() throws IOException {
        boolean wasOpen = lock.isValid();
        try (lockChannel; leavesOut; entriesOut; treeHeadsOut) {
            if (wasOpen) {
                lock.release();
            }
        } finally {
            if (wasOpen) {
                OPEN_IN_THIS_JVM.remove(realDir);
            }
        }
    }

    // ---- loading and checking -------------------------------------------------------------

    private void load() throws IOException {
        Path leavesFile = dir.resolve(LEAVES);
        long length = Files.size(leavesFile);
        if (length % Merkle.HASH_LENGTH != 0) {
            throw new IOException(leavesFile + ": " + length + " bytes is not a whole number of 32-byte hashes (truncated?)");
        }
        if (length / Merkle.HASH_LENGTH > MAX_ENTRIES) {
            throw new IOException(leavesFile + ": more than " + MAX_ENTRIES + " entries");
        }
        List<byte[]> stored = new ArrayList<>();
        try (InputStream in = new BufferedInputStream(Files.newInputStream(leavesFile))) {
            for (long i = 0; i < length / Merkle.HASH_LENGTH; i++) {
                stored.add(in.readNBytes(Merkle.HASH_LENGTH));
            }
        }
        loadEntries(stored);
        loadTreeHeads();
    }

    private void loadEntries(List<byte[]> stored) throws IOException {
        Path file = dir.resolve(ENTRIES);
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long offset = 0;
        long lineStart = 0;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            for (int b = in.read(); b >= 0; b = in.read()) {
                offset++;
                if (b != '\n') {
                    if (line.size() >= FlatJson.MAX_LENGTH) {
                        throw new IOException(file + ": line " + (leafHashes.size() + 1) + " is longer than "
                                + FlatJson.MAX_LENGTH + " bytes");
                    }
                    line.write(b);
                    continue;
                }
                long index = leafHashes.size();
                if (index >= stored.size()) {
                    throw new IOException(file + ": line " + (index + 1) + " has no leaf hash in " + LEAVES
                            + " (" + stored.size() + " hashes; an interrupted append?)");
                }
                Optional<Entry> e = EntryCodec.parse(line.toByteArray(), index);
                if (e.isEmpty()) {
                    throw new IOException(file + ": line " + (index + 1) + " is not a valid entry for index " + index);
                }
                if (!Arrays.equals(e.get().leafHash, stored.get((int) index))) {
                    throw new IOException(file + ": line " + (index + 1) + " does not hash to leaf " + index
                            + " in " + LEAVES);
                }
                addLoaded(stored.get((int) index), lineStart);
                line.reset();
                lineStart = offset;
            }
        }
        if (line.size() > 0) {
            throw new IOException(file + ": the last line is incomplete (an interrupted append?)");
        }
        if (leafHashes.size() != stored.size()) {
            throw new IOException(dir.resolve(LEAVES) + ": holds " + stored.size() + " hashes but " + ENTRIES
                    + " has " + leafHashes.size() + " lines");
        }
        entriesLength = offset;
    }

    private void loadTreeHeads() throws IOException {
        Path file = dir.resolve(TREE_HEADS);
        // A tree-head line is about 200 bytes; anything far larger is not ours.
        if (Files.size(file) > MAX_TREE_HEADS * 512L) {
            throw new IOException(file + ": larger than " + MAX_TREE_HEADS + " tree heads can be");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IOException(file + ": not ASCII text (" + e.getMessage() + ")");
        }
        List<SignedTreeHead> heads = new ArrayList<>();
        long lineNo = 0;
        for (String line : lines) {
            lineNo++;
            Optional<SignedTreeHead> sth = SignedTreeHead.fromJson(line);
            if (sth.isEmpty()) {
                throw new IOException(file + ": line " + lineNo + " is not a signed tree head");
            }
            if (!sth.get().verify(keys.publicKey())) {
                throw new IOException(file + ": line " + lineNo + " is not signed by " + LogKeys.PUBLIC_FILE);
            }
            long previous = heads.isEmpty() ? 0 : heads.get(heads.size() - 1).treeSize();
            if (sth.get().treeSize() < previous || sth.get().treeSize() > leafHashes.size()) {
                throw new IOException(file + ": line " + lineNo + " has tree size " + sth.get().treeSize()
                        + ", outside " + previous + ".." + leafHashes.size());
            }
            heads.add(sth.get());
            if (heads.size() > MAX_TREE_HEADS) {
                throw new IOException(file + ": more than " + MAX_TREE_HEADS + " tree heads");
            }
        }
        // Heads are in size order, so one pass over the leaves gives every head's root.
        CompactRange replay = new CompactRange();
        lineNo = 0;
        for (SignedTreeHead sth : heads) {
            lineNo++;
            while (replay.size() < sth.treeSize()) {
                replay.append(leafHashes.get((int) replay.size()));
            }
            if (!Arrays.equals(replay.root(), sth.rootHash())) {
                throw new IOException(file + ": line " + lineNo + " signs a root the leaves do not give"
                        + " (leaves or entries rewritten?)");
            }
        }
        treeHeads.addAll(heads);
    }

    private void addLoaded(byte[] leaf, long lineStart) {
        int i = leafHashes.size();
        if (i == lineOffsets.length) {
            lineOffsets = Arrays.copyOf(lineOffsets, i * 2);
        }
        lineOffsets[i] = lineStart;
        leafHashes.add(leaf);
        range.append(leaf);
    }

    // ---- file plumbing --------------------------------------------------------------------

    private void checkWritable() throws IOException {
        if (broken) {
            throw new IOException(dir + ": an earlier write failed; close and reopen the log to check it");
        }
        if (!lock.isValid()) {
            throw new IOException(dir + ": the evidence log is closed");
        }
    }

    private static FileChannel append(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void writeFully(FileChannel ch, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
        ch.force(true);
    }

    private static boolean isEmpty(Path file) throws IOException {
        return !Files.exists(file) || Files.size(file) == 0;
    }
}
