package io.djangouserbackup.core;

import java.io.IOException;

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
        return new OutputWriteException("could not write " + what + ": " + IoReasons.why(failure) + "; no backup was written", failure);
    }
}
