package io.djangouserbackup.core;

/**
 * The backup file is not one this library accepts: malformed JSON, a wrong type, a missing field, a duplicate,
 * a dangling reference, a value that does not fit its column, or a format from the future. The database was
 * not changed.
 */
public class InvalidBackupException extends BackupException {
    private static final long serialVersionUID = 1L;

    private final String place;

    public InvalidBackupException(String place, String problem) {
        this(place, problem, null);
    }

    public InvalidBackupException(String place, String problem, Throwable cause) {
        super(place == null || place.isEmpty() ? problem : place + ": " + problem, cause);
        this.place = place == null ? "" : place;
    }

    /** Where in the document, e.g. {@code users[17].username}; empty for the document as a whole. */
    public String place() {
        return place;
    }
}
