package io.djangouserbackup.core;

/** How an import treats rows of the target database that the backup does not contain. */
public enum ImportMode {
    /** Rows in the backup are inserted or updated; rows not in the backup are kept. The default. */
    MERGE,
    /** Afterwards the target's users, groups and model rows are exactly those of the backup. */
    REPLACE
}
