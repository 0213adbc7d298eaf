package io.djangouserbackup.core;

/**
 * The one family of failures this library throws. Each subclass says what kind of failure it is; the message
 * names the place ({@code users[17].username: ...}, {@code table auth_user_groups: ...}) and never holds a
 * password hash or passphrase.
 */
public abstract class BackupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
