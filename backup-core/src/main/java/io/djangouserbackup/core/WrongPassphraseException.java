package io.djangouserbackup.core;

/**
 * The passphrase does not open the encrypted backup: the key it gives does not match the key check in the file's
 * encryption header. Either the passphrase is wrong or the header was changed; nothing was decrypted, and no
 * database was touched.
 */
public class WrongPassphraseException extends InvalidBackupException {
    private static final long serialVersionUID = 1L;

    public WrongPassphraseException(String description) {
        super("", description + ": wrong passphrase (or the file's encryption header was changed); nothing was"
                + " decrypted");
    }
}
