package io.djangouserbackup.core;

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
 * so a source must open afresh each time; a gzip-compressed backup is recognised by its first bytes.
 */
public abstract class BackupSource {

    /** A short description for messages, e.g. the file name; never the content. */
    public abstract String description();

    /** Opens the raw bytes. */
    protected abstract InputStream openRaw() throws IOException;

    /** Opens the backup, decompressing it when it is gzip-compressed. */
    public final InputStream open() throws IOException {
        BufferedInputStream in = new BufferedInputStream(openRaw(), 64 * 1024);
        in.mark(2);
        int first = in.read();
        int second = in.read();
        in.reset();
        if (first == 0x1f && second == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 64 * 1024), 64 * 1024);
        }
        return in;
    }

    /** A backup file, plain or gzip-compressed. */
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
