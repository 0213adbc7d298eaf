package io.djangouserbackup.core.internal;

import io.djangouserbackup.core.OutputExistsException;
import io.djangouserbackup.core.OutputWriteException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Writes backup files so that a crash never leaves a half-written file under the final name: a temporary file in
 * the same folder, readable by its owner only, flushed to disk, then linked or renamed into place.
 */
public final class SafeFiles {

    private SafeFiles() {
    }

    /** Wraps the file's stream in encryption (which is outermost: the content is compressed, then encrypted). */
    @FunctionalInterface
    public interface Encrypter {
        EncryptingOutputStream encrypting(OutputStream file) throws IOException;
    }

    /** Deletes a folder and everything in it, as far as it can; what cannot be deleted stays. */
    public static void deleteTree(Path folder) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * Writes a file atomically and returns its size.
     *
     * @param encrypter encrypts the file, or {@code null} for none
     * @param content   writes the content; the stream given to it must not be closed by it
     */
    public static long writeAtomically(Path file, boolean overwrite, boolean gzip, Encrypter encrypter,
                                       Consumer<OutputStream> content) {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        if (!overwrite && Files.exists(target)) {
            throw new OutputExistsException(file);
        }
        Path temp;
        try {
            temp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            try {
                temp = Files.createTempFile(folder, "." + target.getFileName() + ".", ".partial");
            } catch (IOException io) {
                throw OutputWriteException.of(file, io);
            }
        } catch (IOException e) {
            throw OutputWriteException.of(file, e);
        }
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream raw = Channels.newOutputStream(channel);
                EncryptingOutputStream encrypted = encrypter == null ? null : encrypter.encrypting(raw);
                OutputStream sink = encrypted == null ? raw : encrypted;
                OutputStream out = gzip ? new GZIPOutputStream(sink, 64 * 1024) : sink;
                OutputStream buffered = new BufferedOutputStream(out, 64 * 1024);
                content.accept(buffered);
                buffered.flush();
                if (out instanceof GZIPOutputStream zipped) {
                    zipped.finish();
                }
                if (encrypted != null) {
                    encrypted.finish();
                }
                channel.force(true);
            }
            long size = Files.size(temp);
            if (overwrite) {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                // A hard link fails when the name is taken, so a file created meanwhile is never replaced.
                try {
                    Files.createLink(target, temp);
                } catch (FileAlreadyExistsException e) {
                    throw new OutputExistsException(file);
                } catch (UnsupportedOperationException | FileSystemException e) {
                    // No hard links here: a plain rename, which still refuses an existing name.
                    Files.move(temp, target);
                }
            }
            syncFolder(folder);
            return size;
        } catch (FileAlreadyExistsException e) {
            throw new OutputExistsException(file);
        } catch (IOException e) {
            throw OutputWriteException.of(file, e);
        } catch (java.io.UncheckedIOException e) {
            // The document writer's own failures (the disk filled up in the middle of a row).
            throw OutputWriteException.of(file, e.getCause());
        } finally {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // Best effort: a stray hidden .partial file is harmless and says what it is.
            }
        }
    }

    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // Not every platform can sync a folder; the file itself is on disk already.
        }
    }
}
