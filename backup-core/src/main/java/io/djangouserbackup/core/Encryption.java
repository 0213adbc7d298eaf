package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.EncryptingOutputStream;
import io.djangouserbackup.core.internal.EncryptionHeader;
import io.djangouserbackup.core.internal.EncryptionKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A passphrase that encrypts backups at rest, and opens them again: AES-256-GCM in segments, with the key derived by
 * PBKDF2-HMAC-SHA256 (600,000 iterations by default) from the passphrase and a random salt per file. The format is
 * in {@code docs/ENCRYPTION.md}. Give it to {@link Exporter#withEncryption(Encryption)} to write encrypted backups,
 * and to {@link BackupSource#decryptingWith(Encryption)} to read them.
 *
 * <pre>{@code
 * try (Encryption encryption = Encryption.withPassphrase(console.readPassword("Passphrase: "))) {
 *     Exporter.of(db).withEncryption(encryption).exportTo(Path.of("backup.json.enc"));
 *     Importer.of(other).importFrom(BackupSource.of(Path.of("backup.json.enc")).decryptingWith(encryption));
 * }
 * }</pre>
 *
 * <p>It keeps a copy of the passphrase, cleared by {@link #close()}; the caller may clear its own array at once.
 * It never shows the passphrase ({@link #toString()} does not). Lose the passphrase and the backup is lost: there
 * is no other way in.
 */
public final class Encryption implements AutoCloseable {
    /** The fewest PBKDF2 iterations written or accepted (OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256). */
    public static final int MIN_ITERATIONS = EncryptionHeader.MIN_ITERATIONS;
    /** The most PBKDF2 iterations written or accepted: more in a file's header is refused before deriving. */
    public static final int MAX_ITERATIONS = EncryptionHeader.MAX_ITERATIONS;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final char[] passphrase;
    private final int iterations;
    private final int segmentSize;
    private boolean closed;

    private Encryption(char[] passphrase, int iterations, int segmentSize) {
        this.passphrase = passphrase;
        this.iterations = iterations;
        this.segmentSize = segmentSize;
    }

    /**
     * Encryption with this passphrase, copied (clear your array when you like), and 600,000 iterations.
     *
     * @throws IllegalArgumentException for an empty passphrase
     */
    public static Encryption withPassphrase(char[] passphrase) {
        Objects.requireNonNull(passphrase, "passphrase");
        if (passphrase.length == 0) {
            throw new IllegalArgumentException("the passphrase is empty");
        }
        return new Encryption(passphrase.clone(), MIN_ITERATIONS, EncryptionHeader.DEFAULT_SEGMENT_SIZE);
    }

    /**
     * The same passphrase with more PBKDF2 iterations for new backups (reading takes the count from the file).
     *
     * @throws IllegalArgumentException outside {@value #MIN_ITERATIONS}..{@value #MAX_ITERATIONS}
     */
    public Encryption withIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be " + MIN_ITERATIONS + ".." + MAX_ITERATIONS
                    + ", not " + iterations);
        }
        return new Encryption(passphrase().clone(), iterations, segmentSize);
    }

    /** Smaller segments, so tests can make files of many segments from small backups. */
    Encryption withSegmentSize(int segmentSize) {
        EncryptionHeader.fresh(iterations, segmentSize, RANDOM);
        return new Encryption(passphrase().clone(), iterations, segmentSize);
    }

    /** The PBKDF2 iterations new backups are written with. */
    public int iterations() {
        return iterations;
    }

    /** Clears the copy of the passphrase; the object cannot be used afterwards. */
    @Override
    public synchronized void close() {
        Arrays.fill(passphrase, '\0');
        closed = true;
    }

    @Override
    public String toString() {
        return "Encryption[AES-256-GCM, PBKDF2-HMAC-SHA256 " + iterations + " iterations]";
    }

    /** A stream that encrypts what is written to it into {@code out}, under a fresh salt and nonce prefix. */
    EncryptingOutputStream encrypting(OutputStream out) throws IOException {
        EncryptionHeader header = EncryptionHeader.fresh(iterations, segmentSize, RANDOM);
        EncryptionKeys keys = keysFor(header);
        return new EncryptingOutputStream(out, header.withKeyCheck(keys), keys);
    }

    /** Derives the keys for a header's salt and iterations: the slow step. */
    EncryptionKeys keysFor(EncryptionHeader header) {
        return EncryptionKeys.derive(passphrase(), header.salt(), header.iterations());
    }

    private synchronized char[] passphrase() {
        if (closed) {
            throw new IllegalStateException("this Encryption was closed, and its passphrase cleared");
        }
        return passphrase;
    }
}
