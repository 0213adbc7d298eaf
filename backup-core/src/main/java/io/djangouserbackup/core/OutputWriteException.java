package io.djangouserbackup.core;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The output could not be written: the disk is full, the folder is not writable or gone, the file system is read-only,
 * or the stream was closed (a pipe whose reader went away). Nothing was left under the destination name; the
 * database was only read.
 */
public class OutputWriteException extends BackupException {
    private static final long serialVersionUID = 1L;

    public OutputWriteException(String message, Throwable cause) {
        super(message, cause);
    }

    /** {@code could not write WHAT: REASON; no backup was written}, with the operating system's reason in words. */
    public static OutputWriteException of(Object what, IOException failure) {
        return new OutputWriteException("could not write " + what + ": " + reason(failure) + "; no backup was written", failure);
    }

    /** The reason of a failed file operation, without the path the exception repeats: {@code permission denied}. */
    static String reason(IOException failure) {
        if (failure instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (failure instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (failure instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        String message = failure.getMessage();
        return message == null ? failure.getClass().getSimpleName() : message.toLowerCase(java.util.Locale.ROOT);
    }
}
