package io.djangouserbackup.core;

/**
 * The database failed: it could not be opened, was locked for too long, or refused a statement. Any import
 * under way was rolled back.
 */
public class DatabaseAccessException extends BackupException {
    private static final long serialVersionUID = 1L;

    public DatabaseAccessException(String message, Throwable cause) {
        super(message, cause);
    }
}
