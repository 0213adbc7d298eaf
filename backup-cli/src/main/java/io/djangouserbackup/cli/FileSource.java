package io.djangouserbackup.cli;

import io.djangouserbackup.core.IoReasons;
import io.djangouserbackup.core.BackupSource;
import io.djangouserbackup.core.Encryption;
import io.djangouserbackup.core.InvalidBackupException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backup file that counts how far each read has got, for the progress line, and names itself in messages as
 * the user named it ({@code standard input} for a spooled stdin, not the temporary file).
 */
final class FileSource extends BackupSource {
    private final Path file;
    private final String description;
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicLong bytesRead = new AtomicLong();
    private volatile boolean probing;

    FileSource(Path file, String description) {
        this.file = file;
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    protected InputStream openRaw() throws IOException {
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InvalidBackupException("", "no such file: " + description, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidBackupException("", "cannot read " + description + ": permission denied", e);
        }
        if (!probing) {
            opened.incrementAndGet();
            bytesRead.set(0);
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                stopIfInterrupted();
                int b = super.read();
                if (b >= 0) {
                    bytesRead.incrementAndGet();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                stopIfInterrupted();
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }
        };
    }

    /** Ends a read when Ctrl-C or SIGTERM came: the import fails there and rolls back. */
    private static void stopIfInterrupted() throws IOException {
        if (Interrupts.requested()) {
            throw new java.io.InterruptedIOException("interrupted");
        }
    }

    /** Whether the backup is encrypted; a look at its first bytes that does not count as a pass. */
    boolean encrypted() {
        probing = true;
        try {
            return isEncrypted();
        } catch (IOException e) {
            throw new InvalidBackupException("", "cannot read " + description + ": " + IoReasons.why(e), e);
        } finally {
            probing = false;
        }
    }

    /** The source to read, and the passphrase that opens it if any; closing clears the passphrase. */
    record Readable(BackupSource source, Encryption encryption) implements AutoCloseable {
        @Override
        public void close() {
            if (encryption != null) {
                encryption.close();
            }
        }
    }

    /**
     * The source to read: this one, or, when the backup is encrypted, this one decrypted with the passphrase the
     * options name (asked for only then, and only if {@code canAsk}).
     */
    Readable readable(Context context, PassphraseOptions passphrase, boolean canAsk) {
        if (!encrypted()) {
            if (passphrase.given()) {
                context.notes(List.of(description + " is not encrypted; the passphrase was not needed"));
            }
            return new Readable(this, null);
        }
        Encryption encryption = passphrase.encryption(context, description, canAsk, false);
        return new Readable(decryptingWith(encryption), encryption);
    }

    /** How many times the backup was opened: an import reads it once to check and once to write. */
    int passes() {
        return opened.get();
    }

    /** How far the current read has got, e.g. {@code 45%}. */
    String percentRead() {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            return "";
        }
        return size == 0 ? "" : Math.min(100, bytesRead.get() * 100 / size) + "%";
    }
}
