package io.djangouserbackup.core;

/**
 * The database is reachable but does not fit: a Django table or column is missing, the user table cannot be
 * found, a permission's content type does not exist, or a restore would leave other tables pointing at
 * removed rows. Nothing was written.
 */
public class IncompatibleDatabaseException extends BackupException {
    private static final long serialVersionUID = 1L;

    public IncompatibleDatabaseException(String message) {
        super(message, null);
    }
}
