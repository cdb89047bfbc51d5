package io.bulwark.evidence;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * The log's Ed25519 key pair on disk: {@code log-key.pk8} (PKCS#8, mode 600 where the file
 * system is POSIX) and {@code log-key.pub} (X.509 SubjectPublicKeyInfo DER).
 */
record LogKeys(PrivateKey privateKey, PublicKey publicKey, byte[] publicDer) {
    static final String PRIVATE_FILE = "log-key.pk8";
    static final String PUBLIC_FILE = "log-key.pub";

    /** Loads the pair, or makes one when neither file exists and {@code mayCreate}. */
    static LogKeys loadOrCreate(Path dir, boolean mayCreate) throws IOException {
        Path pk8 = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        boolean hasPrivate = Files.exists(pk8);
        boolean hasPublic = Files.exists(pub);
        if (!hasPrivate && !hasPublic) {
            if (!mayCreate) {
                // A fresh key would silently re-sign someone else's history.
                throw new IOException(pk8 + ": missing, but the log already holds entries or tree heads");
            }
            return create(pk8, pub);
        }
        if (hasPrivate != hasPublic) {
            throw new IOException((hasPrivate ? pub : pk8) + ": missing while its partner key file exists");
        }
        try {
            KeyFactory kf = KeyFactory.getInstance("Ed25519");
            PrivateKey priv = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(pk8)));
            byte[] der = Files.readAllBytes(pub);
            PublicKey pubKey = kf.generatePublic(new X509EncodedKeySpec(der));
            if (!matches(priv, pubKey)) {
                throw new IOException(pub + ": not the public half of " + PRIVATE_FILE);
            }
            return new LogKeys(priv, pubKey, der);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(pk8 + " or " + PUBLIC_FILE + ": not an Ed25519 key (" + e.getMessage() + ")");
        }
    }

    /** An Ed25519 public key from its X.509 SubjectPublicKeyInfo DER; empty for anything else. */
    static Optional<PublicKey> decodePublic(byte[] spkiDer) {
        if (spkiDer == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spkiDer)));
        } catch (GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static LogKeys create(Path pk8, Path pub) throws IOException {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IOException("this JDK cannot make Ed25519 keys: " + e.getMessage());
        }
        byte[] der = pair.getPublic().getEncoded();
        // Public first: a crash between the two leaves "pub without pk8", which open refuses
        // rather than silently making a second key.
        writeDurably(pub, der, false);
        writeDurably(pk8, pair.getPrivate().getEncoded(), true);
        return new LogKeys(pair.getPrivate(), pair.getPublic(), der);
    }

    private static void writeDurably(Path target, byte[] bytes, boolean secret) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
                && tmp.getFileSystem() == FileSystems.getDefault();
        if (secret && posix) {
            // Created 600 from the start, so the key is never readable by others, not even briefly.
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static boolean matches(PrivateKey priv, PublicKey pub) throws GeneralSecurityException {
        byte[] probe = "bulwark evidence log key check".getBytes(StandardCharsets.US_ASCII);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(priv);
        s.update(probe);
        byte[] sig = s.sign();
        s.initVerify(pub);
        s.update(probe);
        return s.verify(sig);
    }

    public byte[] publicDer() {
        return publicDer.clone();
    }
}
