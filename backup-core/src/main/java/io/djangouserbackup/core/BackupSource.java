package io.djangouserbackup.core;

import io.djangouserbackup.core.internal.DecryptingInputStream;
import io.djangouserbackup.core.internal.EncryptionHeader;
import io.djangouserbackup.core.internal.EncryptionKeys;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Where a backup is read from. An import reads its source twice (first to check everything, then to write),
 * so a source must open afresh each time; a gzip-compressed backup is recognised by its first bytes, and so is an
 * encrypted one, which needs its passphrase: {@link #decryptingWith(Encryption)}.
 */
public abstract class BackupSource {

    /** A short description for messages, e.g. the file name; never the content. */
    public abstract String description();

    /** Opens the raw bytes. */
    protected abstract InputStream openRaw() throws IOException;

    /**
     * Opens the backup, decrypting it when it is encrypted (compressed, then encrypted, as export writes it) and
     * decompressing it when it is gzip-compressed.
     *
     * @throws InvalidBackupException for an encrypted backup and no passphrase, or a wrong one
     */
    public final InputStream open() throws IOException {
        BufferedInputStream raw = new BufferedInputStream(openRaw(), 64 * 1024);
        try {
            BufferedInputStream in = EncryptionHeader.startsWithMagic(raw)
                    ? new BufferedInputStream(decrypt(raw), 64 * 1024)
                    : raw;
            in.mark(2);
            int first = in.read();
            int second = in.read();
            in.reset();
            if (first == 0x1f && second == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
            }
            return in;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Whether the backup is encrypted (its first bytes say so), so that a caller can ask for the passphrase before
     * {@link #open()} needs it.
     */
    public final boolean isEncrypted() throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(openRaw(), 64)) {
            return EncryptionHeader.startsWithMagic(in);
        }
    }

    /** Decrypts an encrypted backup, the raw stream positioned at its start; without a passphrase, refuses. */
    InputStream decrypt(InputStream raw) throws IOException {
        throw new InvalidBackupException("", description() + " is encrypted; it needs its passphrase"
                + " (BackupSource.decryptingWith)");
    }

    /**
     * The same backup, opened with a passphrase when it is encrypted (a backup that is not encrypted is read as it
     * is). The key is derived from the passphrase on the first {@link #open()} and kept for the next, so an import,
     * which reads its source twice, pays for the slow key derivation once.
     */
    public final BackupSource decryptingWith(Encryption encryption) {
        Objects.requireNonNull(encryption, "encryption");
        BackupSource encrypted = this;
        return new BackupSource() {
            private EncryptionHeader derivedFor;
            private EncryptionKeys keys;

            @Override
            public String description() {
                return encrypted.description();
            }

            @Override
            protected InputStream openRaw() throws IOException {
                return encrypted.openRaw();
            }

            @Override
            InputStream decrypt(InputStream raw) throws IOException {
                EncryptionHeader header = EncryptionHeader.read(raw);
                EncryptionKeys fitting = keysFor(header);
                if (!fitting.fit(header)) {
                    throw new WrongPassphraseException(description());
                }
                return new DecryptingInputStream(raw, header, fitting);
            }

            private synchronized EncryptionKeys keysFor(EncryptionHeader header) {
                // Another salt or count means another file (it changed between two reads): derive again.
                if (!header.sameKeyDerivation(derivedFor)) {
                    keys = encryption.keysFor(header);
                    derivedFor = header;
                }
                return keys;
            }
        };
    }

    /** A backup file, plain, gzip-compressed or encrypted. */
    public static BackupSource of(Path file) {
        Objects.requireNonNull(file, "file");
        return new BackupSource() {
            @Override
            public String description() {
                return file.toString();
            }

            @Override
            protected InputStream openRaw() throws IOException {
                try {
                    return Files.newInputStream(file);
                } catch (NoSuchFileException e) {
                    throw new InvalidBackupException("", "no such file: " + file, e);
                }
            }
        };
    }

    /** A backup held in memory. */
    public static BackupSource of(byte[] content) {
        byte[] copy = content.clone();
        return new BackupSource() {
            @Override
            public String description() {
                return "backup in memory (" + copy.length + " bytes)";
            }

            @Override
            protected InputStream openRaw() {
                return new ByteArrayInputStream(copy);
            }
        };
    }
}
