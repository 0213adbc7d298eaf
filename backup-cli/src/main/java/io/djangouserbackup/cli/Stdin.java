package io.djangouserbackup.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Standard input: a backup given as {@code -}, or the answer to the prompt. */
final class Stdin {
    /** The name that stands for standard input or output in place of a file name. */
    static final String DASH = "-";

    private Stdin() {
    }

    /**
     * Copies standard input to a new temporary file readable by its owner only (a backup holds password hashes),
     * because a backup is read more than once. The caller deletes it.
     */
    static Path spool(InputStream in, Path tempDirectory) {
        Path file;
        try {
            try {
                file = Files.createTempFile(tempDirectory, "django-user-backup-stdin-", ".json",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                file = Files.createTempFile(tempDirectory, "django-user-backup-stdin-", ".json");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for standard input in " + tempDirectory
                    + ": " + e.getMessage(), e);
        }
        // Also on an interrupt (Ctrl-C at the prompt), where the caller's finally does not run.
        file.toFile().deleteOnExit();
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            in.transferTo(out);
        } catch (IOException e) {
            delete(file);
            throw new UncheckedIOException("cannot read standard input: " + e.getMessage(), e);
        }
        return file;
    }

    static void delete(Path file) {
        if (file == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // deleteOnExit tries again when the JVM ends.
        }
    }

    /** One line of input without its line ending, or {@code null} at the end of input. */
    static String readLine(InputStream in) throws IOException {
        // Byte by byte: nothing past the answer is taken from a stream that may be shared.
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        if (b < 0 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.UTF_8).replaceAll("\r$", "");
    }
}
