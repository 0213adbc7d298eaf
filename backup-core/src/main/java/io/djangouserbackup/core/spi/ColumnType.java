package io.djangouserbackup.core.spi;

/** What Django keeps in a column, read from its declared type; decides how a value is checked and bound. */
public enum ColumnType {
    BOOLEAN, INTEGER, REAL, DECIMAL, TEXT, DATETIME, DATE, TIME, BLOB,
    /** A declared type this library does not know: any JSON scalar is accepted and stored as it is. */
    OTHER
}
