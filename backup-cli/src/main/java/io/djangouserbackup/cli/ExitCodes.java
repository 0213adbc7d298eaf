package io.djangouserbackup.cli;

/** The exit codes of the command, as README documents them. */
final class ExitCodes {
    /** Done. */
    static final int OK = 0;
    /** Something failed that the command did not expect (a bug, or the JVM in trouble). */
    static final int UNEXPECTED = 1;
    /**
     * The command line is wrong, or the output file exists and {@code --force} was not given, or an encrypted backup
     * has no passphrase (none given, no terminal to ask, an empty one, or two different ones typed on export).
     */
    static final int USAGE = 2;
    /** The import was declined at the prompt, or refused because there was no terminal to ask and no --yes. */
    static final int DECLINED = 3;
    /**
     * The backup file is not one the tool accepts (including a missing or unreadable file, and an encrypted one the
     * passphrase does not open: it is refused before anything is decrypted, like any other unreadable backup).
     */
    static final int INVALID_BACKUP = 4;
    /** The database is missing, locked, failed, or does not fit (not Django's schema, table missing). */
    static final int DATABASE = 5;
    /**
     * The output could not be written (disk full, permission denied, a read-only or vanished folder, a closed pipe);
     * nothing was left under the destination name.
     */
    static final int OUTPUT = 6;
    /** {@code diff}: the two backups hold different data (the command worked; like diff(1)'s 1, but 1 is taken). */
    static final int DIFFERENT = 7;

    private ExitCodes() {
    }
}
