package io.djangouserbackup.core.spi;

/** What importing one row does to the target. */
public enum RowAction {
    /** The row is new to the target. */
    CREATE,
    /** The target has the row; its values and links are set to the backup's. */
    UPDATE,
    /** Nothing is written for this row (it is there already, or it is not needed). */
    SKIP
}
